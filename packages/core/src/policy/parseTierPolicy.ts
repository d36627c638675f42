import { labelSet } from '../identity/labels.ts';
import type { AdminNetworkPolicy } from '../k8s/schemas/adminNetworkPolicy.ts';
import { adminNetworkPolicySchema } from '../k8s/schemas/adminNetworkPolicy.ts';
import type { BaselineAdminNetworkPolicy } from '../k8s/schemas/baselineAdminNetworkPolicy.ts';
import { baselineAdminNetworkPolicySchema } from '../k8s/schemas/baselineAdminNetworkPolicy.ts';
import type { ClusterNetworkPolicy } from '../k8s/schemas/clusterNetworkPolicy.ts';
import { clusterNetworkPolicySchema } from '../k8s/schemas/clusterNetworkPolicy.ts';
import { schemaIssues } from '../k8s/validate.ts';
import { parseCidr } from './cidr.ts';
import type { FieldReader, RawObject } from '../k8s/fieldReader.ts';
import { cidrPeer, endpointsPeer, fqdnPeer, type PeerSelector } from './peerSelector.ts';
import type { TierPolicyKind } from './policyKinds.ts';
import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX } from '../identity/endpointLabels.ts';
import { makeSelector, readLabelSelector, type Selector } from '../k8s/labelSelector.ts';
import { KUBERNETES_KEYS } from './parseRule.ts';
import type {
  PeerRule,
  PolicyProtocol,
  PolicyRule,
  PolicySource,
  PortRule,
  PortSpec,
  RuleSection,
  TierAction,
  TierPlacement,
} from './types.ts';

/**
 * ClusterNetworkPolicy (v1alpha2) and AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1)
 * as Cilium 1.20 translates a ClusterNetworkPolicy (pkg/k8s/cluster_network_policy.go): one rule
 * for the whole object, placed in its tier at its priority; each ingress/egress rule a peer rule
 * with its action, in list order. Selectors read as a NetworkPolicy's do (pod labels `k8s:`,
 * namespace labels `io.cilium.k8s.namespace.labels.*`, pods of any namespace); `networks` are CIDR
 * peers, `domainNames` FQDN peers (`*.x` widened to Cilium's `**.x`) with an extra allow of DNS to
 * kube-dns carrying the names as DNS rules; a named port means the port of any protocol. A tier
 * policy never puts its subjects in default deny. The object is checked against its CRD first.
 */

/** A BaselineAdminNetworkPolicy has no priority; it comes after every Baseline ClusterNetworkPolicy. */
export const BANP_PRIORITY = 1001;

interface TierRule {
  readonly name?: string | undefined;
  readonly action: TierAction;
  readonly peers: readonly RawObject[];
  readonly ports: readonly PortSpec[] | undefined;
}

/** Reads a tier policy object into its one rule; issues go to `r` (the CRD's first, then Cilium's). */
export function readTierPolicy(r: FieldReader, raw: RawObject, source: PolicySource & { kind: TierPolicyKind }): PolicyRule[] {
  const schema = SCHEMAS[source.kind];
  const checked = schemaIssues(schema, raw, r.object);
  if (checked.length > 0) {
    r.issues.push(...checked);
    return [];
  }
  const obj = schema.parse(raw) as unknown as ClusterNetworkPolicy | AdminNetworkPolicy | BaselineAdminNetworkPolicy;
  const tier: TierPlacement =
    obj.kind === 'ClusterNetworkPolicy'
      ? { tier: obj.spec.tier, priority: obj.spec.priority }
      : obj.kind === 'AdminNetworkPolicy'
        ? { tier: 'Admin', priority: obj.spec.priority }
        : { tier: 'Baseline', priority: BANP_PRIORITY };
  const section = (name: RuleSection & ('ingress' | 'egress')): PeerRule[] =>
    rulesOf(obj, name).flatMap((rule, i) => peerRules(r, rule, name, i));
  const ingress = section('ingress');
  const egress = section('egress');
  return [
    {
      source,
      specIndex: 0,
      specPath: 'spec',
      subject: { kind: 'endpoints', selector: subjectSelector(r, obj.spec.subject as RawObject) },
      ingress,
      egress,
      hasIngress: (obj.spec.ingress ?? []).length > 0,
      hasEgress: (obj.spec.egress ?? []).length > 0,
      defaultDeny: { ingress: false, egress: false },
      labels: labelSet([]),
      tier,
    },
  ];
}

