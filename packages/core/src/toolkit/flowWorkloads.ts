import { stringify } from 'yaml';
import type { Flow, Endpoint as FlowEndpoint } from '../hubble/flow.ts';

/**
 * The workloads a Hubble export shows, rebuilt as manifests: a Namespace per namespace (with
 * the labels its pods' identities carry), the service accounts they run as, and a Pod per pod,
 * labelled as its identity is. Applied to a fresh cluster they get identities that select alike, so the
 * recorded connections can be judged against other policies. Pure.
 */
export interface FlowWorkloads {
  /** Multi-document YAML of the Namespaces and Pods. */
  readonly manifest: string;
  readonly namespaces: number;
  readonly pods: number;
  /** Outside names the flows show with the address they resolved to (DNS answers, destination names). */
  readonly names: Readonly<Record<string, string>>;
}

const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage', 'cilium-spire']);
/** Namespaces whose pods every cluster runs already (CoreDNS, Hubble Relay, SPIRE): not rebuilt. */
const SYSTEM_PODS = new Set(['kube-system', 'cilium-spire']);
const NAMESPACE_LABEL = 'k8s:io.cilium.k8s.namespace.labels.';
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i;

export function flowWorkloads(flows: readonly Flow[]): FlowWorkloads {
  const pods = new Map<string, FlowEndpoint>();
  const namespaces = new Map<string, Record<string, string>>();
  const names: Record<string, string> = {};
  for (const f of flows) {
    for (const ep of [f.source, f.destination]) {
      if (ep?.pod_name === undefined || ep.namespace === undefined || ep.labels?.includes('reserved:host') === true) continue;
      if (SYSTEM_PODS.has(ep.namespace)) continue;
      pods.set(`${ep.namespace}/${ep.pod_name}`, ep);
      const nsLabels = namespaces.get(ep.namespace) ?? {};
      for (const l of ep.labels ?? [])
        if (l.startsWith(NAMESPACE_LABEL)) Object.assign(nsLabels, keyValue(l.slice(NAMESPACE_LABEL.length)));
      namespaces.set(ep.namespace, nsLabels);
    }
    const dns = f.l7?.dns;
    const answer = dns?.ips?.find((ip) => IPV4.test(ip));
    if (dns?.query !== undefined && answer !== undefined) names[dns.query.replace(/\.$/, '')] ??= answer;
    for (const n of f.destination_names ?? [])
      if (f.IP !== undefined && IPV4.test(f.IP.destination)) names[n.replace(/\.$/, '')] ??= f.IP.destination;
  }
  const docs: object[] = [];
  for (const [ns, labels] of [...namespaces].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (SYSTEM_NAMESPACES.has(ns)) continue;
    const { 'kubernetes.io/metadata.name': _own, ...rest } = labels;
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: rest } });
  }
  const podDocs = [...pods].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, ep]) => pod(ep));
  // Service accounts first: a pod naming one that does not exist is refused, as by the API server.
  const accounts = new Set(podDocs.map((p) => `${p.metadata.namespace}/${p.spec.serviceAccountName}`));
  for (const key of [...accounts].sort()) {
    const [namespace, name] = key.split('/') as [string, string];
    if (name !== 'default') docs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
  }
  docs.push(...podDocs);
  const outside = Object.fromEntries(Object.entries(names).filter(([n]) => DNS_NAME.test(n) && !n.endsWith('.cluster.local')));
  return {
    manifest: docs.map((d) => stringify(d)).join('---\n'),
    namespaces: docs.filter((d) => (d as { kind: string }).kind === 'Namespace').length,
    pods: pods.size,
    names: outside,
  };
}

/** A pod as its identity labels describe it (`k8s:` labels, less the ones the agent adds). */
interface PodDoc {
  readonly apiVersion: 'v1';
  readonly kind: 'Pod';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  readonly spec: { readonly serviceAccountName: string; readonly containers: readonly object[] };
}

function pod(ep: FlowEndpoint): PodDoc {
  const labels: Record<string, string> = {};
  let serviceAccount = 'default';
  for (const l of ep.labels ?? []) {
    if (!l.startsWith('k8s:')) continue;
    const { key, value } = { key: Object.keys(keyValue(l.slice(4)))[0]!, value: Object.values(keyValue(l.slice(4)))[0]! };
    if (key === 'io.cilium.k8s.policy.serviceaccount') serviceAccount = value;
    else if (!key.startsWith('io.cilium.k8s.') && key !== 'io.kubernetes.pod.namespace') labels[key] = value;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: ep.pod_name ?? '', namespace: ep.namespace ?? 'default', labels },
    spec: { serviceAccountName: serviceAccount, containers: [{ name: 'app', image: 'replayed' }] },
  };
}

/** `app=web` -> { app: 'web' }; `tier` -> { tier: '' }. */
function keyValue(text: string): Record<string, string> {
  const eq = text.indexOf('=');
  return eq === -1 ? { [text]: '' } : { [text.slice(0, eq)]: text.slice(eq + 1) };
}
