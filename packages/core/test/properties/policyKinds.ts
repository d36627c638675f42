// Generators for policies of every kind the simulator parses, as raw manifests applied to a real
// cluster: CiliumNetworkPolicy in two namespaces, CiliumClusterwideNetworkPolicy, Kubernetes
// NetworkPolicy; peers by endpoints (with namespace and expression selectors), entities, CIDRs
// and CIDR sets with excepts (over pinned pod IPs and world IPs), NetworkPolicy podSelector,
// namespaceSelector and ipBlock; ports with ranges, named ports and TCP/UDP/ANY; deny sections,
// ICMP types, authentication, L7 HTTP and DNS rules, enableDefaultDeny, `specs` lists.
// Pools are small so that rules collide.
import fc from 'fast-check';

export const NAMESPACES = ['default', 'ns2'] as const;
export type Namespace = (typeof NAMESPACES)[number];
const APPS = ['web', 'api', 'db'] as const;
const TIERS = ['front', 'back'] as const;

/** Pod IPs a pod may be pinned to (status.podIP), inside kind-worker's pod CIDR 10.244.1.0/24. */
export const PINNED_IPS = ['10.244.1.200', '10.244.1.201', '10.244.1.202'] as const;
/** Addresses outside the cluster a client may curl from (identity world or a CIDR identity). */
export const WORLD_IPS = ['8.8.8.8', '8.8.4.4', '192.0.2.10', '203.0.113.5'] as const;
/** TCP ports pods listen on; 8080 is also the named port `http`. */
export const POD_PORTS = [80, 443, 8080] as const;

export interface KindPod {
  readonly name: string;
  readonly namespace: Namespace;
  readonly labels: Readonly<Record<string, string>>;
  readonly node: 'kind-worker' | 'kind-worker2';
  /** status.podIP; only on kind-worker, whose pod CIDR holds PINNED_IPS. */
  readonly ip: string | undefined;
}

export const labelsArb = fc
  .record({ app: fc.constantFrom(...APPS), tier: fc.option(fc.constantFrom(...TIERS), { nil: undefined }) })
  .map(({ app, tier }) => ({ app, ...(tier === undefined ? {} : { tier }) }));

/** Up to `max` pods over both namespaces and both workers; pinned IPs are handed out without reuse. */
export const kindPods = (min: number, max: number): fc.Arbitrary<KindPod[]> =>
  fc
    .array(
      fc.record({
        ns: fc.constantFrom(...NAMESPACES),
        labels: labelsArb,
        node: fc.constantFrom('kind-worker' as const, 'kind-worker2' as const),
        pin: fc.boolean(),
      }),
      { minLength: min, maxLength: max },
    )
    .map((ps) => {
      let pinned = 0;
      return ps.map((p, i): KindPod => {
        const ip = p.pin && p.node === 'kind-worker' && pinned < PINNED_IPS.length ? PINNED_IPS[pinned++] : undefined;
        return { name: `p${i}`, namespace: p.ns, labels: p.labels, node: p.node, ip };
      });
    });

export function namespaceYaml(): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns2', labels: { team: 'b' } } });
}

export function kindPodYaml(p: KindPod): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
    spec: {
      nodeName: p.node,
      containers: [
        {
          name: 'c',
          image: 'nginx',
          ports: POD_PORTS.map((port) => (port === 8080 ? { name: 'http', containerPort: port } : { containerPort: port })),
        },
      ],
    },
    ...(p.ip === undefined ? {} : { status: { podIP: p.ip } }),
  });
}

// Cilium selectors: plain labels, one namespace pinned, or an expression.
const ciliumSelector = fc.oneof(
  labelsArb.map((l) => ({ matchLabels: l })),
  fc.tuple(labelsArb, fc.constantFrom(...NAMESPACES)).map(([l, ns]) => ({ matchLabels: { ...l, 'k8s:io.kubernetes.pod.namespace': ns } })),
  fc.constantFrom(...APPS).map((a) => ({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [a] }] })),
  fc.constant({}),
);

const CIDRS = ['10.244.1.200/32', '10.244.1.0/24', '8.8.8.8/32', '8.8.0.0/16', '192.0.2.0/24', '0.0.0.0/0'] as const;
const CIDR_SETS = [
  { cidr: '10.244.0.0/16', except: ['10.244.1.201/32'] },
  { cidr: '8.8.0.0/16', except: ['8.8.8.8/32'] },
  { cidr: '0.0.0.0/0', except: ['8.8.0.0/16'] },
  { cidr: '192.0.2.0/24' },
  { cidr: '203.0.113.0/24', except: ['203.0.113.0/28'] },
] as const;
const ENTITIES = ['world', 'cluster', 'host', 'remote-node', 'all', 'kube-apiserver'] as const;