const SCHEMAS = {
  ClusterNetworkPolicy: clusterNetworkPolicySchema,
  AdminNetworkPolicy: adminNetworkPolicySchema,
  BaselineAdminNetworkPolicy: baselineAdminNetworkPolicySchema,
} as const;

/** The rules of one direction in the shape both API versions share (v1alpha1's `Allow` is `Accept`). */
function rulesOf(obj: ClusterNetworkPolicy | AdminNetworkPolicy | BaselineAdminNetworkPolicy, dir: 'ingress' | 'egress'): TierRule[] {
  const list = (obj.spec[dir] ?? []) as readonly Readonly<Record<string, unknown>>[];
  return list.map((rule) => {
    const action = rule['action'] === 'Allow' ? 'Accept' : (rule['action'] as TierAction);
    const peers = (rule[dir === 'ingress' ? 'from' : 'to'] ?? []) as readonly RawObject[];
    const ports =
      obj.kind === 'ClusterNetworkPolicy'
        ? v1alpha2Ports(rule['protocols'] as readonly RawObject[] | undefined)
        : v1alpha1Ports(rule['ports'] as readonly RawObject[] | undefined);
    return { name: rule['name'] as string | undefined, action, peers, ports };
  });
}

const ANY: readonly PolicyProtocol[] = ['TCP', 'UDP', 'SCTP'];

/** `protocols`: tcp/udp/sctp with a port or range; `destinationNamedPort` on any protocol. */
function v1alpha2Ports(protocols: readonly RawObject[] | undefined): PortSpec[] | undefined {
  if (protocols === undefined) return undefined;
  return protocols.flatMap((p): PortSpec[] => {
    if (typeof p['destinationNamedPort'] === 'string')
      return ANY.map((protocol) => ({ protocol, port: p['destinationNamedPort'] as string }));
    const protocol = (['tcp', 'udp', 'sctp'] as const).find((k) => p[k] !== undefined)!;
    const port = (p[protocol] as { destinationPort: { number?: number; range?: { start: number; end: number } } }).destinationPort;
    const upper = protocol.toUpperCase() as PolicyProtocol;
    return [
      port.range === undefined
        ? { protocol: upper, port: port.number! }
        : { protocol: upper, port: port.range.start, endPort: port.range.end },
    ];
  });
}

/** `ports`: portNumber, portRange (TCP unless written) or namedPort (any protocol). */
function v1alpha1Ports(ports: readonly RawObject[] | undefined): PortSpec[] | undefined {
  if (ports === undefined) return undefined;
  return ports.flatMap((p): PortSpec[] => {
    if (typeof p['namedPort'] === 'string') return ANY.map((protocol) => ({ protocol, port: p['namedPort'] as string }));
    const n = p['portNumber'] as { protocol?: PolicyProtocol; port: number } | undefined;
    if (n !== undefined) return [{ protocol: n.protocol ?? 'TCP', port: n.port }];
    const range = p['portRange'] as { protocol?: PolicyProtocol; start: number; end: number };
    return [{ protocol: range.protocol ?? 'TCP', port: range.start, endPort: range.end }];
  });
}

