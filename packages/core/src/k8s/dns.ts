import { serviceEndpoints } from './endpoints.ts';
import { isIPv4 } from './names.ts';
import type { ObjectRef } from './objects.ts';
import { getObject, listObjects, type K8sState } from './state.ts';

export const CLUSTER_DOMAIN = 'cluster.local';

/** What CoreDNS answers for a cluster name. */
export interface ResolvedName {
  readonly kind: 'service' | 'pod';
  /** The first address: a ClusterIP, or for a headless service its first backend. */
  readonly ip: string;
  /** Every A record (several only for a headless service with several backends). */
  readonly ips: readonly string[];
  /** The fully qualified name that matched, without the trailing dot. */
  readonly fqdn: string;
  readonly ref?: ObjectRef;
}

/** A pod's resolv.conf search list, in order: `<ns>.svc.cluster.local svc.cluster.local cluster.local`. */
export function searchPath(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

/**
 * Resolves a name as a pod in `clientNamespace` would through CoreDNS: a name with fewer than
 * five dots (resolv.conf `ndots:5`) is tried with each search suffix first, then as written; a
 * trailing dot means "already absolute". Understands `<svc>.<ns>.svc.cluster.local` and pod
 * records `1-2-3-4.<ns>.pod.cluster.local`. Undefined for names outside the cluster (the caller
 * decides what the world answers) and for services without an address.
 *
 * @example resolveName(state, 'deathstar', 'default')?.ip // the deathstar ClusterIP
 */
export function resolveName(state: K8sState, name: string, clientNamespace: string): ResolvedName | undefined {
  const lower = name.toLowerCase();
  const absolute = lower.endsWith('.');
  const bare = absolute ? lower.slice(0, -1) : lower;
  const dots = bare.split('.').length - 1;
  const candidates = absolute || dots >= 5 ? [bare] : [...searchPath(clientNamespace).map((s) => `${bare}.${s}`), bare];
  for (const fqdn of candidates) {
    const hit = lookupFqdn(state, fqdn);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function lookupFqdn(state: K8sState, fqdn: string): ResolvedName | undefined {
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  if (parts.length !== 3) return undefined;
  const [head, namespace, zone] = parts as [string, string, string];
  if (zone === 'svc') return serviceRecord(state, head, namespace, fqdn);
  if (zone === 'pod') return podRecord(state, head, namespace, fqdn);
  return undefined;
}

function serviceRecord(state: K8sState, name: string, namespace: string, fqdn: string): ResolvedName | undefined {
  const ref: ObjectRef = { kind: 'Service', namespace, name };
  const svc = getObject(state, { kind: 'Service', namespace, name });
  if (svc === undefined) return undefined;
  const ips = svc.spec.clusterIP === 'None' ? [...new Set(serviceEndpoints(state, svc).map((b) => b.ip))] : [svc.spec.clusterIP];
  if (ips.length === 0) return undefined;
  return { kind: 'service', ip: ips[0]!, ips, fqdn, ref };
}

/** `10-244-1-23.default.pod.cluster.local`: CoreDNS answers from the name itself (`pods insecure`). */
function podRecord(state: K8sState, head: string, namespace: string, fqdn: string): ResolvedName | undefined {
  const ip = head.replaceAll('-', '.');
  if (!isIPv4(ip) || getObject(state, { kind: 'Namespace', name: namespace }) === undefined) return undefined;
  const pod = listObjects(state, 'Pod', namespace).find((p) => p.status.podIP === ip && p.spec.hostNetwork !== true);
  const ref: ObjectRef | undefined = pod === undefined ? undefined : { kind: 'Pod', namespace, name: pod.metadata.name };
  return { kind: 'pod', ip, ips: [ip], fqdn, ...(ref === undefined ? {} : { ref }) };
}
