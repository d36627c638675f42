import type { AgentConfig, AgentConfigKey, AgentConfigValue } from '../agent/agentConfig.ts';
import { isKnownKey } from '../agent/agentConfig.ts';
import type { AuthMap } from '../datapath/authMap.ts';
import type { EgressGatewayManager } from '../egressgateway/egressGatewayManager.ts';
import type { MonitorAggregation } from '../datapath/monitorAggregation.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';

/** What a config change may reach. */
export interface ConfigTargets {
  readonly policy: PolicyEngine;
  /** The datapath's monitor aggregation settings. */
  readonly monitor: MonitorAggregation;
  /** Every node's auth map (read when a key changes: the nodes join after the effects are wired). */
  authMaps(): readonly AuthMap[];
  /** Whether the installed version implements ClusterNetworkPolicy (1.20 on). */
  readonly tiersImplemented: boolean;
  /** The egress gateway manager, which runs only when its options and their requirements are set. */
  readonly egressGateway: Pick<EgressGatewayManager, 'configChanged'>;
  /** The operator's Gateway API and Ingress controllers, run again when their options change. */
  readonly gateways: { reconcile(): void };
}

type Effect<K extends AgentConfigKey> = (value: AgentConfigValue<K>, targets: ConfigTargets) => void;

/**
 * What the agents do when a key changes (set, or deleted back to its default), for the keys whose
 * value is held elsewhere. The other keys the model acts on are read where they are used, so
 * their change shows at once: `policy-audit-mode` per dropped packet, `debug` per log line,
 * `tofqdns-*` per DNS answer, `mesh-auth-*` per handshake or GC run, `identity-gc-interval` at
 * the next GC.
 */
const EFFECTS: { readonly [K in AgentConfigKey]?: Effect<K> } = {
  'enable-policy': (mode, t) => t.policy.regenerateAll(mode),
  // Before 1.20 the agents have no such switch: the key is stored and changes nothing.
  'enable-k8s-cluster-network-policy': (enabled, t) => t.policy.setTiers(enabled && t.tiersImplemented),
  'monitor-aggregation': (level, t) => {
    t.monitor.level = level;
  },
  'monitor-aggregation-interval': (ns, t) => {
    t.monitor.intervalNs = ns;
  },
  // An agent restarted without authentication keeps no authenticated pair: nothing would expire,
  // re-check or collect the entries, so traffic a policy requires authentication for drops.
  'mesh-auth-enabled': (on, t) => {
    if (!on) for (const m of t.authMaps()) m.clear();
  },
  'mesh-auth-mutual-enabled': (on, t) => {
    if (!on) for (const m of t.authMaps()) m.clear();
  },
  'enable-egress-gateway': (_, t) => t.egressGateway.configChanged(),
  'enable-ipv4-egress-gateway': (_, t) => t.egressGateway.configChanged(),
  'enable-bpf-masquerade': (_, t) => t.egressGateway.configChanged(),
  'enable-ipv4-masquerade': (_, t) => t.egressGateway.configChanged(),
  'kube-proxy-replacement': (_, t) => t.egressGateway.configChanged(),
  'enable-node-port': (_, t) => t.egressGateway.configChanged(),
  'enable-gateway-api': (_, t) => t.gateways.reconcile(),
  'enable-ingress-controller': (_, t) => t.gateways.reconcile(),
  'ingress-default-lb-mode': (_, t) => t.gateways.reconcile(),
};

/** Applies the config's current values now and every change from here on. */
export function applyConfigEffects(config: AgentConfig, targets: ConfigTargets): void {
  const apply = (key: string): void => {
    if (!isKnownKey(key)) return;
    const effect = EFFECTS[key] as Effect<typeof key> | undefined;
    effect?.(config.get(key), targets);
  };
  for (const key of Object.keys(EFFECTS)) apply(key);
  config.onChange(apply);
}
