import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cluster, Flow } from '../../src/index.ts';
import { authCluster, call, identityOf, policy, serverAuthEntries } from '../auth/authFixtures.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

// Each run builds a Cluster (~100-200 ms) and moves its clock by up to hours, so runs are few.
const RUNS = { numRuns: 12 };
const CALLERS = ['client', 'peer', 'local'] as const;
const NODES = ['kind-worker', 'kind-worker2'] as const;

type Fault =
  | { kind: 'server' }
  | { kind: 'agent'; node: (typeof NODES)[number] }
  | { kind: 'td'; node: (typeof NODES)[number] }
  | { kind: 'skew'; node: (typeof NODES)[number]; minutes: number };

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({ kind: 'server' }),
  fc.record({ kind: fc.constant('agent' as const), node: fc.constantFrom(...NODES) }),
  fc.record({ kind: fc.constant('td' as const), node: fc.constantFrom(...NODES) }),
  fc.record({ kind: fc.constant('skew' as const), node: fc.constantFrom(...NODES), minutes: fc.integer({ min: 1, max: 180 }) }),
);

function inject(cluster: Cluster, f: Fault): void {
  if (f.kind === 'server') cluster.faults.spireServerDown();
  else if (f.kind === 'agent') cluster.faults.spireAgentDown(f.node);
  else if (f.kind === 'td') cluster.faults.trustDomainMismatch(f.node);
  else cluster.faults.clockSkew(f.node, `${f.minutes}m`);
}

type Step = { call: (typeof CALLERS)[number] } | { advanceS: number } | { fault: Fault } | { clear: true };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ call: fc.constantFrom(...CALLERS) }) },
  { weight: 2, arbitrary: fc.record({ advanceS: fc.integer({ min: 1, max: 3 * 3600 }) }) },
  { weight: 1, arbitrary: fc.record({ fault: faultArb }) },
  { weight: 1, arbitrary: fc.constant({ clear: true as const }) },
);

function run(cluster: Cluster, s: Step): void {
  if ('call' in s) call(cluster, s.call);
  else if ('advanceS' in s) cluster.advance(s.advanceS * 1e9);
  else if ('fault' in s) inject(cluster, s.fault);
  else cluster.faults.clearAll();
}

describe('mutual authentication invariants', () => {
  it('delivers no packet from a workload identity to the server without a valid auth-map entry at that moment', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 8 }), (steps) => {
        const cluster = authCluster('required');
        const server = identityOf(cluster, 'server');
        const violations: string[] = [];
        cluster.on('flow', (f: Flow) => {
          if (
            f.destination?.pod_name !== 'server' ||
            f.is_reply !== false ||
            f.verdict !== 'FORWARDED' ||
            f.trace_observation_point !== 'TO_ENDPOINT'
          )
            return;
          const src = f.source?.identity ?? 0;
          const node = cluster.inspect.endpoint('default', f.source?.pod_name ?? '')?.nodeName;
          const remoteNodeID = node === 'kind-worker' ? 0 : (cluster.inspect.node(node ?? '')?.id ?? -1);
          const key = { localIdentity: server, remoteIdentity: src, remoteNodeID, authType: 1 };
          if (!runtimeOf(cluster).agents.get('kind-worker')!.authMap.valid(key, cluster.now().elapsedNs))
            violations.push(`${f.time} ${f.Summary}`);
        });
        for (const s of steps) run(cluster, s);
        expect(violations).toEqual([]);
      }),
      { numRuns: 8 },
    );
  });

  it('behaves as plain L3/L4 once the requirement is removed', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CALLERS), { minLength: 1, maxLength: 4 }), (callers) => {
        const plain = authCluster('none');
        const lifted = authCluster('required');
        lifted.apply(policy('none'));
        const before = lifted.flows().length;
        for (const c of callers) expect(call(lifted, c)).toBe(call(plain, c));
        expect(
          lifted
            .flows()
            .slice(before)
            .filter((f) => f.drop_reason_desc === 'AUTH_REQUIRED'),
        ).toEqual([]);
      }),
      { numRuns: 6 },
    );
  });

  it('never authenticates with an expired certificate: no entry outlives either SVID', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 150 }), fc.constantFrom(...NODES), (minutes, skewed) => {
        const cluster = authCluster('required');
        cluster.faults.clockSkew(skewed, `${minutes}m`);
        const ma = runtimeOf(cluster).spire!.certs;
        const clientSvid = ma.svidFor('kind-worker2', identityOf(cluster, 'client'))!;
        const serverSvid = ma.svidFor('kind-worker', identityOf(cluster, 'server'))!;
        const result = call(cluster);
        // The initiator (the server's node) checks the client's SVID with its clock; the client's
        // node checks the server's SVID with its own.
        const initiatorSeesExpired = skewed === 'kind-worker' && ma.nodeNowMs('kind-worker') > clientSvid.notAfterMs;
        const responderSeesExpired = skewed === 'kind-worker2' && ma.nodeNowMs('kind-worker2') > serverSvid.notAfterMs;
        expect(result).toBe(initiatorSeesExpired || responderSeesExpired ? 'exit 28' : '200');
        for (const e of serverAuthEntries(cluster)) {
          expect(e.expiresAtNs).toBeLessThanOrEqual((Math.min(clientSvid.notAfterMs, serverSvid.notAfterMs) - cluster.now().startMs) * 1e6);
          expect(e.storedAtNs).toBeLessThan(e.expiresAtNs);
        }
      }),
      RUNS,
    );
  });

  it('recovers from every injected fault once it clears', () => {
    fc.assert(
      fc.property(faultArb, fc.integer({ min: 0, max: 2 * 3600 }), fc.constantFrom(...CALLERS), (fault, heldS, caller) => {
        const cluster = authCluster('required');
        inject(cluster, fault);
        call(cluster, caller);
        cluster.advance(heldS * 1e9);
        cluster.faults.clearAll();
        cluster.advance('15s');
        expect(cluster.faults.active()).toEqual([]);
        expect(call(cluster, caller)).toBe('200');
      }),
      RUNS,
    );
  });
});
