// Invariant: entity and CIDR peers admit exactly whom Cilium's documentation says, checked end to
// end with an oracle that shares no code with the simulator. One ingress policy of any of the
// three kinds on a server pod names entities and CIDRs (fromEntities, fromCIDR, fromCIDRSet with
// except, NetworkPolicy ipBlock); clients are other pods (one pinned to an address the CIDRs
// cover), outside addresses, the server's own node and the other nodes. Expected:
// - a pod is admitted by `cluster` or `all`, never by a CIDR, whatever its address;
// - an outside address by `world`, `all`, or a CIDR holding it outside every except, unless a
//   deny rule's CIDR holds it (fromCIDR has no except: the excepts become a deny rule);
// - the server's own node always (allow-localhost);
// - another node by `remote-node`, `cluster` or `all`, the control plane also by `kube-apiserver`.
// The same table read the other way round holds for a pod's egress to outside addresses and pods.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { manifest } from './arbitraries.ts';
import { kindPodYaml, type KindPod } from './policyKinds.ts';

const ENTITIES = ['world', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'all'] as const;
type Entity = (typeof ENTITIES)[number];
interface CidrPeer {
  readonly cidr: string;
  readonly except: readonly string[];
}
const CIDRS: readonly CidrPeer[] = [
  { cidr: '10.244.1.200/32', except: [] },
  { cidr: '10.244.0.0/16', except: [] },
  { cidr: '8.8.0.0/16', except: ['8.8.8.8/32'] },
  { cidr: '8.8.8.8/32', except: [] },
  { cidr: '192.0.2.0/24', except: [] },
  { cidr: '0.0.0.0/0', except: ['203.0.113.0/24'] },
];
const OUTSIDE = ['8.8.8.8', '8.8.4.4', '192.0.2.10', '203.0.113.5', '198.51.100.1'] as const;
const NODES = ['kind-control-plane', 'kind-worker', 'kind-worker2'] as const;

const SERVER: KindPod = { name: 'server', namespace: 'default', labels: { app: 'server' }, node: 'kind-worker', ip: undefined };
const CLIENTS: readonly KindPod[] = [
  { name: 'pinned', namespace: 'default', labels: { app: 'web' }, node: 'kind-worker', ip: '10.244.1.200' },
  { name: 'far', namespace: 'default', labels: { app: 'api' }, node: 'kind-worker2', ip: undefined },
];

/** Dotted quad to a number, and prefix containment: the oracle's own, not the simulator's. */
function toInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}
function inCidr(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base!) / size);
}

type Client =
  | { readonly kind: 'pod'; readonly pod: KindPod }
  | { readonly kind: 'outside'; readonly ip: string }
  | { readonly kind: 'node'; readonly node: string };

/** `denied`: prefixes of a deny rule, which beats every allow. */
function admitted(entities: readonly Entity[], cidrs: readonly CidrPeer[], denied: readonly string[], c: Client): boolean {
  const has = (...e: Entity[]): boolean => e.some((x) => entities.includes(x));
  switch (c.kind) {
    case 'pod':
      return has('cluster', 'all');
    case 'outside':
      if (denied.some((d) => inCidr(c.ip, d))) return false;
      return has('world', 'all') || cidrs.some((p) => inCidr(c.ip, p.cidr) && !p.except.some((e) => inCidr(c.ip, e)));
    case 'node':
      if (c.node === SERVER.node) return true;
      return has('remote-node', 'cluster', 'all') || (c.node === 'kind-control-plane' && has('kube-apiserver'));
  }
}

/** One ingress rule on the server per peer group, in the policy kind's own syntax. */
function policy(kind: 'cnp' | 'ccnp' | 'knp', entities: readonly Entity[], cidrs: readonly CidrPeer[], setForm: boolean): string {
  const port = [{ ports: [{ port: '80', protocol: 'TCP' }] }];
  if (kind === 'knp') {
    // NetworkPolicy has no entities; only the CIDR half applies.
    return JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'peers', namespace: 'default' },
      spec: {
        podSelector: { matchLabels: SERVER.labels },
        ingress: [{ from: cidrs.map((c) => ({ ipBlock: c.except.length === 0 ? { cidr: c.cidr } : c })), ports: [{ port: 80 }] }],
      },
    });
  }
  const cidrRules =
    cidrs.length === 0
      ? []
      : setForm
        ? [{ fromCIDRSet: cidrs.map((c) => (c.except.length === 0 ? { cidr: c.cidr } : c)), toPorts: port }]
        : // fromCIDR has no except: the excepts become a deny rule of their own.
          [{ fromCIDR: cidrs.map((c) => c.cidr), toPorts: port }];
  const denies = !setForm ? cidrs.flatMap((c) => c.except) : [];
  const spec = {
    endpointSelector: { matchLabels: SERVER.labels },
    ingress: [...(entities.length === 0 ? [] : [{ fromEntities: entities, toPorts: port }]), ...cidrRules],
    ...(denies.length === 0 ? {} : { ingressDeny: [{ fromCIDR: denies }] }),
  };
  return kind === 'cnp'
    ? JSON.stringify({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'peers', namespace: 'default' }, spec })
    : JSON.stringify({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'peers' }, spec });
}

