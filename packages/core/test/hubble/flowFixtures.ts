/**
 * Hand-built flows for the Hubble tests: the situations of the mutual-authentication and
 * Star Wars labs, shaped as the datapath emits them (before Hubble's decoding rules apply).
 */
import type { Endpoint, Flow } from '../../src/hubble/flow.ts';

export const worker: Endpoint = {
  ID: 301,
  identity: 39239,
  namespace: 'default',
  pod_name: 'pod-worker',
  labels: ['k8s:app=pod-worker', 'k8s:io.kubernetes.pod.namespace=default'],
};
export const echo: Endpoint = {
  ID: 1234,
  identity: 17947,
  namespace: 'default',
  pod_name: 'echo-7f9d6b7c5-abcde',
  labels: ['k8s:app=echo', 'k8s:io.kubernetes.pod.namespace=default'],
};
export const xwing: Endpoint = {
  ID: 55,
  identity: 22654,
  namespace: 'default',
  pod_name: 'xwing',
  labels: ['k8s:class=xwing', 'k8s:org=alliance'],
  workloads: [{ name: 'xwing', kind: 'Pod' }],
};
export const deathstar: Endpoint = {
  ID: 77,
  identity: 16530,
  namespace: 'default',
  pod_name: 'deathstar-6fb5694d48-5hmds',
  labels: ['k8s:class=deathstar', 'k8s:org=empire'],
  workloads: [{ name: 'deathstar', kind: 'Deployment' }],
};
export const coredns: Endpoint = {
  identity: 102,
  namespace: 'kube-system',
  pod_name: 'coredns-5d78c9869d-xk2lp',
  labels: ['k8s:k8s-app=kube-dns'],
};
export const world: Endpoint = { identity: 2, labels: ['reserved:world'] };

const syn = (sport: number, dport: number) => ({ TCP: { source_port: sport, destination_port: dport, flags: { SYN: true } } }) as const;
const ip = (source: string, destination: string) => ({ source, destination, ipVersion: 'IPv4' }) as const;

/** policy-verdict DENIED because the auth map had no entry: `<>`, `; Auth: SPIRE`. */
export const authDeniedVerdict: Flow = {
  time: '2024-07-04T17:58:28.795123456Z',
  uuid: 'a1',
  verdict: 'DROPPED',
  auth_type: 'SPIRE',
  IP: ip('10.244.1.5', '10.244.2.7'),
  l4: syn(54312, 3000),
  source: worker,
  destination: echo,
  node_name: 'kind-worker2',
  event_type: { type: 5 },
  traffic_direction: 'INGRESS',
  policy_match_type: 2,
  drop_reason_desc: 'AUTH_REQUIRED',
  is_reply: false,
};

/** The drop itself; the emitter passes auth_type and is_reply, which Hubble does not decode on drops. */
export const authRequiredDrop: Flow = {
  time: '2024-07-04T17:58:28.795123456Z',
  uuid: 'a2',
  verdict: 'DROPPED',
  auth_type: 'SPIRE',
  IP: ip('10.244.1.5', '10.244.2.7'),
  l4: syn(54312, 3000),
  source: worker,
  destination: echo,
  node_name: 'kind-worker2',
  event_type: { type: 1 },
  traffic_direction: 'INGRESS',
  drop_reason: 189,
  is_reply: false,
};

/** The retransmitted SYN a second later, once the handshake finished. */
export const authAllowedVerdict: Flow = {
  time: '2024-07-04T17:58:29.810Z',
  uuid: 'a3',
  verdict: 'FORWARDED',
  auth_type: 'SPIRE',
  IP: ip('10.244.1.5', '10.244.2.7'),
  l4: syn(54312, 3000),
  source: worker,
  destination: echo,
  node_name: 'kind-worker2',
  event_type: { type: 5 },
  traffic_direction: 'INGRESS',
  policy_match_type: 2,
  ingress_allowed_by: [
    {
      name: 'mutual-auth-echo',
      namespace: 'default',
      labels: ['k8s:io.cilium.k8s.policy.name=mutual-auth-echo'],
      revision: 7,
      kind: 'CiliumNetworkPolicy',
    },
  ],
};

export const xwingDeniedVerdict: Flow = {
  time: '2024-06-15T14:07:01.123Z',
  verdict: 'DROPPED',
  IP: ip('10.244.1.20', '10.244.2.30'),
  l4: syn(41702, 80),
  source: xwing,
  destination: deathstar,
  node_name: 'kind-worker',
  event_type: { type: 5 },
  traffic_direction: 'INGRESS',
  policy_match_type: 0,
};

export const xwingPolicyDrop: Flow = {
  time: '2024-06-15T14:07:01.123Z',
  verdict: 'DROPPED',
  IP: ip('10.244.1.20', '10.244.2.30'),
  l4: syn(41702, 80),
  source: xwing,
  destination: deathstar,
  node_name: 'kind-worker',
  event_type: { type: 1, sub_type: 133 },
  traffic_direction: 'INGRESS',
  drop_reason_desc: 'POLICY_DENIED',
};

