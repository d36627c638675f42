// Invariant: with authentication required, nothing is delivered without a valid auth-map entry,
// and no expired certificate authenticates. Observed on Hubble's flows as they are emitted: a
// listener checks each delivered packet against the enforcing node's auth map at that virtual
// time. The fixed scenario drives SPIRE up and down across SVID expiry; the random one applies
// and deletes policies of every kind (some requiring authentication, on ingress or egress)
// between pods of two namespaces on two nodes, asks the reference evaluator at each delivery
// which side's policy required authentication, and checks that both sides' SVIDs are unexpired
// and bound the entry's expiry. SPIRE makes a cluster slower to build and virtual hours cost
// real time (~0.2 s each), hence few runs and waits of at most 6h (SVIDs live 1h).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, type Flow } from '../../src/index.ts';
import { flowPorts } from '../../src/hubble/flow.ts';
import { referenceVerdict } from '../policy/referenceVerdict.ts';
import { manifest } from './arbitraries.ts';
import { anyPolicy, kindPods, kindPodYaml, namespaceYaml, policyYaml, type KindPod, type PolicyDoc } from './policyKinds.ts';
import { ApplyDoc, DeleteDoc, Sleep, type Model, type Real, type Step } from './steps.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

const MANIFEST = [
  pod('server', 'server', 'kind-worker'),
  pod('c0', 'client', 'kind-worker'),
  pod('c1', 'client', 'kind-worker2'),
  JSON.stringify({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'auth-server' },
    spec: {
      endpointSelector: { matchLabels: { app: 'server' } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { app: 'client' } }],
          toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
          authentication: { mode: 'required' },
        },
      ],
    },
  }),
].join('\n---\n');

function pod(name: string, app: string, node: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app } },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  });
}

class CurlServer implements Step {
  readonly from: string;
  constructor(from: string) {
    this.from = from;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    const ip = r.cluster.inspect.endpoint('default', 'server')!.ip;
    const out = r.cluster.exec(`default/${this.from}`).curl({ url: `http://${ip}/`, connectTimeoutMs: 3000 });
    r.log.push(`${this} => ${out.kind === 'response' ? out.response.status : `exit ${out.code}`}`);
  }
  toString(): string {
    return `kubectl exec ${this.from} -- curl -s --connect-timeout 3 http://server/`;
  }
}

class SpireServer implements Step {
  readonly up: boolean;
  constructor(up: boolean) {
    this.up = up;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    r.cluster.spireServer()!.setHealthy(this.up);
  }
  toString(): string {
    return `kubectl -n cilium-spire scale statefulset spire-server --replicas=${this.up ? 1 : 0}`;
  }
}

/** Records every forwarded, delivered, original-direction packet of a client-server pair that had no valid auth entry. */
function watchAuth(cluster: Cluster): string[] {
  const violations: string[] = [];
  cluster.on('flow', (f: Flow) => {
    if (f.verdict !== 'FORWARDED' || f.trace_observation_point !== 'TO_ENDPOINT' || f.is_reply === true || f.IP === undefined) return;
    const dst = runtimeOf(cluster).endpoints.byIp(f.IP.destination);
    const src = runtimeOf(cluster).endpoints.byIp(f.IP.source);
    if (dst?.podName !== 'server' || src === undefined || !src.podName.startsWith('c')) return;
    const remoteNodeID = src.nodeName === dst.nodeName ? 0 : cluster.inspect.node(src.nodeName)!.id;
    const key = { localIdentity: dst.identity, remoteIdentity: src.identity, remoteNodeID, authType: 1 };
    if (!runtimeOf(cluster).agents.get(dst.nodeName)!.authMap.valid(key, cluster.now().elapsedNs))
      violations.push(`${f.time} ${src.podName} -> server`);
  });
  return violations;
}

