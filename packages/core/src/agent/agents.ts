import type { NodeRef } from '../datapath/datapath.ts';
import { bumpStateRevision } from '../sim/stateRevision.ts';
import type { Agent } from './agent.ts';

/**
 * The cluster's nodes and their agents, by node name (the per-packet lookup), by node IP and by
 * Cilium node ID. Filled as the nodes join, in the order the API server lists them.
 */
export class Agents {
  readonly #byName = new Map<string, Agent>();
  readonly #byIp = new Map<string, NodeRef>();
  readonly #byId = new Map<number, NodeRef>();
  /** The node whose IP serves the Kubernetes API (kube-apiserver identity from elsewhere). */
  #apiServerNode: string | undefined;
  #restarts = 0;

  add(agent: Agent, apiServer: boolean): void {
    const node = agent.node;
    bumpStateRevision();
    this.#byName.set(node.name, agent);
    this.#byIp.set(node.ip, node);
    // Node IDs are drawn at random; on a clash the first node keeps the ID, as a scan would find it.
    if (!this.#byId.has(node.id)) this.#byId.set(node.id, node);
    if (apiServer) this.#apiServerNode = node.name;
  }

  /** A deleted Node's agent leaves with it (its pods are gone); its node ID and IP are free again. */
  remove(name: string): void {
    const agent = this.#byName.get(name);
    if (agent === undefined) return;
    bumpStateRevision();
    this.#byName.delete(name);
    this.#byIp.delete(agent.node.ip);
    if (this.#byId.get(agent.node.id) === agent.node) this.#byId.delete(agent.node.id);
  }

  get(name: string): Agent | undefined {
    return this.#byName.get(name);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Every agent, in the order the nodes joined. */
  list(): Agent[] {
    return [...this.#byName.values()];
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }

  get size(): number {
    return this.#byName.size;
  }

  node(name: string): NodeRef | undefined {
    return this.#byName.get(name)?.node;
  }

  nodeOfIp(ip: string): NodeRef | undefined {
    return this.#byIp.get(ip);
  }

  nodeById(id: number): NodeRef | undefined {
    return this.#byId.get(id);
  }

  get apiServerNode(): string | undefined {
    return this.#apiServerNode;
  }

  /** Counts the agents' restarts (the DaemonSet's pods recreated); returns this one's number, from 0. */
  nextRestart(): number {
    return this.#restarts++;
  }
}
