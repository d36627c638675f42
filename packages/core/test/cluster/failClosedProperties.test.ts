import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import type { Cluster, Flow } from '../../src/index.ts';
import { authCluster, call } from '../auth/authFixtures.ts';

// Random interleavings of identity churn, GC intervals, faults (deleted SPIRE pods included) and
// config changes on the mutual-auth world of authFixtures (server on kind-worker). Each run builds
// a cluster and moves its clock by hours, so runs are few.
const CALLERS = ['client', 'peer', 'local'] as const;
type Caller = (typeof CALLERS)[number];
const NODE_OF: Record<Caller, string> = { client: 'kind-worker2', peer: 'kind-worker2', local: 'kind-worker' };
const NODES = ['kind-worker', 'kind-worker2'] as const;

/** Something done between two rounds of calls: a config change, a fault, a setting. */
type Change =
  | { gc: 'identity-gc-interval' | 'mesh-auth-gc-interval'; every: string }
  | { fault: 'server' | 'server-pod' | 'clear' }
  | { fault: 'agent' | 'agent-pod' | 'skew'; node: (typeof NODES)[number] }
  | { config: 'mesh-auth-enabled' | 'mesh-auth-mutual-enabled'; on: boolean }
  | { audit: Caller | 'server'; on: boolean };

/** One round: every caller calls, a change, maybe one caller's pod churned to new labels, time passes. */
interface Round {
  readonly change: Change | null;
  readonly churn: { readonly pod: Caller; readonly variant: number } | null;
  readonly advanceS: number;
}

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      gc: fc.constantFrom('identity-gc-interval' as const, 'mesh-auth-gc-interval' as const),
      every: fc.constantFrom('1m', '7m', '13m', '15m', '33m'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ fault: fc.constantFrom('server' as const, 'server-pod' as const) }) },
  { weight: 1, arbitrary: fc.constant({ fault: 'clear' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      fault: fc.constantFrom('agent' as const, 'agent-pod' as const, 'skew' as const),
      node: fc.constantFrom(...NODES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ config: fc.constantFrom('mesh-auth-enabled' as const, 'mesh-auth-mutual-enabled' as const), on: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ audit: fc.constantFrom(...CALLERS, 'server' as const), on: fc.boolean() }) },
);

const roundArb: fc.Arbitrary<Round> = fc.record({
  change: fc.option(changeArb, { freq: 3 }),
  churn: fc.option(fc.record({ pod: fc.constantFrom(...CALLERS), variant: fc.integer({ min: 0, max: 2 }) }), { freq: 2 }),
  advanceS: fc.integer({ min: 1, max: 1800 }),
});

/** The GC intervals a run starts with; changes may set them again. */
const intervalsArb = fc.record({ identity: fc.constantFrom('1m', '7m', '15m'), auth: fc.constantFrom('5m', '13m', '33m') });

function caller(name: Caller, variant: number): string {
  return `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: { app: ${name}, role: caller, variant: v${variant} } }
spec: { nodeName: ${NODE_OF[name]}, containers: [{ name: c, image: nicolaka/netshoot }] }
`;
}

/** Audit mode as the user set it, by pod uid: a setting belongs to the endpoint it was set on. */
type AuditModel = Map<string, boolean>;

function play(cluster: Cluster, r: Round, audit: AuditModel): void {
  for (const c of CALLERS) call(cluster, c);
  if (r.change !== null) change(cluster, r.change, audit);
  if (r.churn !== null) {
    cluster.delete({ kind: 'Pod', namespace: 'default', name: r.churn.pod });
    cluster.apply(caller(r.churn.pod, r.churn.variant));
  }
  cluster.advance(r.advanceS * 1e9);
}

