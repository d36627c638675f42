// Invariant: what a curl meets end to end (ipcache lookup, egress and ingress policy maps, L7
// proxies, conntrack for the reply) is what the reference evaluator predicts from the policy
// objects alone: no answer when either side's L3/L4 verdict drops, 403 when an HTTP rule set on
// either side rejects the request, 200 otherwise. Clients are pods (some pinned to an IP a CIDR
// rule names) and outside addresses; the client's identity is predicted independently as the
// ipcache's longest-prefix match (a pod's own identity, else the longest CIDR identity, else
// world); a pod curling itself stays in its namespace. Outside addresses run a web server too,
// so pods' egress to them is checked the same way. Authentication is left out here
// (mutualAuth.test.ts covers it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { cidrContains, parseCidr } from '../../src/policy/cidr.ts';
import { referenceHttpAllows, type ReferenceHttpRequest } from '../policy/referenceL7.ts';
import { referenceVerdict } from '../policy/referenceVerdict.ts';
import type { IdentityInfo } from '../../src/policy/peerSelector.ts';
import { manifest } from './arbitraries.ts';
import {
  anyPolicies,
  kindPods,
  kindPodYaml,
  namespaceYaml,
  POD_PORTS,
  policyYaml,
  WORLD_IPS,
  type KindPod,
  type PolicyDoc,
} from './policyKinds.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

/** The policies without `authentication`: a cluster without mutual auth would drop those flows. */
function withoutAuth(doc: PolicyDoc): PolicyDoc {
  return JSON.parse(JSON.stringify(doc, (k, v: unknown) => (k === 'authentication' ? undefined : v))) as PolicyDoc;
}

const requestArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH'),
  path: fc.constantFrom('/', '/a', '/a/1', '/b/22', '/bx', '/a?x=1'),
  headers: fc.subarray<[string, string]>([
    ['X-Env', 'prod'],
    ['x-env', 'dev'],
    ['X-Trace', '1'],
  ]),
});

const curlArb = fc.record({
  from: fc.oneof(
    fc.nat().map((i) => ({ pod: i })),
    fc.constantFrom(...WORLD_IPS).map((ip) => ({ ip })),
  ),
  to: fc.nat(),
  port: fc.constantFrom(...POD_PORTS),
  request: requestArb,
});

/** The identity the ipcache gives `ip`, by longest prefix over what the agent knows. */
function expectedIdentity(cluster: Cluster, ip: string): IdentityInfo {
  const ep = runtimeOf(cluster).endpoints.byIp(ip);
  if (ep !== undefined) return runtimeOf(cluster).policy.cache.identity(ep.identity)!;
  const addr = parseCidr(`${ip}/32`)!;
  const covering = runtimeOf(cluster)
    .policy.cache.identities()
    .filter((i) => i.cidr !== undefined && cidrContains(parseCidr(i.cidr)!, addr))
    .sort((a, b) => parseCidr(b.cidr!)!.prefixLength - parseCidr(a.cidr!)!.prefixLength);
  return covering[0] ?? runtimeOf(cluster).policy.cache.identity(2)!;
}

function expectedOutcome(
  cluster: Cluster,
  src: IdentityInfo,
  srcIsPod: boolean,
  dst: IdentityInfo,
  port: number,
  req: ReferenceHttpRequest,
): string {
  const policies = runtimeOf(cluster).policy.repository.rules();
  const ctx = { clusterName: cluster.options.clusterName };
  const egress = srcIsPod
    ? referenceVerdict({
        policies,
        subject: src,
        remote: dst,
        direction: 'EGRESS',
        proto: 6,
        port,
        ctx,
        namedPorts: { egress: runtimeOf(cluster).namedPorts.egress() },
      })
    : undefined;
  const ingress = referenceVerdict({
    policies,
    subject: dst,
    remote: src,
    direction: 'INGRESS',
    proto: 6,
    port,
    ctx,
    namedPorts: { ingress: runtimeOf(cluster).namedPorts.ingress(dst.id) },
  });
  if (egress?.allowed === false || !ingress.allowed) return 'no answer';
  if (!referenceHttpAllows(egress?.l7, req) || !referenceHttpAllows(ingress.l7, req)) return '403';
  return '200';
}

