import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenarioRunner.ts';
import { podNamesMasked, transcriptSteps, untimed, type Step } from './l7Transcript.ts';

// The bundled zero-trust-tenants walkthrough, run once to the end: every step's output is
// checked against what its narrative (README.md) promises.
const run = runScenario('zero-trust-tenants');
const steps = transcriptSteps(run.transcript);

function step(prefix: string, nth = 0): Step {
  const found = steps.filter((s) => s.command.startsWith(prefix))[nth];
  if (found === undefined) throw new Error(`no step ${nth} starting with: ${prefix}`);
  return found;
}

const CURL_CODE = 'kubectl exec -n economy deploy/frontend -- curl -s -o /dev/null -w "%{http_code}"';

describe('the zero-trust tenants walkthrough', () => {
  it('runs every command of the script', () => {
    expect(run.ok).toBe(true);
    expect(steps).toHaveLength(run.scenario.script.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length);
  });

  it("starts open: economy reaches first's backend and its own", () => {
    expect(step(`${CURL_CODE} http://backend.first`).output).toBe('200\n');
    expect(step(`${CURL_CODE} http://backend:8080/`, 0).output).toBe('200\n');
  });

  it('applies one tenant-isolation policy per namespace', () => {
    expect(step('kubectl apply -f manifests/tenant-isolation.yaml').output).toBe(
      'ciliumnetworkpolicy.cilium.io/tenant-isolation created\n'.repeat(3),
    );
    expect(
      step('kubectl get cnp -A')
        .output.split('\n')
        .slice(1, 4)
        .map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
    ).toEqual(['business tenant-isolation', 'economy tenant-isolation', 'first tenant-isolation']);
  });

  it('keeps traffic and DNS inside a tenant working', () => {
    expect(step(`${CURL_CODE} http://backend:8080/`, 1).output).toBe('200\n');
    expect(step('kubectl exec -n economy deploy/frontend -- nslookup').output).toMatch(
      /^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10#53\n\nName:\tbackend\.business\.svc\.cluster\.local\nAddress: 10\.\d+\.\d+\.\d+\n\n$/,
    );
  });

  it('times out across tenants, dropped on egress with Policy denied', () => {
    expect(step('kubectl exec -n economy deploy/frontend -- curl -s --connect-timeout 2 http://backend.first', 0).output).toBe(
      'command terminated with exit code 28\n',
    );
    expect(step('kubectl exec -n economy deploy/frontend -- curl -s --connect-timeout 2 http://backend.business', 0).output).toBe(
      'command terminated with exit code 28\n',
    );
    expect(untimed(step('hubble observe -n economy --type drop').output).map(podNamesMasked)).toEqual([
      'economy/frontend-*:* (ID:*) <> first/backend-*:8080 (ID:*) Policy denied DROPPED (TCP Flags: SYN)',
      'economy/frontend-*:* (ID:*) <> first/backend-*:8080 (ID:*) Policy denied DROPPED (TCP Flags: SYN)',
      'economy/frontend-*:* (ID:*) <> business/backend-*:8080 (ID:*) Policy denied DROPPED (TCP Flags: SYN)',
      'economy/frontend-*:* (ID:*) <> business/backend-*:8080 (ID:*) Policy denied DROPPED (TCP Flags: SYN)',
    ]);
  });

  it('shows the lookups the DNS proxy saw, search-path forms included', () => {
    const lines = untimed(step('hubble observe -n economy --protocol dns').output).map(podNamesMasked);
    expect(lines).toHaveLength(20);
    for (const [i, l] of lines.entries()) {
      expect(l).toMatch(
        i % 2 === 0
          ? /^economy\/frontend-\*:\* \(ID:\*\) -> kube-system\/coredns-\*:53 \(ID:\*\) dns-request proxy FORWARDED \(DNS Query [a-z.]+\. A\)$/
          : /^economy\/frontend-\*:\* \(ID:\*\) <- kube-system\/coredns-\*:53 \(ID:\*\) dns-response proxy FORWARDED \(DNS Answer (RCode: Non-Existent Domain TTL: 0|"10\.\d+\.\d+\.\d+" TTL: 5) \(Proxy [a-z.]+\. A\)\)$/,
      );
    }
    expect(lines.at(-2)).toMatch(/DNS Query backend\.business\.svc\.cluster\.local\. A\)$/);
    expect(lines.at(-4)).toMatch(/DNS Query backend\.business\.svc\.cluster\.local\.cluster\.local\. A\)$/);
  });

  it('opens exactly economy/frontend -> business/backend on 8080 with the exception', () => {
    expect(step('kubectl apply -f manifests/economy-to-business.yaml').output).toBe(
      'ciliumnetworkpolicy.cilium.io/allow-frontend-to-business-backend created\nciliumnetworkpolicy.cilium.io/allow-economy-frontend created\n',
    );
    expect(step(`${CURL_CODE} http://backend.business`).output).toBe('200\n');
    expect(step('kubectl exec -n economy deploy/backend -- curl -s --connect-timeout 2 http://backend.business').output).toBe(
      'command terminated with exit code 28\n',
    );
    expect(step('kubectl exec -n economy deploy/frontend -- curl -s --connect-timeout 2 http://backend.first', 1).output).toBe(
      'command terminated with exit code 28\n',
    );
  });

  it("shows the allowed connection passing both policy checks and economy's backend still denied", () => {
    const lines = untimed(step('hubble observe --from-namespace economy --to-namespace business').output).map(podNamesMasked);
    const allowed = lines.filter((l) => l.includes('ALLOWED'));
    expect(allowed).toEqual([
      'economy/frontend-*:* (ID:*) -> business/backend-*:8080 (ID:*) policy-verdict:L3-L4 EGRESS ALLOWED (TCP Flags: SYN)',
      'economy/frontend-*:* (ID:*) -> business/backend-*:8080 (ID:*) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)',
    ]);
    expect(lines.filter((l) => l.startsWith('economy/backend-')).every((l) => / EGRESS DENIED | Policy denied DROPPED /.test(l))).toBe(
      true,
    );
    expect(lines.filter((l) => l.startsWith('economy/backend-'))).toHaveLength(4);
  });

  it('prints the same bytes on every run of the same seed', () => {
    expect(runScenario('zero-trust-tenants').transcript).toBe(run.transcript);
  });
});
