import type { Agent } from '../agent/agent.ts';
import type { Endpoint } from '../agent/endpoint.ts';
import type { LogLine } from '../agent/agentLog.ts';
import type { AuthEntry } from '../datapath/authMap.ts';
import type { EgressMapRow } from '../egressgateway/egressMap.ts';
import { SimError } from '../errors.ts';
import type { AllocatedIdentity } from '../identity/allocator.ts';
import type { ApiKind } from '../k8s/kinds.ts';
import { type AllowRules, allowRules } from '../policy/allowRules.ts';
import type { Direction } from '../policy/direction.ts';
import type { PolicyMapEntry, PolicyMapKey } from '../policy/policyMap.ts';
import type { PolicyDecision } from '../policy/policyDecision.ts';
import type { PolicyRules } from '../policy/types.ts';
import type { FqdnCacheEntry } from '../proxy/fqdnCache.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { RegistrationEntry } from '../spire/entry.ts';
import type { AttestedAgent, EntryFilter } from '../spire/server.ts';
import { filterRuntimeEvents, type RuntimeEventQuery } from '../tetragon/eventFilter.ts';
import type { RuntimeEvent } from '../tetragon/runtimeEvent.ts';
import type { ApiObject } from '../k8s/apiObject.ts';
import { getObject } from '../k8s/state.ts';
import { servedObjects } from './apiViews.ts';
import {
  type CiliumEndpointObject,
  type CiliumIdentityObject,
  ciliumEndpointObjects,
  ciliumIdentityObjects,
  type EndpointEnforcement,
  endpointEnforcement,
} from './ciliumObjects.ts';

/** A node of the cluster and its agent's Cilium node ID. */
export interface NodeInfo {
  readonly name: string;
  readonly ip: string;
  /** Cilium's node ID (the auth map's remote_node_id). */
  readonly id: number;
  /** Whether the node serves the Kubernetes API (the kind control plane). */
  readonly apiServer: boolean;
}

/** A read-only view of one identity's policy map, as the datapath looks it up. It follows later changes. */
export interface PolicyMapView {
  readonly ingressEnforced: boolean;
  readonly egressEnforced: boolean;
  readonly size: number;
  lookup(remoteIdentity: number, direction: Direction, proto: number, port: number): PolicyDecision;
  get(key: PolicyMapKey): PolicyMapEntry | undefined;
  entries(): readonly (readonly [PolicyMapKey, PolicyMapEntry])[];
}

/** What `hubble status` reports: the relay's nodes and their rings. */
export interface HubbleStatus {
  /** Nodes whose Hubble server the relay reads. */
  readonly nodes: number;
  /** Flows each node's ring holds (`hubble-event-buffer-capacity`). */
  readonly capacityPerNode: number;
  /** Flows ever recorded, overwritten ones included. */
  readonly seenFlows: number;
  /** Flows overwritten before anyone read them. */
  readonly lostFlows: number;
}

/** SPIRE as the cluster runs it. */
export interface SpireStatus {
  readonly trustDomain: string;
  readonly healthy: boolean;
  /** Cilium's mutual authentication runs on top (auth managers on every node). */
  readonly mutualAuth: boolean;
  /** Cilium's operator registers its entries and one per identity. */
  readonly operatorEntries: boolean;
}

/** Counters of the datapath. */
export interface DatapathStats {
  /** Packets sent into the datapath. */
  readonly packets: number;
}

/**
 * Read-only views of a cluster's agents and control plane: `cluster.inspect`. Each call returns
 * data as it is now (frozen or typed read-only); changing the cluster goes through the cluster's
 * own methods.
 */
export class ClusterInspector {
  readonly #rt: Runtime;

  /** @internal The cluster makes one; reach it as `cluster.inspect`. */
  constructor(rt: Runtime) {
    this.#rt = rt;
  }

  /** The cilium-config ConfigMap's data (`cilium config view`). */
  config(): Readonly<Record<string, string>> {
    return this.#rt.config.view();
  }