describe('end-to-end traffic under policies of every kind', () => {
  it('answers a curl exactly as the reference predicts: no answer on an L3/L4 drop, 403 on an HTTP rule miss, else 200', () => {
    fc.assert(
      fc.property(kindPods(1, 4), anyPolicies(0, 3), fc.array(curlArb, { minLength: 1, maxLength: 5 }), (ps, pols, curls) => {
        const cluster = Cluster.create({ seed: 6, mutualAuth: false });
        const results = cluster.apply(manifest([namespaceYaml(), ...ps.map(kindPodYaml), ...pols.map(withoutAuth).map(policyYaml)]));
        expect(results.filter((r) => !r.ok).map((r) => r.error.message)).toEqual([]);
        const endpoint = (p: KindPod) => cluster.inspect.endpoint(p.namespace, p.name)!;
        for (const c of curls) {
          const server = endpoint(ps[c.to % ps.length]!);
          const client = 'pod' in c.from ? ps[c.from.pod % ps.length]! : undefined;
          const exec =
            client === undefined ? cluster.outside('ip' in c.from ? c.from.ip : '') : cluster.exec(`${client.namespace}/${client.name}`);
          const src = expectedIdentity(cluster, exec.ip);
          const req = { ...c.request, host: `${server.ip}:${c.port}` };
          // A pod's own address is local to its network namespace: no datapath, no policy.
          const expected =
            exec.ip === server.ip
              ? '200'
              : expectedOutcome(
                  cluster,
                  src,
                  client !== undefined,
                  runtimeOf(cluster).policy.cache.identity(server.identity)!,
                  c.port,
                  req,
                );

          const out = exec.curl({
            url: `http://${server.ip}:${c.port}${c.request.path}`,
            method: c.request.method,
            headers: c.request.headers,
            connectTimeoutMs: 1000,
          });

          const got = out.kind === 'response' ? String(out.response.status) : 'no answer';
          expect(got, `${exec.ip} -> ${server.ip}:${c.port} ${c.request.method} ${c.request.path}`).toBe(expected);
        }
      }),
      { numRuns: 120 },
    );
  });

  it("answers a pod's curl to an outside address as the reference predicts for the address's CIDR or world identity", () => {
    fc.assert(
      fc.property(
        kindPods(1, 3),
        anyPolicies(0, 3),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...WORLD_IPS), fc.constantFrom(80, 443), requestArb), { minLength: 1, maxLength: 4 }),
        (ps, pols, curls) => {
          const cluster = Cluster.create({ seed: 7, mutualAuth: false });
          const results = cluster.apply(manifest([namespaceYaml(), ...ps.map(kindPodYaml), ...pols.map(withoutAuth).map(policyYaml)]));
          expect(results.filter((r) => !r.ok).map((r) => r.error.message)).toEqual([]);
          for (const [i, ip, port, request] of curls) {
            const client = ps[i % ps.length]!;
            const ep = cluster.inspect.endpoint(client.namespace, client.name)!;
            const expected = expectedOutcome(
              cluster,
              runtimeOf(cluster).policy.cache.identity(ep.identity)!,
              true,
              expectedIdentity(cluster, ip),
              port,
              { ...request, host: `${ip}:${port}` },
            );

            const out = cluster.exec(`${client.namespace}/${client.name}`).curl({
              url: `http://${ip}:${port}${request.path}`,
              method: request.method,
              headers: request.headers,
              connectTimeoutMs: 1000,
            });

            expect(out.kind === 'response' ? String(out.response.status) : 'no answer', `${client.name} -> ${ip}:${port}`).toBe(expected);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
