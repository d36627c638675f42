// The k8s-vs-cilium walkthrough: one intent as a NetworkPolicy and as a CiliumNetworkPolicy
// gives the same verdicts; then an HTTP rule only the Cilium API can express.
import { describe, expect, it } from 'vitest';
import { outputsOf, runSteps } from './transcript.ts';

const FRONTEND_OK = 'kubectl exec frontend -- curl -s -o /dev/null -w "%{http_code}" http://backend/api/health';
const INTRUDER = 'kubectl exec intruder -- curl -s --connect-timeout 2 http://backend/api/health';

describe('scenario k8s-vs-cilium', () => {
  const { steps, ok } = runSteps('k8s-vs-cilium');

  it('runs the whole walkthrough', () => {
    expect(ok).toBe(true);
  });

  it('lets both clients reach the backend while no policy exists', () => {
    expect(outputsOf(steps, 'kubectl exec intruder -- curl -s -o /dev/null -w "%{http_code}"')).toEqual(['200']);
    expect(outputsOf(steps, FRONTEND_OK)[0]).toBe('200');
  });

  it('gives identical verdicts under the NetworkPolicy and the CiliumNetworkPolicy', () => {
    expect(outputsOf(steps, 'kubectl apply -f manifests/knp-backend-allow-frontend.yaml')).toEqual([
      'networkpolicy.networking.k8s.io/backend-allow-frontend created',
    ]);
    expect(outputsOf(steps, 'kubectl get networkpolicy')[0]).toMatch(
      /^NAME +POD-SELECTOR +AGE\nbackend-allow-frontend +app=backend +\d+s$/,
    );
    expect(outputsOf(steps, 'kubectl apply -f manifests/cnp-backend-allow-frontend.yaml')).toEqual([
      'ciliumnetworkpolicy.cilium.io/backend-allow-frontend created',
    ]);
    expect(outputsOf(steps, FRONTEND_OK)).toEqual(['200', '200', '200', '200']);
    expect(outputsOf(steps, INTRUDER)).toEqual([
      'command terminated with exit code 28',
      'command terminated with exit code 28',
      'command terminated with exit code 28',
    ]);
  });

  it('names the drop Policy denied, on the pod port 3000 rather than the Service port 80', () => {
    const drops = outputsOf(steps, 'hubble observe --type drop --from-pod default/intruder')[0]!.split('\n');
    expect(drops.length).toBeGreaterThan(0);
    for (const line of drops)
      expect(line).toMatch(
        /default\/intruder:\d+ \(ID:\d+\) <> default\/backend-[a-z0-9-]+:3000 \(ID:\d+\) Policy denied DROPPED \(TCP Flags: SYN\)$/,
      );
  });

  it('enforces ingress on the two backend endpoints only', () => {
    const list = outputsOf(steps, 'cilium endpoint list')[0]!;
    const rows = [...list.matchAll(/^\d+ +(\w+) +(\w+) +\d+ +k8s:app=(\w+)/gm)]
      .map((m) => `${m[3]} ${m[1]} ${m[2]}`)
      .filter((r) => !r.startsWith('local'));
    expect(rows.sort()).toEqual([
      'backend Enabled Disabled',
      'backend Enabled Disabled',
      'frontend Disabled Disabled',
      'intruder Disabled Disabled',
    ]);
  });

  it('answers 403 Access denied for what the HTTP rule does not allow, and still drops the intruder', () => {
    expect(outputsOf(steps, 'kubectl apply -f manifests/cnp-backend-l7.yaml')).toEqual([
      'ciliumnetworkpolicy.cilium.io/backend-allow-frontend configured',
    ]);
    expect(outputsOf(steps, 'kubectl exec frontend -- curl -s -X POST http://backend/api/health')[0]!.trimEnd()).toBe('Access denied');
    expect(outputsOf(steps, 'kubectl exec frontend -- curl -s http://backend/admin')[0]!.trimEnd()).toBe('Access denied');
  });

  it("shows each request of frontend with the proxy's verdict", () => {
    const lines = outputsOf(steps, 'hubble observe --from-pod default/frontend --protocol http')[0]!.split('\n');
    expect(lines.map((l) => l.replace(/^.*\) http-request /, ''))).toEqual([
      'FORWARDED (HTTP/1.1 GET http://backend/api/health)',
      'DROPPED (HTTP/1.1 POST http://backend/api/health)',
      'DROPPED (HTTP/1.1 GET http://backend/admin)',
    ]);
  });
});
