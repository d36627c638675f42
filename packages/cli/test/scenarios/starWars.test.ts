// The star-wars walkthrough checked against what its README promises, step by step.
import { describe, expect, it } from 'vitest';
import { outputsOf, runSteps } from './transcript.ts';

const LANDING = 'curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing';
const XWING_LANDING = 'kubectl exec xwing -- curl -s --connect-timeout 2 -XPOST';

describe('scenario star-wars', () => {
  const { steps, ok } = runSteps('star-wars');

  it('runs the whole walkthrough', () => {
    expect(ok).toBe(true);
  });

  it('creates the app: the deathstar Service, two deathstar pods and two ships', () => {
    expect(steps[0]!.output).toBe(
      'service/deathstar created\ndeployment.apps/deathstar created\npod/tiefighter created\npod/xwing created',
    );
    const pods = outputsOf(steps, 'kubectl get pods,svc')[0]!;
    expect(pods.match(/^pod\/deathstar-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running/gm)).toHaveLength(2);
    expect(pods).toMatch(/^service\/deathstar +ClusterIP +[\d.]+ +<none> +80\/TCP/m);
  });

  it('gives both deathstar replicas one identity, and shows enforcement Disabled before any policy', () => {
    const list = outputsOf(steps, 'cilium endpoint list')[0]!;
    const deathstar = [...list.matchAll(/^\d+ +(\w+) +(\w+) +(\d+) +k8s:app\.kubernetes\.io\/name=deathstar/gm)];
    expect(deathstar).toHaveLength(2);
    expect(deathstar[0]![3]).toBe(deathstar[1]![3]);
    expect(deathstar.every((m) => m[1] === 'Disabled' && m[2] === 'Disabled')).toBe(true);
  });

  it('lands both ships without a policy', () => {
    expect(outputsOf(steps, `kubectl exec xwing -- ${LANDING}`)).toEqual(['Ship landed']);
    expect(outputsOf(steps, `kubectl exec tiefighter -- ${LANDING}`)).toEqual(['Ship landed', 'Ship landed', 'Ship landed']);
  });

  it('drops the xwing under rule1: a curl timeout and a Policy denied SYN in Hubble', () => {
    expect(
      outputsOf(steps, 'kubectl create -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/sw_l3_l4_policy.yaml'),
    ).toEqual(['ciliumnetworkpolicy.cilium.io/rule1 created']);
    expect(outputsOf(steps, XWING_LANDING)).toEqual(['command terminated with exit code 28', 'command terminated with exit code 28']);
    const drops = outputsOf(steps, 'hubble observe --type drop --from-pod default/xwing')[0]!.split('\n');
    expect(drops.length).toBeGreaterThan(0);
    for (const line of drops)
      expect(line).toMatch(
        /default\/xwing:\d+ \(ID:\d+\) <> default\/deathstar-[a-z0-9-]+:80 \(ID:\d+\) Policy denied DROPPED \(TCP Flags: SYN\)$/,
      );
  });

  it('turns ingress enforcement on for the deathstar endpoints only, egress stays Disabled', () => {
    const list = outputsOf(steps, 'cilium endpoint list')[1]!;
    const rows = [...list.matchAll(/^\d+ +(\w+) +(\w+) +\d+ +k8s:app\.kubernetes\.io\/name=([\w-]+)/gm)].map(
      (m) => `${m[3]} ${m[1]} ${m[2]}`,
    );
    // Hubble UI's pod (kube-system, on the control plane) is an endpoint too; no policy selects it.
    expect(rows.sort()).toEqual([
      'deathstar Enabled Disabled',
      'deathstar Enabled Disabled',
      'hubble-ui Disabled Disabled',
      'tiefighter Disabled Disabled',
      'xwing Disabled Disabled',
    ]);
    // Cilium 1.16's CRD declares no printer columns; VALID came with 1.17.
    expect(outputsOf(steps, 'kubectl get cnp')[0]).toMatch(/^NAME +AGE\nrule1 +\d+s$/);
  });

  it('lets L3/L4 through to the exhaust port, then the L7 rule answers Access denied', () => {
    const [before, after] = outputsOf(
      steps,
      'kubectl exec tiefighter -- curl -s -XPUT deathstar.default.svc.cluster.local/v1/exhaust-port',
    );
    expect(before).toMatch(/^Panic: deathstar exploded\n/);
    expect(
      outputsOf(steps, 'kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/sw_l3_l4_l7_policy.yaml'),
    ).toEqual(['ciliumnetworkpolicy.cilium.io/rule1 configured']);
    expect(after!.trimEnd()).toBe('Access denied');
  });

  it("shows the proxy's HTTP verdicts: the landing FORWARDED, the exhaust port DROPPED with a 403", () => {
    const http = outputsOf(steps, 'hubble observe --pod default/tiefighter --protocol http')[0]!;
    expect(http).toMatch(
      /-> default\/deathstar-[a-z0-9-]+:80 \(ID:\d+\) http-request FORWARDED \(HTTP\/1\.1 POST http:\/\/deathstar\.default\.svc\.cluster\.local\/v1\/request-landing\)/,
    );
    expect(http).toMatch(/http-request DROPPED \(HTTP\/1\.1 PUT http:\/\/deathstar\.default\.svc\.cluster\.local\/v1\/exhaust-port\)/);
    expect(http).toMatch(/http-response FORWARDED \(HTTP\/1\.1 200 \d+ms \(POST /);
    expect(http).toMatch(/http-response FORWARDED \(HTTP\/1\.1 403 \d+ms \(PUT /);
  });
});