/** A curl between two generated pods, by index (the pod list is the run's). */
class CurlPod implements Step {
  readonly from: number;
  readonly to: number;
  readonly pods: readonly KindPod[];
  constructor(pods: readonly KindPod[], from: number, to: number) {
    this.pods = pods;
    this.from = from % pods.length;
    this.to = to % pods.length;
  }
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    const [a, b] = [this.pods[this.from]!, this.pods[this.to]!];
    const ip = r.cluster.inspect.endpoint(b.namespace, b.name)!.ip;
    const out = r.cluster.exec(`${a.namespace}/${a.name}`).curl({ url: `http://${ip}/`, connectTimeoutMs: 3000 });
    r.log.push(`${this} => ${out.kind === 'response' ? out.response.status : `exit ${out.code}`}`);
  }
  toString(): string {
    const [a, b] = [this.pods[this.from]!, this.pods[this.to]!];
    return `kubectl exec -n ${a.namespace} ${a.name} -- curl -s --connect-timeout 3 http://${b.name}.${b.namespace}/`;
  }
}

/**
 * Records every delivered original-direction packet between two pods whose ingress or egress
 * decision (as the reference evaluator computes it now) requires authentication, when the
 * enforcing node's auth map has no valid entry for that pair at that virtual time.
 */
function watchAllAuth(cluster: Cluster): string[] {
  const violations: string[] = [];
  cluster.on('flow', (f: Flow) => {
    if (f.verdict !== 'FORWARDED' || f.trace_observation_point !== 'TO_ENDPOINT' || f.is_reply === true || f.IP === undefined) return;
    const src = runtimeOf(cluster).endpoints.byIp(f.IP.source);
    const dst = runtimeOf(cluster).endpoints.byIp(f.IP.destination);
    const port = flowPorts(f)?.destination_port;
    if (src === undefined || dst === undefined || src === dst || port === undefined) return;
    const [s, d] = [runtimeOf(cluster).policy.cache.identity(src.identity)!, runtimeOf(cluster).policy.cache.identity(dst.identity)!];
    const rules = runtimeOf(cluster).policy.repository.rules();
    const sides = [
      { ep: dst, peer: src, decision: referenceVerdict({ policies: rules, subject: d, remote: s, direction: 'INGRESS', proto: 6, port }) },
      { ep: src, peer: dst, decision: referenceVerdict({ policies: rules, subject: s, remote: d, direction: 'EGRESS', proto: 6, port }) },
    ];
    for (const { ep, peer, decision } of sides) {
      if (!decision.allowed || decision.authType === 0) continue;
      const remoteNodeID = peer.nodeName === ep.nodeName ? 0 : cluster.inspect.node(peer.nodeName)!.id;
      const key = { localIdentity: ep.identity, remoteIdentity: peer.identity, remoteNodeID, authType: decision.authType };
      const now = cluster.now().elapsedNs;
      if (!runtimeOf(cluster).agents.get(ep.nodeName)!.authMap.valid(key, now)) {
        violations.push(`${f.time} ${src.podName} -> ${dst.podName}:${port} (${ep.podName} requires auth)`);
        continue;
      }
      // No expired certificate authenticates: both sides hold an unexpired SVID now, and the
      // entry outlives neither (SVIDs only rotate forward, so the current ones bound it).
      const entry = runtimeOf(cluster).agents.get(ep.nodeName)!.authMap.get(key)!;
      for (const [node, identity] of [
        [ep.nodeName, ep.identity],
        [peer.nodeName, peer.identity],
      ] as const) {
        const svid = runtimeOf(cluster).spire!.certs.svidFor(node, identity);
        const notAfterNs = svid === undefined ? -1 : (svid.notAfterMs - cluster.now().startMs) * 1e6;
        if (now >= notAfterNs || entry.expiresAtNs > notAfterNs)
          violations.push(
            `${f.time} ${src.podName} -> ${dst.podName}:${port}: SVID of ${identity} on ${node} ends ${notAfterNs}, entry ${entry.expiresAtNs}`,
          );
      }
    }
  });
  return violations;
}

