import { loadScenario } from '@cilium-sim/scenarios';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// `cilium config delete KEY` removes the key from the ConfigMap and the agents go back to the
// key's default, as agents restarted without it would: the config and the live policy agree.
const XWING = 'kubectl exec xwing -- curl -s --connect-timeout 1 -XPOST deathstar.default.svc.cluster.local/v1/request-landing';

function starWarsWithoutPolicy() {
  const sim = createSimulator({ seed: 1 }, nodeHostFiles(process.cwd()), loadScenario('star-wars').files);
  sim.session.run('kubectl apply -f manifests/http-sw-app.yaml');
  return sim;
}

/** The POLICY (ingress) and (egress) cells of `cilium endpoint list`, one pair per endpoint. */
function enforcementCells(sim: ReturnType<typeof createSimulator>): Set<string> {
  const rows = sim.session.run('cilium endpoint list').stdout.split('\n').slice(1);
  return new Set(rows.flatMap((r) => r.match(/\b(Enabled|Disabled)\b/g) ?? []));
}

describe('cilium config delete enable-policy after set always', () => {
  it('restores the default: no policy selects the pods, so nothing is enforced and the xwing lands again', () => {
    const sim = starWarsWithoutPolicy();
    expect(sim.session.run(XWING).output).toBe('Ship landed\n');

    expect(sim.session.run('cilium config set enable-policy always').exitCode).toBe(0);
    expect(sim.session.run(XWING).output).toBe('command terminated with exit code 28\n');
    expect(enforcementCells(sim)).toEqual(new Set(['Enabled', 'Disabled']));

    expect(sim.session.run('cilium config delete enable-policy').stdout).toContain('Removing key enable-policy from ConfigMap');
    expect(sim.session.run('cilium config view').stdout).not.toContain('enable-policy');
    expect(sim.session.run(XWING).output).toBe('Ship landed\n');
    expect(enforcementCells(sim)).toEqual(new Set(['Disabled']));
  });

  it('applies to every key with an effect: monitor-aggregation goes back to medium', () => {
    const traces = (sim: ReturnType<typeof createSimulator>): number => {
      sim.session.run(XWING);
      return sim.session.run('hubble observe --from-pod default/xwing --type trace -o json').stdout.trim().split('\n').length;
    };
    const everyPacket = starWarsWithoutPolicy();
    everyPacket.session.run('cilium config set monitor-aggregation none');
    const deleted = starWarsWithoutPolicy();
    deleted.session.run('cilium config set monitor-aggregation none');
    deleted.session.run('cilium config delete monitor-aggregation');

    const afterDelete = traces(deleted);
    expect(afterDelete).toBe(traces(starWarsWithoutPolicy()));
    expect(traces(everyPacket)).toBeGreaterThan(afterDelete);
  });
});
