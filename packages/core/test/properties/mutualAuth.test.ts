// Mutual authentication invariants, observed on Hubble's flows as they are emitted: a listener
// checks each delivered packet against the destination node's auth map at that virtual time.
// SPIRE makes a cluster slower to build (~300 ms), hence the few runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, type Flow } from '../../src/index.ts';
import { Sleep, type Model, type Real, type Step } from './steps.ts';

const MANIFEST = [
  pod('server', 'server', 'kind-worker'),
  pod('c0', 'client', 'kind-worker'),
  pod('c1', 'client', 'kind-worker2'),
  JSON.stringify({
    apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'auth-server' },
    spec: {
      endpointSelector: { matchLabels: { app: 'server' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'client' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }], authentication: { mode: 'required' } }],
    },
  }),
].join('\n---\n');

function pod(name: string, app: string, node: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } });
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
    const ip = r.cluster.endpoints.byPod('default', 'server')!.ip;
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
    r.cluster.mutualAuth!.server.setHealthy(this.up);
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
    const dst = cluster.endpoints.byIp(f.IP.destination);
    const src = cluster.endpoints.byIp(f.IP.source);
    if (dst?.podName !== 'server' || src === undefined || !src.podName.startsWith('c')) return;
    const remoteNodeID = src.nodeName === dst.nodeName ? 0 : cluster.network.node(src.nodeName)!.id;
    const key = { localIdentity: dst.identity, remoteIdentity: src.identity, remoteNodeID, authType: 1 };
    if (!cluster.network.authMap(dst.nodeName).valid(key, cluster.clock.nowNs)) violations.push(`${f.time} ${src.podName} -> server`);
  });
  return violations;
}

describe('mutual authentication', () => {
  it('delivers no packet between two workload identities without a valid auth-map entry at that virtual time', () => {
    const steps = fc.commands([
      fc.constantFrom('c0', 'c1').map((c) => new CurlServer(c)),
      fc.constantFrom('500ms', '2s', '10m', '50m', '2h').map((d) => new Sleep(d)),
      fc.boolean().map((up) => new SpireServer(up)),
    ], { maxCommands: 10 });
    fc.assert(fc.property(steps, (cmds) => {
      const cluster = Cluster.create({ seed: 11 });
      cluster.apply(MANIFEST);
      const violations = watchAuth(cluster);
      const real: Real = { cluster, log: [] };
      fc.modelRun(() => ({ model: {}, real }), cmds);
      expect(violations).toEqual([]);
    }), { numRuns: 10 });
  });

  it('authenticates nothing with an expired certificate: past SVID expiry with SPIRE down, traffic is dropped with Authentication required', () => {
    fc.assert(fc.property(fc.constantFrom('c0', 'c1'), fc.constantFrom('3h', '6h', '20h'), (client, wait) => {
      const cluster = Cluster.create({ seed: 12 });
      cluster.apply(MANIFEST);
      const real: Real = { cluster, log: [] };
      new CurlServer(client).run({}, real);
      expect(real.log[0]).toMatch(/=> 200$/);

      cluster.mutualAuth!.server.setHealthy(false);
      cluster.advance(wait);
      const since = cluster.flows().length;
      new CurlServer(client).run({}, real);

      expect(real.log[1]).toMatch(/=> exit 28$/);
      // Drop notifications (event type 1) carry the reason; policy-verdict events precede them.
      const drops = cluster.flows().slice(since).filter((f) => f.verdict === 'DROPPED' && f.event_type.type === 1);
      expect(drops.length).toBeGreaterThan(0);
      expect([...new Set(drops.map((f) => f.drop_reason_desc))]).toEqual(['AUTH_REQUIRED']);
    }), { numRuns: 6 });
  });
});