/** Ingress from any pod to any pod on port 80 requires authentication. */
const AUTH_ALL: PolicyDoc = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumClusterwideNetworkPolicy',
  metadata: { name: 'auth-all' },
  spec: {
    endpointSelector: {},
    ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }], authentication: { mode: 'required' } }],
  },
};

describe('mutual authentication', () => {
  it('delivers no packet between two workload identities without a valid auth-map entry at that virtual time', () => {
    const steps = fc.commands(
      [
        fc.constantFrom('c0', 'c1').map((c) => new CurlServer(c)),
        fc.constantFrom('500ms', '2s', '10m', '50m', '2h').map((d) => new Sleep(d)),
        fc.boolean().map((up) => new SpireServer(up)),
      ],
      { maxCommands: 10 },
    );
    fc.assert(
      fc.property(steps, (cmds) => {
        const cluster = Cluster.create({ seed: 11 });
        cluster.apply(MANIFEST);
        const violations = watchAuth(cluster);
        const real: Real = { cluster, log: [] };
        fc.modelRun(() => ({ model: {}, real }), cmds);
        expect(violations).toEqual([]);
      }),
      { numRuns: 10 },
    );
  });

  it('authenticates nothing with an expired certificate: past SVID expiry with SPIRE down, traffic is dropped with Authentication required', () => {
    fc.assert(
      fc.property(fc.constantFrom('c0', 'c1'), fc.constantFrom('90m', '3h', '6h'), (client, wait) => {
        const cluster = Cluster.create({ seed: 12 });
        cluster.apply(MANIFEST);
        const real: Real = { cluster, log: [] };
        new CurlServer(client).run({}, real);
        expect(real.log[0]).toMatch(/=> 200$/);

        cluster.spireServer()!.setHealthy(false);
        cluster.advance(wait);
        const since = cluster.flows().length;
        new CurlServer(client).run({}, real);

        expect(real.log[1]).toMatch(/=> exit 28$/);
        // Drop notifications (event type 1) carry the reason; policy-verdict events precede them.
        const drops = cluster
          .flows()
          .slice(since)
          .filter((f) => f.verdict === 'DROPPED' && f.event_type.type === 1);
        expect(drops.length).toBeGreaterThan(0);
        expect([...new Set(drops.map((f) => f.drop_reason_desc))]).toEqual(['AUTH_REQUIRED']);
      }),
      { numRuns: 6 },
    );
  });

  it("delivers nothing a policy of any kind requires authentication for without a valid auth-map entry on the enforcing node, nor past either side's SVID", () => {
    const docs = fc.tuple(fc.constantFrom('pol0', 'pol1'), anyPolicy).map(([name, d]) => ({ ...d, metadata: { ...d.metadata, name } }));
    fc.assert(
      fc.property(
        kindPods(2, 4).chain((ps) =>
          fc.tuple(
            fc.constant(ps),
            fc.commands(
              [
                fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => new CurlPod(ps, a, b)),
                fc.constantFrom('500ms', '2s', '10m', '50m', '2h').map((d) => new Sleep(d)),
                fc.boolean().map((up) => new SpireServer(up)),
                docs.map((d) => new ApplyDoc(d)),
                docs.map((d) => new DeleteDoc(d)),
                fc.constant(new DeleteDoc(AUTH_ALL)),
              ],
              { maxCommands: 10 },
            ),
          ),
        ),
        ([ps, cmds]) => {
          const cluster = Cluster.create({ seed: 16 });
          cluster.apply(manifest([namespaceYaml(), ...ps.map(kindPodYaml), policyYaml(AUTH_ALL)]));
          const violations = watchAllAuth(cluster);
          const real: Real = { cluster, log: [] };
          fc.modelRun(() => ({ model: {}, real }), cmds);
          expect(violations).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  });
});
