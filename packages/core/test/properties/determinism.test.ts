// Same seed, same script -> byte-identical flows and command output. The script is random
// (fc.commands of CLI steps) and is run twice on two fresh clusters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { manifest, podYaml, policy, PORTS, type PodSpecArb } from './arbitraries.ts';
import { ApplyPolicy, Curl, DeletePolicy, Label, Sleep, sleeps, type Model, type Real } from './steps.ts';

const PODS: PodSpecArb[] = [
  { name: 'p0', labels: { app: 'web' } },
  { name: 'p1', labels: { app: 'api', tier: 'back' } },
  { name: 'p2', labels: { app: 'db' } },
];
const names = fc.constantFrom(...PODS.map((p) => p.name));
const policyNames = fc.constantFrom('pol0', 'pol1');

const steps = fc.commands([
  fc.tuple(names, names, fc.constantFrom(...PORTS)).map(([a, b, port]) => new Curl(a, b, port)),
  fc.tuple(names, fc.constantFrom('front', 'back', null)).map(([p, t]) => new Label(p, t)),
  sleeps.map((d) => new Sleep(d)),
  policyNames.chain((n) => policy(n)).map((p) => new ApplyPolicy(p)),
  policyNames.map((n) => new DeletePolicy(n)),
], { maxCommands: 12 });

function play(seed: number, cmds: Iterable<fc.Command<Model, Real>>): { log: string[]; flows: string } {
  const cluster = Cluster.create({ seed });
  cluster.apply(manifest(PODS.map((p) => podYaml(p))));
  const real: Real = { cluster, log: [] };
  fc.modelRun(() => ({ model: {}, real }), cmds);
  return { log: real.log, flows: JSON.stringify(cluster.flows()) };
}

describe('determinism', () => {
  it('produces byte-identical flows and outputs for the same seed and script', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), steps, (seed, cmds) => {
      const first = play(seed, cmds);
      const second = play(seed, cmds);
      expect(second.log).toEqual(first.log);
      expect(second.flows).toBe(first.flows);
    }), { numRuns: 10 });
  });
});