/** One tier rule as peer rules: itself, and for domain names the DNS allow Cilium adds beside it. */
function peerRules(r: FieldReader, rule: TierRule, section: 'ingress' | 'egress', index: number): PeerRule[] {
  const path = `spec.${section}[${index}]`;
  const peerKey = section === 'ingress' ? 'from' : 'to';
  const peers: PeerSelector[] = [];
  const fields = new Set<string>();
  const names: string[] = [];
  rule.peers.forEach((peer, j) => {
    const p = `${path}.${peerKey}[${j}]`;
    const field = Object.keys(peer)[0]!;
    fields.add(field);
    if (field === 'pods') peers.push(endpointsPeer(podsSelector(r, peer['pods'] as RawObject, `${p}.pods`)));
    else if (field === 'namespaces') peers.push(endpointsPeer(namespacesSelector(r, peer['namespaces'] as RawObject, `${p}.namespaces`)));
    else if (field === 'networks') for (const text of peer['networks'] as string[]) peers.push(cidrPeer(parseCidr(text)!, []));
    else if (field === 'nodes')
      r.report('INVALID_FIELD', `${p}.nodes`, 'egress.to.nodes is not supported since node selector labels are disabled');
    else if (rule.action !== 'Accept')
      r.report('INVALID_FIELD', `${p}.domainNames`, 'egress.to.domainNames is only supported for egress.action=Accept');
    else names.push(...(peer['domainNames'] as string[]));
  });
  for (const name of names) peers.push(fqdnPeer(fqdnOf(name)));
  const portRules: PortRule[] | undefined = rule.ports === undefined ? undefined : [{ ports: rule.ports }];
  const base = {
    section,
    index,
    deny: rule.action === 'Deny',
    action: rule.action,
    ...(rule.name === undefined || rule.name === '' ? {} : { name: rule.name }),
  };
  const own: PeerRule = {
    ...base,
    peers,
    peerField: `${peerKey}.${[...fields].join(',')}`,
    ...(portRules === undefined ? {} : { portRules }),
  };
  return names.length === 0 ? [own] : [own, dnsAllow(base, names)];
}

/** `*.example.com` (one or more labels) is Cilium's `**.example.com`; a plain name matches itself. */
function fqdnOf(name: string): { matchName: string } | { matchPattern: string } {
  return name.startsWith('*') ? { matchPattern: name.startsWith('**') ? name : `*${name}` } : { matchName: name };
}

/** The allow of DNS to kube-dns (its `dns` and `dns-tcp` ports) that lets the proxy learn the names. */
function dnsAllow(base: Omit<PeerRule, 'peers'>, names: readonly string[]): PeerRule {
  const kubeDns = makeSelector([{ source: 'any', key: 'k8s-app', operator: 'In', values: ['kube-dns'] }]);
  const ports = ['dns', 'dns-tcp'].flatMap((port) => ANY.map((protocol) => ({ protocol, port })));
  return {
    ...base,
    peers: [endpointsPeer(kubeDns)],
    peerField: 'to.domainNames',
    portRules: [{ ports, l7: { dns: names.map(fqdnOf) } }],
  };
}

const ANY_NAMESPACE = { source: 'k8s', key: NAMESPACE_KEY, operator: 'Exists' as const, values: [] };

/** Every pod of the namespaces whose labels match. */
function namespacesSelector(r: FieldReader, raw: RawObject, path: string): Selector {
  const ns = readLabelSelector(r, raw, path, { defaultSource: 'k8s', keyPrefix: NAMESPACE_LABELS_PREFIX });
  return makeSelector([...ns.requirements, ANY_NAMESPACE]);
}

/** The pods whose labels match in the namespaces whose labels match (every namespace when left out). */
function podsSelector(r: FieldReader, raw: RawObject, path: string): Selector {
  const pods = readLabelSelector(r, (raw['podSelector'] ?? {}) as RawObject, `${path}.podSelector`, KUBERNETES_KEYS);
  const ns = readLabelSelector(r, (raw['namespaceSelector'] ?? {}) as RawObject, `${path}.namespaceSelector`, {
    defaultSource: 'k8s',
    keyPrefix: NAMESPACE_LABELS_PREFIX,
  });
  return makeSelector([...pods.requirements, ...ns.requirements, ANY_NAMESPACE]);
}

function subjectSelector(r: FieldReader, subject: RawObject): Selector {
  return subject['pods'] !== undefined
    ? podsSelector(r, subject['pods'] as RawObject, 'spec.subject.pods')
    : namespacesSelector(r, subject['namespaces'] as RawObject, 'spec.subject.namespaces');
}