const clientArb: fc.Arbitrary<Client> = fc.oneof(
  fc.constantFrom(...CLIENTS).map((pod): Client => ({ kind: 'pod', pod })),
  fc.constantFrom(...OUTSIDE).map((ip): Client => ({ kind: 'outside', ip })),
  fc.constantFrom(...NODES).map((node): Client => ({ kind: 'node', node })),
);

describe('entity and CIDR peers', () => {
  it('admit exactly the pods, outside addresses and nodes the documented semantics name, for CNP, CCNP and NetworkPolicy', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('cnp' as const, 'ccnp' as const, 'knp' as const),
        fc.subarray([...ENTITIES]),
        fc.subarray([...CIDRS], { maxLength: 3 }),
        fc.boolean(),
        fc.array(clientArb, { minLength: 1, maxLength: 5 }),
        (kind, ents, cidrs, setForm, clients) => {
          const entities = kind === 'knp' ? [] : ents;
          // Without any peer the policy would not parse into an ingress rule: skip those.
          fc.pre(entities.length + cidrs.length > 0);
          const cluster = Cluster.create({ seed: 18, mutualAuth: false });
          expect(
            cluster
              .apply(manifest([kindPodYaml(SERVER), ...CLIENTS.map(kindPodYaml), policy(kind, entities, cidrs, setForm)]))
              .every((r) => r.ok),
          ).toBe(true);
          const server = cluster.inspect.endpoint('default', 'server')!.ip;
          for (const c of clients) {
            const exec =
              c.kind === 'pod'
                ? cluster.exec(`default/${c.pod.name}`)
                : c.kind === 'outside'
                  ? cluster.outside(c.ip)
                  : cluster.host(c.node);

            const out = exec.curl({ url: `http://${server}/`, connectTimeoutMs: 1000 });

            expect(out.kind === 'response', `${JSON.stringify(c)} with ${JSON.stringify({ entities, cidrs, setForm })}`).toBe(
              admitted(entities, cidrs, kind !== 'knp' && !setForm ? cidrs.flatMap((x) => x.except) : [], c),
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('let a pod reach exactly the outside addresses and pods its egress entities and CIDRs name', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('cnp' as const, 'knp' as const),
        fc.subarray([...ENTITIES]),
        fc.subarray([...CIDRS], { maxLength: 3 }),
        fc.array(fc.oneof(fc.constantFrom(...OUTSIDE), fc.constant('server')), { minLength: 1, maxLength: 5 }),
        (kind, ents, cidrs, targets) => {
          const entities = kind === 'knp' ? [] : ents;
          fc.pre(entities.length + cidrs.length > 0);
          const client = CLIENTS[1]!;
          const egress =
            kind === 'knp'
              ? JSON.stringify({
                  apiVersion: 'networking.k8s.io/v1',
                  kind: 'NetworkPolicy',
                  metadata: { name: 'out', namespace: 'default' },
                  spec: {
                    podSelector: { matchLabels: client.labels },
                    policyTypes: ['Egress'],
                    egress: [{ to: cidrs.map((c) => ({ ipBlock: c.except.length === 0 ? { cidr: c.cidr } : c })) }],
                  },
                })
              : JSON.stringify({
                  apiVersion: 'cilium.io/v2',
                  kind: 'CiliumNetworkPolicy',
                  metadata: { name: 'out', namespace: 'default' },
                  spec: {
                    endpointSelector: { matchLabels: client.labels },
                    egress: [
                      ...(entities.length === 0 ? [] : [{ toEntities: entities }]),
                      ...(cidrs.length === 0 ? [] : [{ toCIDRSet: cidrs.map((c) => (c.except.length === 0 ? { cidr: c.cidr } : c)) }]),
                    ],
                  },
                });
          const cluster = Cluster.create({ seed: 20, mutualAuth: false });
          expect(cluster.apply(manifest([kindPodYaml(SERVER), kindPodYaml(client), egress])).every((r) => r.ok)).toBe(true);
          for (const t of targets) {
            const ip = t === 'server' ? cluster.inspect.endpoint('default', 'server')!.ip : t;
            const target: Client = t === 'server' ? { kind: 'pod', pod: SERVER } : { kind: 'outside', ip: t };

            const out = cluster.exec(`default/${client.name}`).curl({ url: `http://${ip}/`, connectTimeoutMs: 1000 });

            expect(out.kind === 'response', `${client.name} -> ${t} with ${JSON.stringify({ entities, cidrs })}`).toBe(
              admitted(entities, cidrs, [], target),
            );
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
