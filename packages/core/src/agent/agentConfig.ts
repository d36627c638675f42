import { SimError } from '../errors.ts';
import { MONITOR_AGGREGATION_LEVELS } from '../datapath/monitorAggregation.ts';
import { parseDuration } from '../sim/duration.ts';

/**
 * The `cilium-config` ConfigMap as a kind cluster installed with mutual authentication shows it
 * (`cilium config view`). Values are strings, as in the ConfigMap.
 */
export function defaultAgentConfig(opts: {
  mutualAuth: boolean;
  clusterName: string;
  encryption: 'disabled' | 'wireguard' | 'ipsec';
}): Record<string, string> {
  const base: Record<string, string> = {
    'agent-not-ready-taint-key': 'node.cilium.io/agent-not-ready',
    'arping-refresh-period': '30s',
    'auto-direct-node-routes': 'false',
    'bpf-lb-sock': 'false',
    'bpf-map-dynamic-size-ratio': '0.0025',
    'bpf-policy-map-max': '16384',
    'cgroup-root': '/run/cilium/cgroupv2',
    'cilium-endpoint-gc-interval': '5m0s',
    'cluster-id': '0',
    'cluster-name': opts.clusterName,
    'cluster-pool-ipv4-cidr': '10.244.0.0/16',
    'cluster-pool-ipv4-mask-size': '24',
    'cni-exclusive': 'true',
    'cni-log-file': '/var/run/cilium/cilium-cni.log',
    debug: 'false',
    'enable-auto-protect-node-port-range': 'true',
    'enable-endpoint-health-checking': 'true',
    'enable-health-checking': 'true',
    'enable-hubble': 'true',
    'enable-ipv4': 'true',
    'enable-ipv4-masquerade': 'true',
    'enable-ipv6': 'false',
    'enable-l7-proxy': 'true',
    'enable-policy': 'default',
    'enable-wireguard': opts.encryption === 'wireguard' ? 'true' : 'false',
    'enable-ipsec': opts.encryption === 'ipsec' ? 'true' : 'false',
    'hubble-disable-tls': 'false',
    'hubble-event-buffer-capacity': '4095',
    'hubble-listen-address': ':4244',
    'identity-allocation-mode': 'crd',
    'identity-gc-interval': '15m0s',
    'identity-heartbeat-timeout': '30m0s',
    ipam: 'cluster-pool',
    'kube-proxy-replacement': 'true',
    'monitor-aggregation': 'medium',
    'monitor-aggregation-flags': 'all',
    'monitor-aggregation-interval': '5s',
    'policy-audit-mode': 'false',
    'routing-mode': 'tunnel',
    'tofqdns-dns-reject-response-code': 'refused',
    'tofqdns-enable-dns-compression': 'true',
    'tofqdns-endpoint-max-ip-per-hostname': '1000',
    'tofqdns-min-ttl': '0',
    'tofqdns-proxy-response-max-delay': '100ms',
    'tunnel-protocol': 'vxlan',
  };
  if (!opts.mutualAuth) return base;
  return {
    ...base,
    'mesh-auth-enabled': 'true',
    'mesh-auth-gc-interval': '5m0s',
    'mesh-auth-mutual-connect-timeout': '5s',
    'mesh-auth-mutual-enabled': 'true',
    'mesh-auth-mutual-listener-port': '4250',
    'mesh-auth-queue-size': '1024',
    'mesh-auth-rotated-identities-queue-size': '1024',
    'mesh-auth-spiffe-trust-domain': 'spiffe.cilium',
    'mesh-auth-spire-admin-socket': '/run/spire/sockets/admin.sock',
    'mesh-auth-spire-agent-socket': '/run/spire/sockets/agent/agent.sock',
    'mesh-auth-spire-server-address': 'spire-server.cilium-spire.svc:8081',
    'mesh-auth-spire-server-connection-timeout': '30s',
  };
}

const BOOLEAN_KEYS = new Set([
  'debug',
  'policy-audit-mode',
  'mesh-auth-enabled',
  'mesh-auth-mutual-enabled',
  'enable-hubble',
  'enable-l7-proxy',
  'enable-wireguard',
  'enable-ipsec',
]);
const DURATION_KEYS = new Set([
  'monitor-aggregation-interval',
  'mesh-auth-gc-interval',
  'mesh-auth-mutual-connect-timeout',
  'identity-gc-interval',
  'mesh-auth-spire-server-connection-timeout',
]);

/** Checks a `cilium config set` value the model interprets; other keys are stored as given. */
export function validateConfigValue(key: string, value: string): void {
  if (BOOLEAN_KEYS.has(key) && value !== 'true' && value !== 'false') {
    throw new SimError({
      code: 'INVALID_FLAG',
      object: 'cilium config set',
      path: key,
      message: `invalid value "${value}" for ${key}: expected true or false`,
    });
  }
  if (DURATION_KEYS.has(key)) parseDuration(value, key);
  if (key === 'monitor-aggregation' && !(MONITOR_AGGREGATION_LEVELS as readonly string[]).includes(value)) {
    throw new SimError({
      code: 'INVALID_FLAG',
      object: 'cilium config set',
      path: key,
      message: `invalid value "${value}" for monitor-aggregation: expected one of ${MONITOR_AGGREGATION_LEVELS.join(', ')}`,
    });
  }
  if (key === 'enable-policy' && !['default', 'always', 'never'].includes(value)) {
    throw new SimError({
      code: 'INVALID_FLAG',
      object: 'cilium config set',
      path: key,
      message: `invalid value "${value}" for enable-policy: expected default, always or never`,
    });
  }
}
