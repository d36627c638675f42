// The proxy tests pin what a learner sees of the proxy's flows: `hubble observe` lines. Printing
// them is the CLI's job, so `observe` below borrows the CLI's hubble observe (a test-only import
// across packages; core's sources never import the CLI).
import { hubbleObserve } from '../../../cli/src/hubble/observe.ts';
import { Cluster } from '../../src/cluster/cluster.ts';

/**
 * Workloads and policies for the L7 tests, modelled on Cilium's documented examples
 * (policy language: HTTP, DNS, FQDN, SNI; the DNS-based policy "mediabot" getting started).
 * Mutual authentication is off: these tests are about the proxy, not the handshake.
 */
export const PODS = `apiVersion: v1
kind: Pod
metadata: { name: mediabot, labels: { org: empire, class: mediabot, app: test-app } }
spec: { containers: [{ name: mediabot, image: quay.io/cilium/json-mock:v1.3.8 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec: { containers: [{ name: client, image: nicolaka/netshoot }] }
---
apiVersion: v1
kind: Pod
metadata: { name: my-service, labels: { app: myService } }
spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 80 }] }] }
`;

/** The egress rule every DNS example starts with: kube-dns on 53, through the DNS proxy. */
export function dnsEgress(dnsRules: string): string {
  return `  - toEndpoints:
    - matchLabels:
        "k8s:io.kubernetes.pod.namespace": kube-system
        "k8s:k8s-app": kube-dns
    toPorts:
    - ports:
      - port: "53"
        protocol: ANY
      rules:
        dns:
${dnsRules}`;
}

/** A CNP for the mediabot pod with the given egress rules. */
export function mediabotPolicy(name: string, egress: string): string {
  return `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: ${name} }
spec:
  endpointSelector:
    matchLabels: { org: empire, class: mediabot }
  egress:
${egress}`;
}

export function newCluster(externalHosts: Readonly<Record<string, string>> = {}, seed = 1): Cluster {
  const cluster = Cluster.create({ seed, mutualAuth: false, externalHosts });
  cluster.apply(PODS);
  return cluster;
}

export function podIp(cluster: Cluster, name: string, namespace = 'default'): string {
  const ip = cluster.get('Pod', name, namespace)?.status.podIP;
  if (ip === undefined) throw new Error(`test setup: pod ${namespace}/${name} has no IP`);
  return ip;
}

/** `nslookup NAME` from a pod: the addresses, or the rcode (`REFUSED`, `timeout`). */
export function lookup(cluster: Cluster, name: string, pod = 'mediabot'): string {
  const r = cluster.exec(pod).nslookup(name);
  return r.ok ? r.ips.join(',') : r.rcode;
}

/** `curl --connect-timeout 2 URL` from a pod: the status, or curl's exit code. */
export function get(
  cluster: Cluster,
  url: string,
  pod = 'mediabot',
  resolve?: { host: string; port: number; ip: string },
): number | string {
  const r = cluster.exec(pod).curl({ url, connectTimeoutMs: 2000, ...(resolve === undefined ? {} : { resolve: [resolve] }) });
  return r.kind === 'response' ? r.response.status : `exit ${r.code}`;
}

/** `hubble observe ARGS` as a list of lines, for exact-output assertions. */
export function observe(cluster: Cluster, ...argv: string[]): string[] {
  const r = hubbleObserve((query) => cluster.flows(query), argv, cluster.now().epochMs);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** The part of a compact line after the timestamp, which stays the same across clock changes. */
export function untimed(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\.\d{3}: /, ''));
}

// Cilium's documented DNS example (policy language, "DNS Proxy"): DNS only for cilium.io,
// *.cilium.io and *.api.cilium.io, and toFQDNs egress on port 80 to four names.
export const DNS_VISIBILITY = mediabotPolicy(
  'tofqdn-dns-visibility',
  `${dnsEgress(`        - matchName: "cilium.io"
        - matchPattern: "*.cilium.io"
        - matchPattern: "*.api.cilium.io"
`)}  - toFQDNs:
    - matchName: "cilium.io"
    - matchName: "sub.cilium.io"
    - matchName: "service1.api.cilium.io"
    - matchPattern: "special*service.api.cilium.io"
    toPorts:
    - ports:
      - port: "80"
        protocol: TCP
`,
);

/** The names of the DNS example, at documentation addresses (RFC 5737). */
export const DOC_HOSTS: Readonly<Record<string, string>> = {
  'sub.cilium.io': '203.0.113.10',
  'service1.api.cilium.io': '203.0.113.11',
  'specialfooservice.api.cilium.io': '203.0.113.12',
  'other.api.cilium.io': '203.0.113.13',
  'deep.sub.cilium.io': '203.0.113.14',
};