function peerArb(dir: 'from' | 'to'): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    { arbitrary: fc.array(ciliumSelector, { minLength: 1, maxLength: 2 }).map((s) => ({ [`${dir}Endpoints`]: s })), weight: 3 },
    { arbitrary: fc.subarray([...ENTITIES], { minLength: 1, maxLength: 2 }).map((e) => ({ [`${dir}Entities`]: e })), weight: 2 },
    { arbitrary: fc.subarray([...CIDRS], { minLength: 1, maxLength: 2 }).map((c) => ({ [`${dir}CIDR`]: c })), weight: 2 },
    { arbitrary: fc.subarray([...CIDR_SETS], { minLength: 1, maxLength: 2 }).map((c) => ({ [`${dir}CIDRSet`]: c })), weight: 2 },
    { arbitrary: fc.constant({}), weight: 2 },
  );
}

/** A `ports` entry: one port, a range, every port, or the named port; TCP, UDP, ANY or none. */
const portArb = fc
  .tuple(
    fc.constantFrom<Record<string, unknown>>(
      { port: '80' },
      { port: '443' },
      { port: '8080' },
      { port: '80', endPort: 443 },
      { port: '8000', endPort: 8100 },
      { port: '0' },
      { port: 'http' },
    ),
    fc.constantFrom<Record<string, unknown>>({}, { protocol: 'TCP' }, { protocol: 'UDP' }, { protocol: 'ANY' }),
  )
  .map(([a, b]) => ({ ...a, ...b }));

/**
 * One `rules.http` entry (fields AND, entries OR): method and path regexes, `headers` in the
 * CRD's string form (`Name: value` or a bare name for presence), and `headerMatches`, whose
 * mismatch action makes a header requirement log instead of deny.
 */
export const httpRuleArb = fc.record(
  {
    method: fc.constantFrom('GET', 'POST', 'GET|PUT', 'P.*'),
    path: fc.constantFrom('/', '/a', '/a/.*', '/(a|b)/[0-9]+', '/b.*', '/a(\\?.*)?'),
    headers: fc.constantFrom(['X-Env: prod'], ['X-Env'], ['x-trace: 1', 'X-Env: dev']),
    headerMatches: fc.constantFrom(
      [{ name: 'X-Env', value: 'prod' }],
      [{ name: 'X-Env', value: 'prod', mismatch: 'LOG' }],
      [{ name: 'X-Trace' }],
    ),
  },
  { requiredKeys: [] },
);

/** `rules.dns` of a DNS port (53): names and patterns. */
const dnsRulesArb = fc.array(fc.constantFrom({ matchName: 'api.example.com' }, { matchPattern: '*.cilium.io' }, { matchPattern: '*' }), {
  minLength: 1,
  maxLength: 2,
});

/**
 * A `toPorts` list. HTTP rules go only on TCP ports other than 0 and DNS rules only on egress,
 * as Cilium's PortRule.Sanitize demands, so every generated policy is admitted.
 */
function toPortsArb(deny: boolean, dir: 'from' | 'to'): fc.Arbitrary<Record<string, unknown>[]> {
  const l7 = fc.option(
    fc.array(httpRuleArb, { maxLength: 2 }).map((http) => ({ rules: { http } })),
    { nil: undefined, freq: 2 },
  );
  const ports = fc.tuple(fc.array(portArb, { minLength: 1, maxLength: 2 }), deny ? fc.constant(undefined) : l7).map(([ps, rules]) => ({
    ports:
      rules === undefined || rules.rules.http.length === 0
        ? ps
        : ps.map((x) => ({ ...x, protocol: 'TCP', ...(x['port'] === '0' ? { port: '80' } : {}) })),
    ...(rules ?? {}),
  }));
  const dns = fc
    .tuple(fc.constantFrom('UDP', 'ANY'), dnsRulesArb)
    .map(([protocol, d]) => ({ ports: [{ port: '53', protocol }], ...(deny || dir === 'from' ? {} : { rules: { dns: d } }) }));
  return fc.array(fc.oneof({ arbitrary: ports, weight: 5 }, { arbitrary: dns, weight: 1 }), { minLength: 1, maxLength: 2 });
}

/** ICMP echo / destination-unreachable, the types in the port position of the map key. */
const icmpsArb = fc
  .subarray([{ type: 8 }, { type: 'DestinationUnreachable' }, { type: 0 }], { minLength: 1 })
  .map((fields) => [{ fields }]);

