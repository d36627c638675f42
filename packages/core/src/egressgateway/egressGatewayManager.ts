import type { AgentConfig } from '../agent/agentConfig.ts';
import type { LogLine } from '../agent/agentLog.ts';
import type { Endpoint } from '../agent/endpoint.ts';
import { labelsFromRecord } from '../identity/labels.ts';
import { nodeIp } from '../k8s/ipam.ts';
import type { Node } from '../k8s/objects.ts';
import { listObjects, type K8sState } from '../k8s/state.ts';
import type { WorldExit } from '../datapath/snat.ts';
import { selectorMatches } from '../k8s/labelSelector.ts';
import { parseEgressGatewayPolicy, type EgressGatewayPolicy, type Ipv4Prefix } from './egressGatewayPolicy.ts';
import { EXCLUDED_CIDR, EgressMap, GATEWAY_NOT_FOUND, type EgressMapEntry } from './egressMap.ts';

/** The interface of a kind node that holds its InternalIP (and the default route). */
const NODE_INTERFACE = 'eth0';

/** A log line without its time; the manager's env stamps it. */
export type EgressLogLine = Omit<LogLine, 'atEpochMs'>;

export interface EgressGatewayEnv {
  readonly config: Pick<AgentConfig, 'get'>;
  /** The API server's objects now: policies and nodes. */
  state(): K8sState;
  endpoints(): readonly Endpoint[];
  /** Writes to one node's agent log, or every node's when `node` is undefined. */
  log(node: string | undefined, line: EgressLogLine): void;
}

/**
 * The agents' egress gateway manager (pkg/egressgateway): from the CiliumEgressGatewayPolicies,
 * the endpoints they select and the nodes, the egress policy map every node's datapath reads.
 * It runs only when the agents are configured for it (`enable-egress-gateway`, with BPF
 * masquerading, which needs the kube-proxy replacement's NodePort); a missing requirement is
 * logged with Cilium's error and the map stays empty. Reconciled whenever a policy, an endpoint,
 * a node or the configuration changes; each run writes the whole desired map.
 */
export class EgressGatewayManager {
  readonly map = new EgressMap();
  readonly #env: EgressGatewayEnv;
  #enabled = false;
  /** The requirement error last logged, so it is logged once per change. */
  #shownError: string | undefined;
  /** What the last reconciliation logged, so a persisting problem is logged once. */
  #logged = new Set<string>();

  constructor(env: EgressGatewayEnv) {
    this.#env = env;
  }

  /** Whether the agents run the egress gateway (the map exists). */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Re-reads the configuration the feature needs, logging a missing requirement once. */
  configChanged(): void {
    const cfg = this.#env.config;
    const wanted = cfg.get('enable-egress-gateway') || cfg.get('enable-ipv4-egress-gateway');
    const error = requirementError(cfg);
    // A BPF masquerading problem stops the agent whatever it runs; the egress one only with the feature on.
    const shown = wanted || error?.startsWith('BPF') === true ? error : undefined;
    if (shown !== undefined && shown !== this.#shownError)
      this.#env.log(undefined, { level: 'fatal', msg: shown, fields: [], subsys: 'daemon' });
    this.#shownError = shown;
    this.#enabled = wanted && error === undefined;
    this.reconcile();
  }

  /** Agents that start again (a restart) meet the same missing requirement in their new log. */
  agentsStarted(): void {
    if (this.#shownError !== undefined) this.#env.log(undefined, { level: 'fatal', msg: this.#shownError, fields: [], subsys: 'daemon' });
  }

  /** Rebuilds the map from the policies, endpoints and nodes of `state`. */
  reconcile(state: K8sState = this.#env.state()): void {
    if (!this.#enabled) {
      if (this.map.size > 0) this.map.replace([]);
      this.#logged = new Set();
      return;
    }
    const logged = new Set<string>();
    const nodes = [...listObjects(state, 'Node')].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const entries = new Map<string, EgressMapEntry>();
    const endpoints = this.#env.endpoints();
    const policies = [...listObjects(state, 'CiliumEgressGatewayPolicy')].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    for (const obj of policies) {
      const policy = parseEgressGatewayPolicy(obj);
      if ('error' in policy) {
        this.#logOnce(logged, undefined, {
          level: 'warning',
          msg: 'Failed to parse CiliumEgressGatewayPolicy',
          fields: [
            ['ciliumEgressGatewayPolicyName', obj.metadata.name],
            ['error', policy.error],
          ],
          subsys: 'egressgateway',
        });
        continue;
      }
      const gateway = nodes.find((n) => selectorMatches(policy.nodeSelector, labelsFromRecord(n.metadata.labels, 'k8s')));
      const egressIp = gateway === undefined ? GATEWAY_NOT_FOUND : this.#egressIpOn(policy, gateway, logged);
      const add = (sourceIp: string, destination: Ipv4Prefix, excluded: boolean): void => {
        const key = `${sourceIp} ${destination.text}`;
        if (entries.has(key)) return;
        const gatewayIp = excluded ? EXCLUDED_CIDR : gateway === undefined ? GATEWAY_NOT_FOUND : nodeIp(gateway);
        entries.set(key, { sourceIp, destination, gatewayIp, gatewayNode: gateway?.metadata.name, egressIp });
      };
      for (const ep of endpoints) {
        if (!policy.selectors.some((s) => selectorMatches(s, ep.identityLabels))) continue;
        for (const d of policy.destinations) add(ep.ip, d, false);
        for (const d of policy.excluded) add(ep.ip, d, true);
      }
    }
    this.#logged = logged;
    this.map.replace([...entries.values()]);
  }

