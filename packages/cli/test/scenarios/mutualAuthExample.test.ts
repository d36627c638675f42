// The mutual-auth-example walkthrough (pod-worker and echo on port 3000) checked against its
// README: the L7 policy, SPIRE's view, the policy with authentication, Hubble and the logs.
import { describe, expect, it } from 'vitest';
import { outputsOf, runSteps } from './transcript.ts';

const HEADERS = 'kubectl exec -it pod-worker -- curl -s -o /dev/null -w "%{http_code}" http://echo:3000/headers';
const HEADERS_1 = 'kubectl exec -it pod-worker -- curl http://echo:3000/headers-1';
const SPIRE = 'kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server';

describe('scenario mutual-auth-example', () => {
  const { steps, ok } = runSteps('mutual-auth-example');

  it('runs the whole walkthrough', () => {
    expect(ok).toBe(true);
  });

  it('deploys echo and pod-worker with the policy without authentication', () => {
    expect(steps[0]!.output).toBe('service/echo created\ndeployment.apps/echo created\npod/pod-worker created');
    expect(steps[1]!.output).toBe('ciliumnetworkpolicy.cilium.io/no-mutual-auth-echo created');
    expect(outputsOf(steps, 'kubectl get svc echo')[0]).toMatch(/^echo +ClusterIP +[\d.]+ +<none> +3000\/TCP/m);
  });

  it("gives 200 for GET /headers and the proxy's Access denied otherwise, before and after authentication", () => {
    expect(outputsOf(steps, HEADERS)).toEqual(['200', '200']);
    expect(outputsOf(steps, HEADERS_1).map((o) => o.trimEnd())).toEqual(['Access denied', 'Access denied']);
  });

  it('shows a healthy SPIRE server with one k8s_psat agent per node and the agent and operator entries', () => {
    expect(outputsOf(steps, `${SPIRE} healthcheck`)).toEqual(['Server is healthy.']);
    const agents = outputsOf(steps, `${SPIRE} agent list`)[0]!;
    expect(agents).toMatch(/^Found 3 attested agents:\n/);
    expect(agents.match(/^Attestation type {2}: k8s_psat$/gm)).toHaveLength(3);
    const parents = outputsOf(steps, `${SPIRE} entry show -parentID`)[0]!;
    expect(parents).toMatch(/^Found 2 entries\n/);
    expect(parents).toContain('SPIFFE ID        : spiffe://spiffe.cilium/cilium-agent\n');
    expect(parents).toContain('SPIFFE ID        : spiffe://spiffe.cilium/cilium-operator\n');
  });

  it("finds echo's SPIFFE ID from its Cilium identity, and one cilium:mutual-auth entry per identity", () => {
    const id = outputsOf(steps, 'echo $IDENTITY_ID')[0]!;
    expect(id).toMatch(/^\d+$/);
    const entry = outputsOf(steps, `${SPIRE} entry show -spiffeID`)[0]!;
    expect(entry).toContain(`SPIFFE ID        : spiffe://spiffe.cilium/identity/${id}\n`);
    expect(entry).toContain('Parent ID        : spiffe://spiffe.cilium/cilium-operator\n');
    expect(entry).toContain('Selector         : cilium:mutual-auth');
    const all = outputsOf(steps, `${SPIRE} entry show -selector cilium:mutual-auth`)[0]!;
    const identities = outputsOf(steps, 'kubectl get ciliumidentities')[0]!.split('\n').slice(1);
    expect(all).toMatch(new RegExp(`^Found ${identities.length} entries\\n`));
    for (const row of identities) expect(all).toContain(`spiffe://spiffe.cilium/identity/${row.split(/\s+/)[0]}\n`);
  });

  it('applies the policy with authentication as a second policy', () => {
    expect(
      outputsOf(
        steps,
        'kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/kubernetes/servicemesh/cnp-with-mutual-auth.yaml',
      ),
    ).toEqual(['ciliumnetworkpolicy.cilium.io/mutual-auth-echo created']);
  });

  it('shows one Authentication required drop of a SYN, then verdicts ALLOWED with Auth: SPIRE', () => {
    const drops = outputsOf(steps, 'hubble observe --type drop --from-pod default/pod-worker')[0]!.split('\n');
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatch(
      /default\/pod-worker:\d+ \(ID:\d+\) <> default\/echo-[a-z0-9-]+:3000 \(ID:\d+\) Authentication required DROPPED \(TCP Flags: SYN\)$/,
    );
    const verdicts = outputsOf(steps, 'hubble observe --type policy-verdict --from-pod default/pod-worker')[0]!;
    expect(verdicts).toContain('policy-verdict:L3-L4 INGRESS DENIED (TCP Flags: SYN; Auth: SPIRE)');
    expect(verdicts).toContain('policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN; Auth: SPIRE)');
  });

  it("reads the handshake in the log of the agent on echo's node", () => {
    const logs = outputsOf(steps, 'kubectl -n kube-system -c cilium-agent logs $CILIUM_POD')[0]!;
    for (const msg of [
      'Policy is requiring authentication',
      'Validating Server SNI',
      'Validated certificate',
      'Successfully authenticated',
    ]) {
      expect(logs).toContain(`level=debug msg="${msg}"`);
    }
  });
});