function change(cluster: Cluster, c: Change, audit: AuditModel): void {
  if ('gc' in c) cluster.setConfig(c.gc, c.every);
  else if ('config' in c) cluster.setConfig(c.config, String(c.on));
  else if ('audit' in c) {
    cluster.setEndpointAuditMode(`default/${c.audit}`, c.on);
    audit.set(cluster.get('Pod', c.audit, 'default')!.metadata.uid, c.on);
  } else if (c.fault === 'server') cluster.faults.spireServerDown();
  else if (c.fault === 'clear') cluster.faults.clearAll();
  else if (c.fault === 'server-pod') cluster.delete({ kind: 'Pod', namespace: 'cilium-spire', name: 'spire-server-0' });
  else if (c.fault === 'agent' && 'node' in c) cluster.faults.spireAgentDown(c.node);
  else if (c.fault === 'skew' && 'node' in c) cluster.faults.clockSkew(c.node, '90m');
  else if ('node' in c) {
    const node = c.node;
    const pod = cluster.list('Pod', 'cilium-spire').find((p) => p.spec.nodeName === node && p.metadata.name.startsWith('spire-agent-'))!;
    cluster.delete({ kind: 'Pod', namespace: 'cilium-spire', name: pod.metadata.name });
  }
}

/** Every auth-map entry names live identities and was written after both were allocated. */
function staleEntries(cluster: Cluster): string[] {
  const rt = runtimeOf(cluster);
  const out: string[] = [];
  for (const agent of rt.agents.list()) {
    for (const e of agent.authMap.entries()) {
      for (const id of [e.key.localIdentity, e.key.remoteIdentity]) {
        const identity = rt.identities.get(id);
        if (identity === undefined || identity.createdAtNs > e.storedAtNs) out.push(`${agent.name}: ${JSON.stringify(e.key)} names ${id}`);
      }
    }
  }
  return out;
}

/** Endpoints whose audit mode is not the one set on them (a setting outliving its endpoint). */
function strayAuditSettings(cluster: Cluster, audit: AuditModel): string[] {
  const rt = runtimeOf(cluster);
  return rt.endpoints
    .list()
    .filter((ep) => {
      const uid = cluster.get('Pod', ep.podName, ep.namespace)!.metadata.uid;
      return rt.endpoints.policyAuditMode(ep) !== (audit.get(uid) ?? false);
    })
    .map((ep) => `${ep.namespace}/${ep.podName}`);
}

describe('fail closed under churn, GC, faults and config changes', () => {
  it('delivers no packet without a valid auth entry for its pair, and no setting outlives its endpoint', () => {
    fc.assert(
      fc.property(intervalsArb, fc.array(roundArb, { minLength: 2, maxLength: 8 }), (intervals, rounds) => {
        const cluster = authCluster('required');
        cluster.setConfig('identity-gc-interval', intervals.identity);
        cluster.setConfig('mesh-auth-gc-interval', intervals.auth);
        const rt = runtimeOf(cluster);
        const audit: AuditModel = new Map();
        const violations: string[] = [];
        cluster.on('flow', (f: Flow) => {
          if (f.destination?.pod_name !== 'server' || f.is_reply !== false || f.verdict !== 'FORWARDED') return;
          if (f.trace_observation_point !== 'TO_ENDPOINT') return;
          const src = f.source?.identity ?? 0;
          const dst = f.destination.identity ?? 0;
          const node = cluster.inspect.endpoint('default', f.source?.pod_name ?? '')?.nodeName;
          const remoteNodeID = node === 'kind-worker' ? 0 : (cluster.inspect.node(node ?? '')?.id ?? -1);
          const key = { localIdentity: dst, remoteIdentity: src, remoteNodeID, authType: 1 };
          const entry = rt.agents.get('kind-worker')!.authMap.get(key);
          const now = cluster.now().elapsedNs;
          const born = Math.max(rt.identities.get(src)?.createdAtNs ?? Infinity, rt.identities.get(dst)?.createdAtNs ?? Infinity);
          if (entry === undefined || now >= entry.expiresAtNs || entry.storedAtNs < born) violations.push(`${f.time} ${f.Summary}`);
        });
        for (const r of rounds) {
          play(cluster, r, audit);
          violations.push(...staleEntries(cluster), ...strayAuditSettings(cluster, audit));
        }
        expect(violations).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });
});
