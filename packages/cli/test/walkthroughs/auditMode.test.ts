import { describe, expect, it } from 'vitest';
import { loadScenario } from '@cilium-sim/scenarios';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// Policy audit mode: verdicts that would drop are AUDITED and the packet passes, so a policy
// can be tried on live traffic before it is enforced.
function starWarsUnderRule1() {
  const sim = createSimulator({ seed: 1 }, nodeHostFiles(process.cwd()), loadScenario('star-wars').files);
  for (const line of ['kubectl apply -f manifests/http-sw-app.yaml', 'kubectl apply -f manifests/sw_l3_l4_policy.yaml'])
    sim.session.run(line);
  return sim;
}

const XWING = 'kubectl exec xwing -- curl -s --connect-timeout 1 -XPOST deathstar.default.svc.cluster.local/v1/request-landing';

describe('policy audit mode', () => {
  it('turns the xwing drop into an AUDITED verdict while xwing lands, cluster-wide', () => {
    const sim = starWarsUnderRule1();
    expect(sim.session.run(XWING).output).toBe('command terminated with exit code 28\n');
    expect(sim.session.run('cilium config set policy-audit-mode true').exitCode).toBe(0);
    expect(sim.session.run(XWING).output).toBe('Ship landed\n');
    const verdicts = sim.session.run('hubble observe --from-pod default/xwing --type policy-verdict').stdout.trim().split('\n');
    expect(verdicts.at(-1)).toMatch(/-> default\/deathstar-\S+:80 \(ID:\d+\) policy-verdict:none INGRESS AUDITED \(TCP Flags: SYN\)$/);
    expect(sim.session.run('hubble observe --from-pod default/xwing --verdict AUDIT -o json --last 1').stdout).toContain(
      '"verdict":"AUDIT"',
    );
  });

  it('applies to one endpoint with cilium-dbg endpoint config ID PolicyAuditMode=Enabled', () => {
    const sim = starWarsUnderRule1();
    const podName = sim.session.run("kubectl get pods -l class=deathstar -o jsonpath='{.items[*].metadata.name}'").stdout.split(' ');
    const eps = sim.cluster.inspect.endpoints().filter((e) => podName.includes(e.podName));
    for (const ep of eps)
      expect(sim.session.run(`cilium endpoint config ${ep.id} PolicyAuditMode=Enabled`).stdout).toBe(
        `Endpoint ${ep.id} configuration updated successfully\n`,
      );
    expect(sim.session.run('cilium endpoint list').stdout).toContain('Disabled (Audit)');
    expect(sim.session.run(XWING).output).toBe('Ship landed\n');
    for (const ep of eps) sim.session.run(`cilium endpoint config ${ep.id} PolicyAuditMode=Disabled`);
    expect(sim.session.run(XWING).output).toBe('command terminated with exit code 28\n');
  });
});
