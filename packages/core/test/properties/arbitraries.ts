// Manifests and steps shared by the cluster-wide property tests. Label values come from small
// pools so that random pods collide on label sets (and so on identities) and random policies
// select some of them: wide pools would make almost every selector select nothing.
import fc from 'fast-check';

export const APPS = ['web', 'api', 'db'] as const;
export const TIERS = ['front', 'back'] as const;
export const PORTS = [80, 443, 8080] as const;

export interface PodSpecArb {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Identity-relevant labels (app, tier) plus ones the label filter drops (pod-template-hash, ...). */
export const podLabels = fc
  .record({
    app: fc.constantFrom(...APPS),
    tier: fc.option(fc.constantFrom(...TIERS), { nil: undefined }),
    hash: fc.option(fc.stringMatching(/^[b-z2-9]{8,10}$/), { nil: undefined }),
    k8sIo: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
  })
  .map(({ app, tier, hash, k8sIo }) => ({
    app,
    ...(tier === undefined ? {} : { tier }),
    ...(hash === undefined ? {} : { 'pod-template-hash': hash }),
    ...(k8sIo === undefined ? {} : { 'io.kubernetes.container.name': k8sIo }),
  }));

export const pods = (min: number, max: number): fc.Arbitrary<PodSpecArb[]> =>
  fc.array(podLabels, { minLength: min, maxLength: max }).map((ls) => ls.map((labels, i) => ({ name: `p${i}`, labels })));

export function podYaml(p: PodSpecArb, namespace = 'default'): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace, labels: p.labels },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: PORTS.map((port) => ({ containerPort: port })) }] },
  });
}

/** Identity-relevant labels only: what the identity of a pod may depend on. */
export function identityLabels(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(labels)
      .filter(([k]) => k === 'app' || k === 'tier')
      .sort(),
  );
}

export interface PolicyArb {
  readonly name: string;
  readonly subject: Readonly<Record<string, string>>;
  readonly direction: 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';
  readonly peer: Readonly<Record<string, string>>;
  readonly port: number | undefined;
}

const selector = fc
  .record({ app: fc.constantFrom(...APPS), tier: fc.option(fc.constantFrom(...TIERS), { nil: undefined }) })
  .map(({ app, tier }) => ({ app, ...(tier === undefined ? {} : { tier }) }));

export const policy = (name: string): fc.Arbitrary<PolicyArb> =>
  fc
    .record({
      subject: selector,
      direction: fc.constantFrom('ingress', 'egress', 'ingressDeny', 'egressDeny'),
      peer: fc.oneof(selector, fc.constant({})),
      port: fc.option(fc.constantFrom(...PORTS), { nil: undefined }),
    })
    .map((p) => ({ name, ...p }));

export const policies = (min: number, max: number): fc.Arbitrary<PolicyArb[]> =>
  fc.integer({ min, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => policy(`pol${i}`))));

export function policyYaml(p: PolicyArb): string {
  const peerKey = p.direction.startsWith('ingress') ? 'fromEndpoints' : 'toEndpoints';
  const rule = {
    [peerKey]: [{ matchLabels: p.peer }],
    ...(p.port === undefined ? {} : { toPorts: [{ ports: [{ port: String(p.port), protocol: 'TCP' }] }] }),
  };
  return JSON.stringify({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: p.name, namespace: 'default' },
    spec: { endpointSelector: { matchLabels: p.subject }, [p.direction]: [rule] },
  });
}

export function manifest(docs: readonly string[]): string {
  return docs.join('\n---\n');
}