  /**
   * The nodes with their agents, in the order the API server lists them: a Node deleted from the
   * API is gone, with its agent pod and host endpoint, as the DaemonSet keeps no pod for it.
   */
  nodes(): readonly NodeInfo[] {
    const apiServer = this.#rt.agents.apiServerNode;
    const state = this.#rt.api.state;
    const live = this.#rt.agents.list().filter(({ node }) => getObject(state, { kind: 'Node', name: node.name }) !== undefined);
    return Object.freeze(live.map(({ node }) => Object.freeze({ ...node, apiServer: node.name === apiServer })));
  }

  /** One node, if the cluster has it. */
  node(name: string): NodeInfo | undefined {
    return this.nodes().find((n) => n.name === name);
  }

  /** The Cilium endpoints (pods with an IP, host-network pods aside), by namespace then pod name. */
  endpoints(namespace?: string): readonly Endpoint[] {
    const all = this.#rt.endpoints.list();
    return Object.freeze(namespace === undefined ? all : all.filter((e) => e.namespace === namespace));
  }

  /** The endpoint of one pod, if the agent manages it. */
  endpoint(namespace: string, pod: string): Endpoint | undefined {
    return this.#rt.endpoints.byPod(namespace, pod);
  }

  /** How the endpoint's policy applies per direction: enforcing, non-enforcing, or audit. */
  enforcement(endpoint: Endpoint): EndpointEnforcement {
    return endpointEnforcement(this.#rt, endpoint);
  }

  /** The identities allocated to label sets (not the reserved ones), CIDR and FQDN identities included. */
  identities(): readonly AllocatedIdentity[] {
    return Object.freeze(this.#rt.identities.list());
  }

  identity(id: number): AllocatedIdentity | undefined {
    return this.#rt.identities.get(id);
  }

  /** The policies the agents hold, parsed, sorted by kind, namespace and name. */
  policies(): readonly PolicyRules[] {
    return Object.freeze(this.#rt.policy.repository.policies());
  }

  /** The policy map of an identity (every endpoint of the identity shares it). */
  policyMap(identity: number): PolicyMapView {
    if (this.#rt.policy.cache.identity(identity) === undefined)
      throw new SimError({ code: 'NOT_FOUND', object: 'policy map', path: 'identity', message: `identity ${identity} not found` });
    return this.#rt.policy.policyMap(identity);
  }

  /**
   * The live policy's rules that select `identity`, and those of their allow rules in `direction`
   * that admit `remoteIdentity` (every allow rule when omitted), whatever the port: what a lab
   * check reads to tell whether such a rule requires authentication.
   */
  allowRules(identity: number, direction: Direction, remoteIdentity?: number): AllowRules {
    if (this.#rt.policy.cache.identity(identity) === undefined)
      throw new SimError({ code: 'NOT_FOUND', object: 'policy', path: 'identity', message: `identity ${identity} not found` });
    const found = allowRules(this.#rt.policy, identity, direction, remoteIdentity);
    return Object.freeze({
      selecting: Object.freeze([...found.selecting]),
      admitting: Object.freeze(found.admitting.map((a) => Object.freeze({ ...a }))),
    });
  }

  /** A node's auth map entries (`cilium-dbg bpf auth list`). */
  authMap(node: string): readonly AuthEntry[] {
    return Object.freeze(
      this.#agent(node)
        .authMap.entries()
        .map((e) => Object.freeze({ ...e, key: Object.freeze({ ...e.key }) })),
    );
  }

  /**
   * A node's egress gateway policy map (`cilium-dbg bpf egress list`); without a node, the
   * entries as their gateways hold them. Undefined when the agents do not run the egress gateway
   * (the map does not exist).
   */
  egressMap(node?: string): readonly EgressMapRow[] | undefined {
    if (node !== undefined) this.#agent(node);
    const manager = this.#rt.egressGateway;
    return manager.enabled ? Object.freeze(manager.map.rows(node).map((r) => Object.freeze(r))) : undefined;
  }

  /**
   * A node's agent log, oldest first (`kubectl logs` of its cilium pod): the current agent
   * container's lines up to now, from its start-up lines on.
   */
  agentLog(node: string): readonly LogLine[] {
    return Object.freeze([...this.#agent(node).log.lines(this.#rt.clock.epochMs())]);
  }

  hubbleStatus(): HubbleStatus {
    const hubble = this.#rt.hubble;
    return Object.freeze({
      nodes: this.#rt.agents.size,
      capacityPerNode: hubble.capacity,
      seenFlows: hubble.seen,
      lostFlows: hubble.lost(),
    });
  }

  /** SPIRE's state, or undefined when the cluster runs no SPIRE. */
  spire(): SpireStatus | undefined {
    const spire = this.#rt.spire;
    if (spire === undefined) return undefined;
    return Object.freeze({
      trustDomain: spire.server.trustDomain,
      healthy: spire.server.healthy,
      mutualAuth: spire.mutualAuth,
      operatorEntries: spire.operatorEntries,
    });
  }

  /** SPIRE's registration entries (`spire-server entry show`), filtered as its flags filter. */
  spireEntries(filter: EntryFilter = {}): readonly RegistrationEntry[] {
    return Object.freeze(this.#rt.spire?.server.listEntries(filter) ?? []);
  }

  /** The SPIRE agents attested to the server (`spire-server agent list`). */
  spireAgents(): readonly AttestedAgent[] {
    return Object.freeze(this.#rt.spire?.server.listAgents() ?? []);
  }

  /** The agents' DNS cache of names the DNS proxy let through (`cilium fqdn cache list`). */
  fqdnCache(): readonly FqdnCacheEntry[] {
    return Object.freeze(this.#rt.fqdn.cache.list().map((e) => Object.freeze({ ...e })));
  }

  /** The objects of a kind as the API serves them, stored or derived (`kubectl get`); every namespace when omitted. */
  objects(kind: ApiKind, namespace?: string): readonly ApiObject[] {
    return Object.freeze(servedObjects(this.#rt, kind, namespace));
  }

  /** CiliumEndpoint objects, one per endpoint, sorted by namespace and name. */
  ciliumEndpoints(namespace?: string): readonly CiliumEndpointObject[] {
    return Object.freeze(ciliumEndpointObjects(this.#rt, namespace));
  }

  /** CiliumIdentity objects: the global identities endpoints use (not CIDR/FQDN ones). */
  ciliumIdentities(): readonly CiliumIdentityObject[] {
    return Object.freeze(ciliumIdentityObjects(this.#rt));
  }

  /**
   * Tetragon's events (process exec and exit, TCP connects) as the agents hold them: one node's,
   * or every node's in time order, kept by the query's allow and deny lists. A cluster without
   * Tetragon (`tetragon: true`) refuses with NOT_FOUND.
   */
  runtimeEvents(query: RuntimeEventQuery = {}): readonly RuntimeEvent[] {
    const tetragon = this.#rt.tetragon;
    if (tetragon === undefined)
      throw new SimError({
        code: 'NOT_FOUND',
        object: 'Tetragon',
        message: 'Tetragon is not installed in this cluster; create it with { tetragon: true } (cilium-sim --tetragon)',
      });
    if (query.node !== undefined && !tetragon.nodes.includes(query.node)) this.#agent(query.node);
    return Object.freeze(filterRuntimeEvents(tetragon.events(query.node), query));
  }

  datapathStats(): DatapathStats {
    return Object.freeze({ packets: this.#rt.network.datapath.packets });
  }

  #agent(node: string): Agent {
    const agent = this.#rt.agents.get(node);
    if (agent === undefined) throw new SimError({ code: 'NOT_FOUND', object: `node ${node}`, message: `no such node: ${node}` });
    return agent;
  }
}
