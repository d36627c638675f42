// The datapath's answer (policy map built incrementally by the cluster) against the plain
// reference evaluator over the same repository, for random pods, policies and ports.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { referenceVerdict } from '../policy/referenceVerdict.ts';
import { manifest, podYaml, pods, policies, policyYaml, PORTS, type PolicyArb, type PodSpecArb } from './arbitraries.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

const DIRECTIONS = ['INGRESS', 'EGRESS'] as const;

function build(ps: readonly PodSpecArb[], pols: readonly PolicyArb[]): Cluster {
  const cluster = Cluster.create({ seed: 2, mutualAuth: false });
  cluster.apply(manifest([...ps.map((p) => podYaml(p)), ...pols.map(policyYaml)]));
  return cluster;
}

function workloadIds(cluster: Cluster, ps: readonly PodSpecArb[]): number[] {
  return [...new Set(ps.map((p) => cluster.inspect.endpoint('default', p.name)!.identity))];
}

describe('policy map verdicts at the cluster level', () => {
  it('agree with the reference evaluator for every identity pair, direction and port', () => {
    fc.assert(
      fc.property(pods(1, 5), policies(0, 5), (ps, pols) => {
        const cluster = build(ps, pols);
        const rules = runtimeOf(cluster).policy.repository.rules();
        const ids = workloadIds(cluster, ps);
        for (const s of ids) {
          for (const r of ids) {
            for (const direction of DIRECTIONS) {
              for (const port of PORTS) {
                const fast = cluster.inspect.policyMap(s).lookup(r, direction, 6, port);
                const slow = referenceVerdict({
                  policies: rules,
                  subject: runtimeOf(cluster).policy.cache.identity(s)!,
                  remote: runtimeOf(cluster).policy.cache.identity(r)!,
                  direction,
                  proto: 6,
                  port,
                });
                expect({ allowed: fast.allowed, denied: fast.denied, matchType: fast.matchType }).toEqual({
                  allowed: slow.allowed,
                  denied: slow.denied,
                  matchType: slow.matchType,
                });
              }
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('drops whatever an applicable deny rule covers, however many allow rules match', () => {
    fc.assert(
      fc.property(pods(2, 5), policies(0, 4), fc.nat(), (ps, pols, pick) => {
        const target = ps[pick % ps.length]!;
        const deny: PolicyArb = {
          name: 'deny-all-in',
          subject: { app: target.labels['app']! },
          direction: 'ingressDeny',
          peer: {},
          port: undefined,
        };
        const cluster = build(ps, [...pols, deny]);
        const subject = cluster.inspect.endpoint('default', target.name)!.identity;
        for (const r of workloadIds(cluster, ps)) {
          for (const port of PORTS)
            expect(cluster.inspect.policyMap(subject).lookup(r, 'INGRESS', 6, port)).toMatchObject({ allowed: false, denied: true });
        }
      }),
      { numRuns: 20 },
    );
  });

  it('enforces a direction (default deny) only on endpoints some rule of that direction selects', () => {
    fc.assert(
      fc.property(pods(1, 5), policies(0, 5), (ps, pols) => {
        const cluster = build(ps, pols);
        for (const p of ps) {
          const labels = p.labels;
          const selects = (x: PolicyArb): boolean => Object.entries(x.subject).every(([k, v]) => labels[k] === v);
          const map = cluster.inspect.policyMap(cluster.inspect.endpoint('default', p.name)!.identity);
          expect(map.ingressEnforced).toBe(pols.some((x) => x.direction.startsWith('ingress') && selects(x)));
          expect(map.egressEnforced).toBe(pols.some((x) => x.direction.startsWith('egress') && selects(x)));
        }
      }),
      { numRuns: 20 },
    );
  });
});