/** The SYN-ACK from deathstar back to xwing, delivered to xwing's endpoint. */
export const replyTrace: Flow = {
  time: '2024-06-15T14:07:02.000Z',
  verdict: 'FORWARDED',
  IP: ip('10.244.2.30', '10.244.1.20'),
  l4: { TCP: { source_port: 80, destination_port: 41702, flags: { SYN: true, ACK: true } } },
  source: deathstar,
  destination: xwing,
  node_name: 'kind-worker',
  event_type: { type: 4 },
  trace_observation_point: 'TO_ENDPOINT',
  trace_reason: 'REPLY',
  is_reply: true,
  traffic_direction: 'INGRESS',
};

const exhaustUrl = 'http://deathstar.default.svc.cluster.local/v1/exhaust-port';
export const httpRequestDenied: Flow = {
  time: '2024-06-15T14:08:00.500Z',
  verdict: 'DROPPED',
  IP: ip('10.244.1.20', '10.244.2.30'),
  l4: { TCP: { source_port: 41710, destination_port: 80 } },
  source: xwing,
  destination: deathstar,
  node_name: 'kind-worker',
  event_type: { type: 129 },
  traffic_direction: 'INGRESS',
  l7: { type: 'REQUEST', http: { method: 'PUT', url: exhaustUrl, protocol: 'HTTP/1.1' } },
};
export const httpResponse403: Flow = {
  time: '2024-06-15T14:08:00.501Z',
  verdict: 'FORWARDED',
  IP: ip('10.244.2.30', '10.244.1.20'),
  l4: { TCP: { source_port: 80, destination_port: 41710 } },
  source: deathstar,
  destination: xwing,
  node_name: 'kind-worker',
  event_type: { type: 129 },
  traffic_direction: 'INGRESS',
  l7: { type: 'RESPONSE', latency_ns: 350_000, http: { code: 403, method: 'PUT', url: exhaustUrl, protocol: 'HTTP/1.1' } },
};
export const httpResponse200: Flow = {
  time: '2024-07-04T17:58:29.900Z',
  verdict: 'FORWARDED',
  IP: ip('10.244.2.7', '10.244.1.5'),
  l4: { TCP: { source_port: 3000, destination_port: 54312 } },
  source: echo,
  destination: worker,
  node_name: 'kind-worker2',
  event_type: { type: 129 },
  traffic_direction: 'INGRESS',
  l7: {
    type: 'RESPONSE',
    latency_ns: 3_400_000,
    http: { code: 200, method: 'GET', url: 'http://echo:3000/headers?a=1&b=2', protocol: 'HTTP/1.1' },
  },
};

const dnsBase = {
  IP: ip('10.244.1.20', '10.96.0.10'),
  source: xwing,
  destination: coredns,
  node_name: 'kind-worker',
  event_type: { type: 129 },
  traffic_direction: 'EGRESS',
} as const;
export const dnsRequest: Flow = {
  ...dnsBase,
  time: '2024-06-15T14:09:00Z',
  verdict: 'FORWARDED',
  l4: { UDP: { source_port: 43210, destination_port: 53 } },
  l7: { type: 'REQUEST', dns: { query: 'api.github.com.', observation_source: 'proxy', qtypes: ['A'] } },
};
export const dnsAnswer: Flow = {
  ...dnsBase,
  time: '2024-06-15T14:09:00.002Z',
  verdict: 'FORWARDED',
  l4: { UDP: { source_port: 53, destination_port: 43210 } },
  IP: ip('10.96.0.10', '10.244.1.20'),
  source: coredns,
  destination: xwing,
  l7: {
    type: 'RESPONSE',
    dns: { query: 'api.github.com.', ips: ['140.82.121.6'], ttl: 30, observation_source: 'proxy', qtypes: ['A'], rrtypes: ['A'] },
  },
};
export const dnsRefused: Flow = {
  ...dnsAnswer,
  time: '2024-06-15T14:09:01Z',
  verdict: 'DROPPED',
  l7: { type: 'RESPONSE', dns: { query: 'api.github.com.', observation_source: 'proxy', rcode: 5, qtypes: ['A'] } },
};

/** From outside the cluster, to the deathstar, with a DNS name for the world address. */
export const fromWorld: Flow = {
  time: '2024-06-15T14:10:00Z',
  verdict: 'FORWARDED',
  IP: ip('203.0.113.9', '10.244.2.30'),
  l4: syn(51000, 80),
  source: world,
  destination: deathstar,
  source_names: ['client.example.com'],
  node_name: 'kind-worker',
  event_type: { type: 4 },
  trace_observation_point: 'TO_ENDPOINT',
  is_reply: false,
};

export const pingWorld: Flow = {
  time: '2024-06-15T14:11:00Z',
  verdict: 'FORWARDED',
  IP: ip('10.244.1.20', '1.1.1.1'),
  l4: { ICMPv4: { type: 8 } },
  source: xwing,
  destination: world,
  node_name: 'kind-worker',
  event_type: { type: 4 },
  trace_observation_point: 'TO_STACK',
  is_reply: false,
};

export const ALL_FIXTURES: readonly Flow[] = [
  authDeniedVerdict,
  authRequiredDrop,
  authAllowedVerdict,
  xwingDeniedVerdict,
  xwingPolicyDrop,
  replyTrace,
  httpRequestDenied,
  httpResponse403,
  httpResponse200,
  dnsRequest,
  dnsAnswer,
  dnsRefused,
  fromWorld,
  pingWorld,
];
