import { SimError } from '../errors.ts';
import type { Agent } from '../agent/agent.ts';
import type { Agents } from '../agent/agents.ts';
import type { SpireRuntime } from '../runtime/runtime.ts';
import { parseDuration } from '../sim/duration.ts';

/** A fault in force, as `faults.active()` lists it. */
export type ActiveFault =
  | { readonly kind: 'spire-server-down' }
  | { readonly kind: 'spire-agent-down'; readonly node: string }
  | { readonly kind: 'trust-domain-mismatch'; readonly node: string; readonly trustDomain: string }
  | { readonly kind: 'clock-skew'; readonly node: string; readonly skewNs: number };

/**
 * Fault injection for SPIRE and mutual authentication, each with its recovery:
 * - `spireServerDown()`: the server answers nothing. Agents keep their SVIDs until they expire
 *   and cannot rotate them; new identities get no entry, so they cannot authenticate.
 * - `spireAgentDown(node)`: that node's SPIRE agent stops. Its Cilium agent keeps the SVIDs it
 *   holds (usable until they expire: "a certificate allowed to expire") and reconnects with
 *   backoff; new identities never reach it.
 * - `trustDomainMismatch(node, td)`: that node's Cilium agent expects another trust domain, so it
 *   finds no SVID of its own and refuses every SNI of the real one.
 * - `clockSkew(node, '2h')`: that node's clock runs ahead, so it sees peer certificates as
 *   expired (and peers see nothing wrong with its own).
 * Every fault is cleared by its counterpart or by `clearAll()`; traffic recovers on the next
 * packet that signals the auth manager (a TCP retransmission, a new connection).
 */
export class ClusterFaults {
  readonly #spire: SpireRuntime | undefined;
  readonly #agents: Agents;
  readonly #active = new Map<string, ActiveFault>();

  /** @internal The cluster makes one; reach it as `cluster.faults`. */
  constructor(spire: SpireRuntime | undefined, agents: Agents) {
    this.#spire = spire;
    this.#agents = agents;
  }

  /** The faults in force, in injection order. */
  active(): ActiveFault[] {
    return [...this.#active.values()];
  }

  /** The server stops answering (until `spireServerUp`; its pod not running holds it down too). */
  spireServerDown(): void {
    this.#require('spireServerDown').health.serverDown('fault');
    this.#active.set('server', { kind: 'spire-server-down' });
  }

  spireServerUp(): void {
    this.#require('spireServerUp').health.serverUp('fault');
    this.#active.delete('server');
  }

  spireAgentDown(node: string): void {
    this.#agent('spireAgentDown', node);
    this.#spire!.health.agentDown(node, 'fault');
    this.#active.set(`agent/${node}`, { kind: 'spire-agent-down', node });
  }

  spireAgentUp(node: string): void {
    this.#agent('spireAgentUp', node);
    this.#spire!.health.agentUp(node, 'fault');
    this.#active.delete(`agent/${node}`);
  }

  trustDomainMismatch(node: string, trustDomain = 'other.example'): void {
    this.#agent('trustDomainMismatch', node).setFaults({ trustDomain });
    this.#active.set(`td/${node}`, { kind: 'trust-domain-mismatch', node, trustDomain });
  }

  clearTrustDomainMismatch(node: string): void {
    this.#agent('clearTrustDomainMismatch', node).setFaults({ trustDomain: undefined });
    this.#active.delete(`td/${node}`);
  }

  /** Runs `node`'s clock ahead by `skew` (`'2h'` or ns); 0 clears it. */
  clockSkew(node: string, skew: string | number): void {
    const skewNs = typeof skew === 'number' ? skew : parseDuration(skew, 'skew');
    this.#agent('clockSkew', node).setFaults({ clockSkewNs: skewNs });
    if (skewNs === 0) this.#active.delete(`clock/${node}`);
    else this.#active.set(`clock/${node}`, { kind: 'clock-skew', node, skewNs });
  }

  /** Clears every fault. */
  clearAll(): void {
    for (const f of this.active()) {
      if (f.kind === 'spire-server-down') this.spireServerUp();
      else if (f.kind === 'spire-agent-down') this.spireAgentUp(f.node);
      else if (f.kind === 'trust-domain-mismatch') this.clearTrustDomainMismatch(f.node);
      else this.clockSkew(f.node, 0);
    }
  }

  /** SPIRE as the cluster runs it, or a refusal when the cluster runs no SPIRE. */
  #require(fault: string): SpireRuntime {
    if (this.#spire === undefined)
      throw new SimError({
        code: 'INVALID_FLAG',
        object: `fault ${fault}`,
        message: 'SPIRE is not running in this cluster (create it with mutualAuth: true)',
      });
    return this.#spire;
  }

  /** The agent of `node`, on a cluster running SPIRE. */
  #agent(fault: string, node: string): Agent {
    this.#require(fault);
    const agent = this.#agents.get(node);
    if (agent === undefined) {
      throw new SimError({
        code: 'NOT_FOUND',
        object: `fault ${fault}`,
        path: 'node',
        message: `no such node: ${node}; nodes are ${this.#agents.names().join(', ')}`,
      });
    }
    return agent;
  }
}
