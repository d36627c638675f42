import type { SpireServer } from '../spire/server.ts';
import type { Agents } from './agents.ts';

/** What a Cilium agent logs when its SPIRE agent goes away under its delegated-identity stream. */
const AGENT_GONE = 'rpc error: code = Unavailable desc = error reading from server: EOF';

/** Why a SPIRE process is not serving: an injected fault, or its pod not running (deleted, restarting). */
export type SpireDownReason = 'fault' | 'pod';

/**
 * Whether SPIRE's server and each node's SPIRE agent serve, from every reason they may not: the
 * injected faults (cluster/faults.ts) and their pods (watchers/spirePodWatcher.ts). A process is
 * down while any reason holds, with the same symptoms whatever the reason: the server answers
 * nothing; a SPIRE agent drops its cache and its Cilium agent's delegated-identity stream breaks.
 */
export class SpireHealth {
  readonly #server: SpireServer;
  readonly #agents: Agents;
  readonly #down = new Map<string, Set<SpireDownReason>>();

  constructor(server: SpireServer, agents: Agents) {
    this.#server = server;
    this.#agents = agents;
  }

  serverDown(reason: SpireDownReason): void {
    if (this.#add('server', reason)) this.#server.setHealthy(false);
  }

  serverUp(reason: SpireDownReason): void {
    if (this.#remove('server', reason)) this.#server.setHealthy(true);
  }

  /** Stops `node`'s SPIRE agent (a node without an agent is ignored: the caller checked it). */
  agentDown(node: string, reason: SpireDownReason): void {
    if (!this.#add(`agent/${node}`, reason)) return;
    const agent = this.#agents.get(node);
    agent?.spireAgent?.stop();
    agent?.delegate?.streamBroken(AGENT_GONE);
  }

  agentUp(node: string, reason: SpireDownReason): void {
    if (this.#remove(`agent/${node}`, reason)) this.#agents.get(node)?.spireAgent?.start();
  }

  /** True when this reason is the first: the process goes down now. */
  #add(what: string, reason: SpireDownReason): boolean {
    let reasons = this.#down.get(what);
    if (reasons === undefined) this.#down.set(what, (reasons = new Set()));
    const first = reasons.size === 0;
    reasons.add(reason);
    return first;
  }

  /** True when this reason was the last: the process serves again. */
  #remove(what: string, reason: SpireDownReason): boolean {
    const reasons = this.#down.get(what);
    if (reasons === undefined || !reasons.delete(reason)) return false;
    return reasons.size === 0;
  }
}
