import { describeValue, SimError } from '../errors.ts';
import type { Agent } from '../agent/agent.ts';
import type { Agents } from '../agent/agents.ts';
import type { SpireRuntime } from '../runtime/runtime.ts';
import { NS_PER_H, parseDuration } from '../sim/duration.ts';

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
  readonly #command: <T>(name: string, fn: () => T) => T;

  /** @internal The cluster makes one; reach it as `cluster.faults`. */
  constructor(spire: SpireRuntime | undefined, agents: Agents, command: <T>(name: string, fn: () => T) => T) {
    this.#spire = spire;
    this.#agents = agents;
    this.#command = command;
  }

  /** The faults in force, in injection order. */
  active(): ActiveFault[] {
    return [...this.#active.values()];
  }

  /** The server stops answering (until `spireServerUp`; its pod not running holds it down too). */
  spireServerDown(): void {
    this.#command('spireServerDown', () => this.#server(true));
  }

  spireServerUp(): void {
    this.#command('spireServerUp', () => this.#server(false));
  }

  spireAgentDown(node: string): void {
    this.#command('spireAgentDown', () => this.#spireAgent(node, true));
  }

  spireAgentUp(node: string): void {
    this.#command('spireAgentUp', () => this.#spireAgent(node, false));
  }

  trustDomainMismatch(node: string, trustDomain = 'other.example'): void {
    this.#command('trustDomainMismatch', () => this.#trustDomain(node, checkTrustDomain(trustDomain)));
  }

  clearTrustDomainMismatch(node: string): void {
    this.#command('clearTrustDomainMismatch', () => this.#trustDomain(node, undefined));
  }

  /** Runs `node`'s clock ahead by `skew` (`'2h'` or ns, at most ten years either way); 0 clears it. */
  clockSkew(node: string, skew: string | number): void {
    this.#command('clockSkew', () => this.#clockSkew(node, skewOf(skew)));
  }

  /** Clears every fault. */
  clearAll(): void {
    this.#command('clearAll', () => {
      for (const f of this.active()) {
        if (f.kind === 'spire-server-down') this.#server(false);
        else if (f.kind === 'spire-agent-down') this.#spireAgent(f.node, false);
        else if (f.kind === 'trust-domain-mismatch') this.#trustDomain(f.node, undefined);
        else this.#clockSkew(f.node, 0);
      }
    });
  }

  #server(down: boolean): void {
    const health = this.#require(down ? 'spireServerDown' : 'spireServerUp').health;
    if (down) {
      health.serverDown('fault');
      this.#active.set('server', { kind: 'spire-server-down' });
    } else {
      health.serverUp('fault');
      this.#active.delete('server');
    }
  }

  #spireAgent(node: string, down: boolean): void {
    this.#agent(down ? 'spireAgentDown' : 'spireAgentUp', node);
    const health = this.#spire!.health;
    if (down) {
      health.agentDown(node, 'fault');
      this.#active.set(`agent/${node}`, { kind: 'spire-agent-down', node });
    } else {
      health.agentUp(node, 'fault');
      this.#active.delete(`agent/${node}`);
    }
  }

  #trustDomain(node: string, trustDomain: string | undefined): void {
    this.#agent(trustDomain === undefined ? 'clearTrustDomainMismatch' : 'trustDomainMismatch', node).setFaults({ trustDomain });
    if (trustDomain === undefined) this.#active.delete(`td/${node}`);
    else this.#active.set(`td/${node}`, { kind: 'trust-domain-mismatch', node, trustDomain });
  }

  #clockSkew(node: string, skewNs: number): void {
    this.#agent('clockSkew', node).setFaults({ clockSkewNs: skewNs });
    if (skewNs === 0) this.#active.delete(`clock/${node}`);
    else this.#active.set(`clock/${node}`, { kind: 'clock-skew', node, skewNs });
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
    if (typeof node !== 'string')
      throw new SimError({
        code: 'INVALID_FLAG',
        object: `fault ${fault}`,
        path: 'node',
        message: `expected a node name, received ${describeValue(node)}`,
      });
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

/** A node's clock may run this far from the cluster's, either way. */
const MAX_SKEW_NS = 10 * 365 * 24 * NS_PER_H;

/** A skew as ns: a duration text or a whole number of ns, within ten years either way. */
function skewOf(skew: string | number): number {
  const ns = typeof skew === 'string' ? parseDuration(skew, 'skew') : skew;
  if (typeof ns !== 'number' || !Number.isSafeInteger(ns) || Math.abs(ns) > MAX_SKEW_NS)
    throw new SimError({
      code: 'INVALID_DURATION',
      object: 'fault clockSkew',
      path: 'skew',
      message: `expected a duration such as 2h or a whole number of nanoseconds within ten years, received ${describeValue(skew)}`,
    });
  return ns;
}

/** A trust domain as SPIFFE names one: lowercase letters, digits, dots, dashes and underscores. */
function checkTrustDomain(td: unknown): string {
  if (typeof td !== 'string' || !/^[a-z0-9._-]{1,255}$/.test(td))
    throw new SimError({
      code: 'INVALID_SPIFFE_ID',
      object: 'fault trustDomainMismatch',
      path: 'trustDomain',
      message: `expected a trust domain of lowercase letters, digits, dots, dashes and underscores, received ${describeValue(td)}`,
    });
  return td;
}