  /**
   * The egress IP the gateway node derives: `egressIP` if one of its interfaces holds it, the
   * first IPv4 of `interface`, else that of the interface with the default route. A kind node
   * has one interface, eth0, holding its InternalIP; anything else fails as Cilium's lookup does,
   * logged on the gateway, and the egress IP stays 0.0.0.0.
   */
  #egressIpOn(policy: EgressGatewayPolicy, gateway: Node, logged: Set<string>): string {
    const address = nodeIp(gateway);
    const error =
      policy.iface !== undefined && policy.iface !== NODE_INTERFACE
        ? 'failed to retrieve IPv4 address for egress interface: Link not found'
        : policy.egressIP !== undefined && policy.egressIP !== address
          ? `failed to retrieve interface with egress IP: no interface with ${policy.egressIP} IPv4 assigned to`
          : undefined;
    if (error === undefined) return address;
    this.#logOnce(logged, gateway.metadata.name, {
      level: 'error',
      msg: 'Failed to derive policy gateway configuration',
      fields: [
        ['ciliumEgressGatewayPolicyName', policy.name],
        ['egressIP', policy.egressIP ?? '<nil>'],
        ['error', error],
        ['interface', policy.iface ?? ''],
      ],
      subsys: 'egressgateway',
    });
    return GATEWAY_NOT_FOUND;
  }

  /**
   * How a packet from pod `srcIp` on `node` to outside address `dstIp` leaves, when an egress
   * gateway policy decides it: through the gateway and its egress IP, or dropped (on the pod's
   * node when no gateway node matches, on the gateway when it could not derive its egress IP).
   * Undefined when no policy matches or the destination is excluded: the pod's node masquerades
   * it as usual.
   */
  exit(srcIp: string, node: string, dstIp: string): WorldExit | undefined {
    if (this.map.size === 0) return undefined;
    const e = this.map.lookup(srcIp, dstIp);
    if (e === undefined || e.gatewayIp === EXCLUDED_CIDR) return undefined;
    if (e.gatewayNode === undefined) return { kind: 'drop', reason: 'NO_EGRESS_GATEWAY', node };
    if (e.egressIp === GATEWAY_NOT_FOUND) return { kind: 'drop', reason: 'DROP_NO_EGRESS_IP', node: e.gatewayNode };
    return { kind: 'gateway', ip: e.egressIp, gatewayNode: e.gatewayNode };
  }

  #logOnce(logged: Set<string>, node: string | undefined, line: EgressLogLine): void {
    const key = `${node ?? '*'} ${line.msg} ${JSON.stringify(line.fields)}`;
    logged.add(key);
    if (!this.#logged.has(key)) this.#env.log(node, line);
  }
}

/**
 * Why the agent refuses to run the egress gateway, in its own words (daemon and
 * pkg/egressgateway config checks of Cilium 1.16): BPF masquerading needs the NodePort BPF
 * programs of the kube-proxy replacement, and the egress gateway needs BPF masquerading.
 */
function requirementError(cfg: Pick<AgentConfig, 'get'>): string | undefined {
  const masquerade = cfg.get('enable-ipv4-masquerade');
  const bpfMasquerade = cfg.get('enable-bpf-masquerade');
  const kpr = cfg.get('kube-proxy-replacement');
  if (masquerade && bpfMasquerade && kpr !== 'true' && kpr !== 'strict' && !cfg.get('enable-node-port'))
    return 'BPF masquerade requires NodePort (--enable-node-port="true")';
  if (!masquerade || !bpfMasquerade) return 'egress gateway requires --enable-ipv4-masquerade="true" and --enable-bpf-masquerade="true"';
  return undefined;
}
