import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';

describe('cilium status reports what runs', () => {
  it("counts the nodes' agents and the Deployments' ready pods", () => {
    const sim = createSimulator({ seed: 1 }, process.cwd(), new Map());
    expect(sim.session.run('kubectl delete node kind-worker2').exitCode).toBe(0);
    expect(sim.session.run('kubectl scale deployment hubble-relay -n kube-system --replicas=0').exitCode).toBe(0);
    const out = sim.session.run('cilium status').stdout;
    expect(out).toMatch(/DaemonSet\s+cilium\s+Desired: 2, Ready: 2\/2, Available: 2\/2\n/);
    expect(out).toMatch(/Deployment\s+hubble-relay\s*\n/);
    expect(out).toMatch(/Image versions\s+cilium\s+quay.io\/cilium\/cilium:v1.15.6: 2\n/);
    expect(out).not.toContain('hubble-relay:v1.15.6');
    expect(out).not.toContain('Errors:');
  });
});
