// Invariant: same seed, same script -> byte-identical flows, command output and derived state.
// The script is random (fc.commands of CLI steps: curls from pods and from outside addresses,
// relabelling, clock advances across SVID rotation and GC, policies of every kind applied and
// deleted, some requiring mutual authentication) and is run twice on two fresh clusters with
// SPIRE. What is compared: every step's output, every Hubble flow as JSON, and at the end the
// CiliumEndpoint and CiliumIdentity objects, every policy map, every auth map and agent log.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { manifest, podYaml, policy, PORTS, type PodSpecArb } from './arbitraries.ts';
import { anyPolicy, WORLD_IPS } from './policyKinds.ts';
import { ApplyDoc, ApplyPolicy, Curl, DeleteDoc, DeletePolicy, Label, OutsideCurl, Sleep, sleeps, type Model, type Real } from './steps.ts';

const PODS: PodSpecArb[] = [
  { name: 'p0', labels: { app: 'web' } },
  { name: 'p1', labels: { app: 'api', tier: 'back' } },
  { name: 'p2', labels: { app: 'db' } },
];
const names = fc.constantFrom(...PODS.map((p) => p.name));
const policyNames = fc.constantFrom('pol0', 'pol1');
const namedDoc = fc.tuple(policyNames, anyPolicy).map(([name, d]) => ({ ...d, metadata: { ...d.metadata, name } }));

const steps = fc.commands(
  [
    fc.tuple(names, names, fc.constantFrom(...PORTS)).map(([a, b, port]) => new Curl(a, b, port)),
    fc.tuple(fc.constantFrom(...WORLD_IPS), names, fc.constantFrom(...PORTS)).map(([ip, b, port]) => new OutsideCurl(ip, b, port)),
    fc.tuple(names, fc.constantFrom('front', 'back', null)).map(([p, t]) => new Label(p, t)),
    fc.oneof(sleeps, fc.constantFrom('20m', '2h')).map((d) => new Sleep(d)),
    policyNames.chain((n) => policy(n)).map((p) => new ApplyPolicy(p)),
    policyNames.map((n) => new DeletePolicy(n)),
    namedDoc.map((d) => new ApplyDoc(d)),
    namedDoc.map((d) => new DeleteDoc(d)),
  ],
  { maxCommands: 12 },
);

function play(seed: number, cmds: Iterable<fc.Command<Model, Real>>): { log: string[]; flows: string; state: string } {
  const cluster = Cluster.create({ seed });
  cluster.apply(manifest(PODS.map((p) => podYaml(p))));
  const real: Real = { cluster, log: [] };
  fc.modelRun(() => ({ model: {}, real }), cmds);
  const nodes = cluster.list('Node').map((n) => n.metadata.name);
  const state = JSON.stringify({
    endpoints: cluster.inspect.ciliumEndpoints(),
    identities: cluster.inspect.ciliumIdentities(),
    policyMaps: [...new Set(cluster.inspect.endpoints().map((e) => e.identity))].map((id) => cluster.inspect.policyMap(id).entries()),
    authMaps: nodes.map((n) => cluster.inspect.authMap(n)),
    agentLogs: nodes.map((n) => cluster.inspect.agentLog(n)),
  });
  return { log: real.log, flows: JSON.stringify(cluster.flows()), state };
}

describe('determinism', () => {
  it('produces byte-identical flows, outputs and state for the same seed and script', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), steps, (seed, cmds) => {
        const first = play(seed, cmds);
        const second = play(seed, cmds);
        expect(second.log).toEqual(first.log);
        expect(second.flows).toBe(first.flows);
        expect(second.state).toBe(first.state);
      }),
      { numRuns: 12 },
    );
  });
});