function ruleArb(dir: 'from' | 'to', deny: boolean): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      peer: peerArb(dir),
      toPorts: fc.option(toPortsArb(deny, dir), { nil: undefined }),
      icmps: fc.option(icmpsArb, { nil: undefined, freq: 5 }),
      auth: deny ? fc.constant(undefined) : fc.option(fc.constantFrom('required', 'disabled'), { nil: undefined, freq: 3 }),
    })
    .map(({ peer, toPorts, icmps, auth }) => ({
      // icmps only without toPorts: Cilium wants them in a rule of their own.
      ...peer,
      ...(toPorts === undefined ? {} : { toPorts }),
      ...(icmps === undefined || toPorts !== undefined ? {} : { icmps }),
      ...(auth === undefined ? {} : { authentication: { mode: auth } }),
    }));
}

const sectionsArb = fc.record(
  {
    ingress: fc.array(ruleArb('from', false), { minLength: 1, maxLength: 2 }),
    egress: fc.array(ruleArb('to', false), { minLength: 1, maxLength: 2 }),
    ingressDeny: fc.array(ruleArb('from', true), { minLength: 1, maxLength: 1 }),
    egressDeny: fc.array(ruleArb('to', true), { minLength: 1, maxLength: 1 }),
    enableDefaultDeny: fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const knpSelector = labelsArb.map((l) => ({ matchLabels: l }));
const knpPeer = fc.oneof(
  knpSelector.map((s) => ({ podSelector: s })),
  fc.constantFrom({}, { matchLabels: { team: 'b' } }).map((ns) => ({ namespaceSelector: ns })),
  fc.tuple(knpSelector, fc.constantFrom({}, { matchLabels: { team: 'b' } })).map(([s, ns]) => ({ podSelector: s, namespaceSelector: ns })),
  fc
    .constantFrom(
      { cidr: '10.244.0.0/16', except: ['10.244.1.200/32'] },
      { cidr: '8.8.0.0/16' },
      { cidr: '0.0.0.0/0', except: ['192.0.2.0/24'] },
    )
    .map((b) => ({ ipBlock: b })),
);
const knpPort = fc.constantFrom<Record<string, unknown>>(
  { port: 80 },
  { port: 80, endPort: 8080 },
  { port: 'http' },
  { protocol: 'UDP', port: 443 },
  { protocol: 'TCP' },
  { port: 443, protocol: 'TCP' },
);
const knpRule = (peerKey: 'from' | 'to') =>
  fc.record(
    { [peerKey]: fc.array(knpPeer, { maxLength: 2 }), ports: fc.array(knpPort, { minLength: 1, maxLength: 2 }) },
    { requiredKeys: [] },
  );
const knpSpec = fc
  .record({
    podSelector: fc.oneof(knpSelector, fc.constant({})),
    policyTypes: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    ingress: fc.array(knpRule('from'), { maxLength: 2 }),
    egress: fc.option(fc.array(knpRule('to'), { maxLength: 2 }), { nil: undefined }),
  })
  .map(({ podSelector, policyTypes, ingress, egress }) => ({
    podSelector,
    ...(policyTypes === undefined ? {} : { policyTypes }),
    ingress,
    ...(egress === undefined ? {} : { egress }),
  }));

export type PolicyDoc = Record<string, unknown> & {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
};

/** One policy object of any kind, named `pol` until `anyPolicies` numbers it. */
export const anyPolicy: fc.Arbitrary<PolicyDoc> = fc.oneof(
  fc.tuple(ciliumSelector, sectionsArb, fc.constantFrom(...NAMESPACES)).map(
    ([endpointSelector, s, namespace]): PolicyDoc => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'pol', namespace },
      spec: { endpointSelector, ...s },
    }),
  ),
  // `specs`: one object, several rules.
  fc.tuple(ciliumSelector, sectionsArb, ciliumSelector, sectionsArb, fc.constantFrom(...NAMESPACES)).map(
    ([sel, s, sel2, s2, namespace]): PolicyDoc => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'pol', namespace },
      specs: [
        { endpointSelector: sel, ...s },
        { endpointSelector: sel2, ...s2 },
      ],
    }),
  ),
  fc.tuple(ciliumSelector, sectionsArb).map(
    ([endpointSelector, s]): PolicyDoc => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'pol' },
      spec: { endpointSelector, ...s },
    }),
  ),
  fc.tuple(knpSpec, fc.constantFrom(...NAMESPACES)).map(
    ([spec, namespace]): PolicyDoc => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'pol', namespace },
      spec,
    }),
  ),
);

/** Policies with distinct names (`pol0`, `pol1`, ...): an array, so shrinking drops whole policies. */
export const anyPolicies = (min: number, max: number): fc.Arbitrary<PolicyDoc[]> =>
  fc
    .array(anyPolicy, { minLength: min, maxLength: max })
    .map((ps) => ps.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `pol${i}` } })));

export function policyYaml(doc: PolicyDoc): string {
  return JSON.stringify(doc);
}
