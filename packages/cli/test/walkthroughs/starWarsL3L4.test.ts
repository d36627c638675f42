import { describe, expect, it } from 'vitest';
import { loadScenario } from '@cilium-sim/scenarios';
import { createSimulator } from '../../src/simulator.ts';
import { runScript } from '../../src/shell/script.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// The Star Wars app's manifests from the bundled scenario, so the scripts read like the lab.
const files = loadScenario('star-wars').files;

function run(script: string, seed = 1): string {
  const sim = createSimulator({ seed }, nodeHostFiles(process.cwd()), files);
  const r = runScript(script, sim.session, { name: 'test.sh' });
  expect(r.ok).toBe(true);
  return r.transcript;
}

const APP = 'kubectl apply -f manifests/http-sw-app.yaml\n';

describe('the Star Wars app on a fresh cluster', () => {
  it('runs four pods, two deathstar replicas sharing one identity and one identity per ship', () => {
    const out = run(`${APP}kubectl get pods\nkubectl get cep\nkubectl get ciliumidentities -o name`);
    const pods = out.split('$ kubectl get pods\n')[1]!.split('$ ')[0]!.trim().split('\n').slice(1);
    expect(pods).toHaveLength(4);
    expect(pods.every((l) => / 1\/1 +Running +0 /.test(l))).toBe(true);
    const cep = out
      .split('$ kubectl get cep\n')[1]!
      .split('$ ')[0]!
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/));
    const identityOf = (prefix: string): string[] => cep.filter((c) => c[0]!.startsWith(prefix)).map((c) => c[1]!);
    const deathstar = identityOf('deathstar-');
    expect(deathstar).toHaveLength(2);
    expect(deathstar[0]).toBe(deathstar[1]);
    const [tie] = identityOf('tiefighter');
    const [xwing] = identityOf('xwing');
    expect(new Set([deathstar[0], tie, xwing]).size).toBe(3);
    for (const id of [deathstar[0], tie, xwing]) expect(out).toContain(`ciliumidentity.cilium.io/${id}\n`);
  });

  it('prints the same bytes for the same script and seed, and other names for another seed', () => {
    const script = `${APP}kubectl get pods -o wide\nkubectl get cep`;
    expect(run(script)).toBe(run(script));
    expect(run(script, 7)).not.toBe(run(script));
  });

  it('says "No resources found" in an empty namespace', () => {
    const sim = createSimulator({}, nodeHostFiles(process.cwd()), files);
    expect(sim.session.run('kubectl get pods').output).toBe('No resources found in default namespace.\n');
  });
});

describe('a malformed CiliumNetworkPolicy', () => {
  it('is refused with its name and the bad field, and leaves nothing behind', () => {
    const sim = createSimulator(
      {},
      nodeHostFiles(process.cwd()),
      new Map([
        [
          'bad.yaml',
          `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: rule1
spec:
  endpointSelector:
    matchLabels:
      org: empire
  ingress:
  - toPorts:
    - ports:
      - port: "80000"
        protocol: TCP
`,
        ],
      ]),
    );
    const apply = sim.session.run('kubectl apply -f bad.yaml');
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('rule1');
    expect(apply.stderr).toContain('spec.ingress[0].toPorts[0].ports[0].port');
    expect(sim.session.run('kubectl get cnp').output).toBe('No resources found in default namespace.\n');
  });
});

describe('the Star Wars L3/L4 walkthrough', () => {
  const landing = 'curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing';

  it('lands both ships without policy, then only the tiefighter under rule1', () => {
    const out = run(`${APP}kubectl exec xwing -- ${landing}
kubectl exec tiefighter -- ${landing}
kubectl apply -f manifests/sw_l3_l4_policy.yaml
kubectl exec tiefighter -- ${landing}
kubectl exec xwing -- curl -s --connect-timeout 1 -XPOST deathstar.default.svc.cluster.local/v1/request-landing
hubble observe --type drop --from-pod default/xwing`);
    const steps = out.split('\n$ ');
    expect(steps[1]).toMatch(/request-landing\nShip landed$/);
    expect(steps[2]).toMatch(/request-landing\nShip landed$/);
    expect(steps[3]).toBe('kubectl apply -f manifests/sw_l3_l4_policy.yaml\nciliumnetworkpolicy.cilium.io/rule1 created');
    expect(steps[4]).toMatch(/request-landing\nShip landed$/);
    expect(steps[5]).toMatch(/request-landing\ncommand terminated with exit code 28$/);
    const drop = steps[6]!.split('\n')[1]!;
    expect(drop).toMatch(
      /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\.\d{3}: default\/xwing:\d+ \(ID:\d+\) <> default\/deathstar-[a-z0-9]+-[a-z0-9]{5}:80 \(ID:\d+\) Policy denied DROPPED \(TCP Flags: SYN\)$/,
    );
  });

  it('gives the same verdicts with the equivalent Kubernetes NetworkPolicy', () => {
    const sim = createSimulator(
      {},
      nodeHostFiles(process.cwd()),
      new Map([
        ...files,
        [
          'knp.yaml',
          `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: rule1
spec:
  podSelector:
    matchLabels: { org: empire, class: deathstar }
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels: { org: empire }
    ports:
    - { protocol: TCP, port: 80 }
`,
        ],
      ]),
    );
    const out = runScript(
      `${APP}kubectl apply -f knp.yaml\nkubectl exec tiefighter -- ${landing}\nkubectl exec xwing -- curl -s --connect-timeout 1 -XPOST deathstar.default.svc.cluster.local/v1/request-landing\nhubble observe --type drop --from-pod default/xwing -o json`,
      sim.session,
    ).transcript;
    expect(out).toContain('networkpolicy.networking.k8s.io/rule1 created');
    expect(out).toMatch(/tiefighter -- curl[^\n]*\nShip landed\n/);
    expect(out).toMatch(/xwing -- curl[^\n]*\ncommand terminated with exit code 28\n/);
    expect(out).toContain('"drop_reason_desc":"POLICY_DENIED"');
  });
});
