import { SimError } from '../errors.ts';
import { parseDuration } from '../sim/duration.ts';
import type { MutualAuth } from './mutualAuth.ts';

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
  readonly #auth: () => MutualAuth | undefined;
  readonly #active = new Map<string, ActiveFault>();

  constructor(auth: () => MutualAuth | undefined) {
    this.#auth = auth;
  }

  /** The faults in force, in injection order. */
  active(): ActiveFault[] {
    return [...this.#active.values()];
  }

  spireServerDown(): void {
    this.#require('spireServerDown').server.setHealthy(false);
    this.#active.set('server', { kind: 'spire-server-down' });
  }

  spireServerUp(): void {
    this.#require('spireServerUp').server.setHealthy(true);
    this.#active.delete('server');
  }

  spireAgentDown(node: string): void {
    this.#require('spireAgentDown', node).setAgentRunning(node, false);
    this.#active.set(`agent/${node}`, { kind: 'spire-agent-down', node });
  }

  spireAgentUp(node: string): void {
    this.#require('spireAgentUp', node).setAgentRunning(node, true);
    this.#active.delete(`agent/${node}`);
  }

  trustDomainMismatch(node: string, trustDomain = 'other.example'): void {
    this.#require('trustDomainMismatch', node).setNodeFault(node, { trustDomain });
    this.#active.set(`td/${node}`, { kind: 'trust-domain-mismatch', node, trustDomain });
  }

  clearTrustDomainMismatch(node: string): void {
    this.#require('clearTrustDomainMismatch', node).setNodeFault(node, { trustDomain: undefined });
    this.#active.delete(`td/${node}`);
  }

  /** Runs `node`'s clock ahead by `skew` (`'2h'` or ns); 0 clears it. */
  clockSkew(node: string, skew: string | number): void {
    const skewNs = typeof skew === 'number' ? skew : parseDuration(skew, 'skew');
    this.#require('clockSkew', node).setNodeFault(node, { clockSkewNs: skewNs });
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

  #require(fault: string, node?: string): MutualAuth {
    const auth = this.#auth();
    if (auth === undefined)
      throw new SimError({
        code: 'INVALID_FLAG',
        object: `fault ${fault}`,
        message: 'SPIRE is not running in this cluster (create it with mutualAuth: true)',
      });
    if (node !== undefined && !auth.agents.has(node)) {
      throw new SimError({
        code: 'NOT_FOUND',
        object: `fault ${fault}`,
        path: 'node',
        message: `no such node: ${node}; nodes are ${[...auth.agents.keys()].join(', ')}`,
      });
    }
    return auth;
  }
}
