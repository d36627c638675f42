import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { runConnectivityCases, runConnectivityTest } from '../../src/connectivity/runConnectivityTest.ts';
import { type ConnectivityTest, parseConnectivityTest } from '../../src/connectivity/testFile.ts';

// A ConnectivityTest run as data: every case through the datapath of a fresh cluster.
const SCENARIOS = new URL('../../../scenarios/scenarios/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, SCENARIOS), 'utf8');

function test(spec: Record<string, unknown>): ConnectivityTest {
  const parsed = parseConnectivityTest({ apiVersion: 'cilium-sim.io/v1alpha1', kind: 'ConnectivityTest', metadata: { name: 't' }, spec });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.test;
}

function run(spec: Record<string, unknown>) {
  return runConnectivityTest(test(spec), { readManifest: read });
}

const APP = 'star-wars/manifests/http-sw-app.yaml';
const AUTH = 'star-wars-mutual-auth/manifests/sw_l3_l4_l7_mutual_auth.yaml';
const LANDING = { method: 'POST', path: '/v1/request-landing' };

describe('runConnectivityTest', () => {
  it('sees mutual authentication on the way: the first SYN dropped AUTH_REQUIRED, the retransmission through', () => {
    const r = run({
      manifests: [APP, AUTH],
      cases: [
        {
          from: 'default/tiefighter',
          to: 'default/deathstar',
          http: LANDING,
          expect: 'auth-required',
          flow: { dropReason: 'AUTH_REQUIRED', verdict: 'FORWARDED' },
        },
        { from: 'default/tiefighter', to: 'default/deathstar', http: LANDING, expect: 200, flow: { authType: 'SPIRE' } },
      ],
    });

    expect(r.ok && r.result.cases.map((c) => [c.passed, c.observed, c.problems])).toEqual([
      [true, 'auth-required', []],
      [true, 'auth-required', []],
    ]);
  });

  it("injects a fault for one case only: a trust domain mismatch on the target's node keeps authentication from completing", () => {
    const cluster = Cluster.create({ seed: 1 });
    cluster.apply(read(APP));
    cluster.apply(read(AUTH));
    const node = cluster.list('Pod', 'default').find((p) => p.metadata.name.startsWith('deathstar-'))?.spec.nodeName ?? '';

    const r = runConnectivityCases(cluster, [
      {
        from: 'default/tiefighter',
        to: 'default/deathstar',
        http: LANDING,
        expect: 'deny',
        faults: [{ kind: 'trust-domain-mismatch', node }],
      },
    ]);

    expect(r.ok && r.cases.map((c) => [c.passed, c.observation.outcome, c.observation.authRequired])).toEqual([[true, 'dropped', true]]);
    expect(cluster.faults.active()).toEqual([]);
  });

  it("sets the agents' config before the manifests: enable-policy always denies what no policy allows", () => {
    const r = run({
      manifests: [APP],
      config: { 'enable-policy': 'always' },
      cases: [{ from: 'default/xwing', to: 'default/tiefighter', port: 80, expect: 'deny' }],
    });

    expect(r.ok && r.result.cases[0]?.observation.detail).toMatch(
      /^TCP 10\.244\.\d+\.\d+:80: no answer within 5s, the packets were dropped$/,
    );
    expect(r.ok && r.result.cases[0]?.decision?.egress?.decision.allowed).toBe(false);
  });

  it('lints the manifests for the Cilium version the test names', () => {
    const policy = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: db }
spec:
  endpointSelector: { matchLabels: { org: empire } }
  egress:
  - toServices: [{ k8sService: { serviceName: deathstar } }]
    toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]
`;
    const at = (ciliumVersion: string) =>
      run({ manifests: [APP, policy], ciliumVersion, cases: [{ from: 'default/xwing', to: 'default/deathstar', expect: 'allow' }] });

    const old = at('1.16');
    expect(old.ok && old.result.versionFindings.map((f) => [f.entry, f.line, f.finding.code])).toEqual([[1, 1, 'to-services-with-ports']]);
    const current = at('1.17');
    expect(current.ok && current.result.versionFindings).toEqual([]);
    expect(
      run({ manifests: [APP], ciliumVersion: '2.0', cases: [{ from: 'default/xwing', to: 'default/deathstar', expect: 'allow' }] }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: 'spec.ciliumVersion' }],
    });
  });

  it('names what makes a test malformed: a missing pod, a refused object of an inline manifest with its line, a config value the key does not take', () => {
    const inline =
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers: [{ name: c, image: x, ports: [{ containerPort: 70000 }] }]\n';

    expect(run({ manifests: [APP], cases: [{ from: 'default/ywing', to: 'default/deathstar', expect: 'deny' }] })).toEqual({
      ok: false,
      issues: [{ path: 'spec.cases[0].from', message: 'no pod or deployment "ywing" in namespace default' }],
    });
    expect(run({ manifests: [APP, inline], cases: [{ from: 'default/xwing', to: 'default/deathstar', expect: 'deny' }] })).toMatchObject({
      ok: false,
      issues: [{ path: 'spec.manifests[1]', manifest: { entry: 1, line: 1 } }],
    });
    expect(
      run({
        manifests: [APP],
        config: { 'enable-policy': 'sometimes' },
        cases: [{ from: 'default/xwing', to: 'default/deathstar', expect: 'deny' }],
      }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: 'spec.config.enable-policy' }],
    });
  });

  it('sends a DNS query to a server named as a Service (ns/name or its DNS name) at its address, as nslookup QUERY SERVER does', () => {
    const query = { query: 'deathstar.default.svc.cluster.local' };
    const r = run({
      manifests: [APP],
      cases: [
        { from: 'default/xwing', to: 'kube-system/kube-dns', dns: query, expect: 'allow' },
        { from: 'default/xwing', to: 'kube-dns.kube-system.svc.cluster.local', dns: query, expect: 'allow' },
        { from: 'default/xwing', to: 'kube-dns.nowhere.svc.cluster.local', dns: query, expect: 'allow' },
      ],
    });
    const cases = r.ok ? r.result.cases : [];

    expect(cases.map((c) => [c.passed, c.observation.outcome])).toEqual([
      [true, 'reached'],
      [true, 'reached'],
      [false, 'unresolved'],
    ]);
    expect(cases[0]?.observation.detail).toMatch(/^DNS answer for deathstar\.default\.svc\.cluster\.local: 10(\.\d+){3}$/);
  });

  it('sends a case between two pods of one deployment from one to the other', () => {
    const r = run({ manifests: [APP], cases: [{ from: 'default/deathstar', to: 'default/deathstar', port: 80, expect: 'allow' }] });
    const syn = r.ok ? r.result.cases[0]?.flows.find((f) => f.event_type.type === 4 && f.is_reply === false) : undefined;

    expect(syn?.source?.pod_name).toMatch(/^deathstar-/);
    expect(syn?.destination?.pod_name).toMatch(/^deathstar-/);
    expect(syn?.source?.pod_name).not.toBe(syn?.destination?.pod_name);
  });

  it('is deterministic per seed: the same seed gives the same flows, another seed other pods', () => {
    const spec = { manifests: [APP], cases: [{ from: 'default/deathstar', to: 'default/xwing', port: 80, expect: 'allow' }] };
    const flows = (seed: number) => {
      const r = run({ ...spec, seed });
      return r.ok ? JSON.stringify(r.result.cases[0]?.flows) : '';
    };

    expect(flows(1)).toBe(flows(1));
    expect(flows(2)).not.toBe(flows(1));
  });
});
