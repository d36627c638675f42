import { describe, expect, it } from 'vitest';
import { loadScenario } from '@cilium-sim/scenarios';
import { createSimulator } from '../../src/simulator.ts';
import { runScript } from '../../src/shell/script.ts';
import { podNamesMasked, transcriptSteps, untimed } from './l7Transcript.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// The Star Wars demo's L7 part, with the bundled copies of the lab's manifests.
const files = loadScenario('star-wars').files;

function run(script: string): ReturnType<typeof transcriptSteps> {
  const sim = createSimulator({ seed: 1 }, nodeHostFiles(process.cwd()), files);
  const r = runScript(script, sim.session, { name: 'l7.sh' });
  expect(r.ok).toBe(true);
  return transcriptSteps(r.transcript);
}

const DS = 'deathstar.default.svc.cluster.local';

describe('the Star Wars L7 walkthrough', () => {
  const steps = run(`kubectl apply -f manifests/http-sw-app.yaml
kubectl apply -f manifests/sw_l3_l4_policy.yaml
kubectl exec tiefighter -- curl -s -XPUT ${DS}/v1/exhaust-port
kubectl apply -f manifests/sw_l3_l4_l7_policy.yaml
kubectl exec tiefighter -- curl -s -XPOST ${DS}/v1/request-landing
kubectl exec tiefighter -- curl -s -XPUT ${DS}/v1/exhaust-port
kubectl exec xwing -- curl -s --connect-timeout 2 -XPOST ${DS}/v1/request-landing
hubble observe --type l7 --from-pod default/tiefighter
hubble observe --pod default/tiefighter --protocol http --http-status 403
kubectl exec tiefighter -- curl -si -XPUT ${DS}/v1/exhaust-port`);

  it('explodes the deathstar under L3/L4 policy alone', () => {
    expect(steps[2]!.output.split('\n')[0]).toBe('Panic: deathstar exploded');
  });

  it('lands the POST and answers the PUT "Access denied" under the L7 policy; the xwing times out', () => {
    expect(steps[3]!.output).toBe('ciliumnetworkpolicy.cilium.io/rule1 configured\n');
    expect(steps[4]!.output).toBe('Ship landed\n');
    expect(steps[5]!.output).toBe('Access denied\r\n');
    expect(steps[6]!.output).toBe('command terminated with exit code 28\n');
  });

  it('shows the forwarded POST and the dropped PUT with hubble observe --type l7 --from-pod default/tiefighter', () => {
    expect(untimed(steps[7]!.output).map(podNamesMasked)).toEqual([
      `default/tiefighter:* (ID:*) -> default/deathstar-*:80 (ID:*) http-request FORWARDED (HTTP/1.1 POST http://${DS}/v1/request-landing)`,
      `default/tiefighter:* (ID:*) -> default/deathstar-*:80 (ID:*) http-request DROPPED (HTTP/1.1 PUT http://${DS}/v1/exhaust-port)`,
    ]);
    expect(untimed(steps[8]!.output).map(podNamesMasked)).toEqual([
      `default/tiefighter:* (ID:*) <- default/deathstar-*:80 (ID:*) http-response FORWARDED (HTTP/1.1 403 0ms (PUT http://${DS}/v1/exhaust-port))`,
    ]);
  });

  it("prints Envoy's 403 with curl -i", () => {
    expect(steps[9]!.output).toBe(
      'HTTP/1.1 403 Forbidden\r\ncontent-length: 15\r\ncontent-type: text/plain\r\nserver: envoy\r\n\r\nAccess denied\r\n',
    );
  });
});
