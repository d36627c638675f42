import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenarioRunner.ts';
import { podNamesMasked, transcriptSteps, untimed, type Step } from './l7Transcript.ts';

// The zero-trust tenants post replayed by the bundled walkthrough from its first command to its
// last: the namespaces made with `kubectl create ns`, the post's tenant-services.yaml fetched by
// its URL into each tenant, its two base policies applied per tenant, then the one exception.
// Every step's output is checked against what the post (and the README) promises.
const run = runScenario('zero-trust-tenants');
const steps = transcriptSteps(run.transcript);

function step(prefix: string, nth = 0): Step {
  const found = steps.filter((s) => s.command.startsWith(prefix))[nth];
  if (found === undefined) throw new Error(`no step ${nth} starting with: ${prefix}`);
  return found;
}

const CURL_CODE = 'kubectl exec -n economy frontend-service -- curl -s -o /dev/null -w "%{http_code}"';
const TENANT_SERVICES = 'https://raw.githubusercontent.com/seanmwinn/cilium-hands-on-lab/master/tenant-services.yaml';

describe('the zero-trust tenants post', () => {
  it('runs every command of the script', () => {
    expect(run.ok).toBe(true);
    expect(steps).toHaveLength(run.scenario.script.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length);
    expect(steps[0]!.command).toBe('kubectl create ns economy');
  });

  it('creates the three tenants and the same two services in each, from the post URL', () => {
    expect(['economy', 'business', 'first'].map((ns) => step(`kubectl create ns ${ns}`).output)).toEqual([
      'namespace/economy created\n',
      'namespace/business created\n',
      'namespace/first created\n',
    ]);
    for (const ns of ['economy', 'business', 'first']) {
      expect(step(`kubectl create -f ${TENANT_SERVICES} -n ${ns}`).output).toBe(
        'service/frontend-service created\npod/frontend-service created\nservice/backend-service created\npod/backend-service created\n',
      );
    }
    expect(step('kubectl wait --for=condition=Ready pod --all -n economy').output).toBe(
      'pod/backend-service condition met\npod/frontend-service condition met\n',
    );
    const services = step('kubectl get svc -n economy').output.split('\n');
    expect(services[1]).toMatch(/^backend-service {4}ClusterIP {3}10\.\d+\.\d+\.\d+ +<none> +80\/TCP +0s$/);
    expect(services[2]).toMatch(/^frontend-service {3}NodePort {4}10\.\d+\.\d+\.\d+ +<none> +80:3\d{4}\/TCP +0s$/);
  });

  it("starts open: economy reaches first's backend-service and its own", () => {
    expect(step(`${CURL_CODE} http://backend-service.first`).output).toBe('200\n');
    expect(step(`${CURL_CODE} http://backend-service/`, 0).output).toBe('200\n');
  });

  it("applies the post's two base policies to every tenant", () => {
    for (const ns of ['economy', 'business', 'first']) {
      expect(step(`kubectl apply -n ${ns} -f manifests/allow-all-within-ns.yaml`).output).toBe(
        'ciliumnetworkpolicy.cilium.io/allow-all-within-ns-policy created\n',
      );
      expect(step(`kubectl apply -n ${ns} -f manifests/to-dns-only.yaml`).output).toBe(
        'ciliumnetworkpolicy.cilium.io/to-dns-only created\n',
      );
    }
    expect(
      step('kubectl get cnp -A')
        .output.split('\n')
        .slice(1, 7)
        .map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
    ).toEqual([
      'business allow-all-within-ns-policy',
      'business to-dns-only',
      'economy allow-all-within-ns-policy',
      'economy to-dns-only',
      'first allow-all-within-ns-policy',
      'first to-dns-only',
    ]);
  });

  it('keeps traffic and DNS inside a tenant working', () => {
    expect(step(`${CURL_CODE} http://backend-service/`, 1).output).toBe('200\n');
    expect(step('kubectl exec -n economy frontend-service -- nslookup').output).toMatch(
      /^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10#53\n\nName:\tbackend-service\.business\.svc\.cluster\.local\nAddress: 10\.\d+\.\d+\.\d+\n\n$/,
    );
  });

  it('times out across tenants, dropped on egress with Policy denied', () => {
    const timeout = 'kubectl exec -n economy frontend-service -- curl -s --connect-timeout 2';
    expect(step(`${timeout} http://backend-service.first`, 0).output).toBe('command terminated with exit code 28\n');
    expect(step(`${timeout} http://backend-service.business`, 0).output).toBe('command terminated with exit code 28\n');
    expect(untimed(step('hubble observe -n economy --type drop').output).map(podNamesMasked)).toEqual([
      'economy/frontend-service:* (ID:*) <> first/backend-service:80 (ID:*) Policy denied DROPPED (TCP Flags: SYN)',
      'economy/frontend-service:* (ID:*) <> first/backend-service:80 (ID:*) Policy denied DROPPED (TCP Flags: SYN)',
      'economy/frontend-service:* (ID:*) <> business/backend-service:80 (ID:*) Policy denied DROPPED (TCP Flags: SYN)',
      'economy/frontend-service:* (ID:*) <> business/backend-service:80 (ID:*) Policy denied DROPPED (TCP Flags: SYN)',
    ]);
  });

  it('shows the lookups the DNS proxy saw, search-path forms included', () => {
    const lines = untimed(step('hubble observe -n economy --protocol dns').output).map(podNamesMasked);
    expect(lines).toHaveLength(20);
    for (const [i, l] of lines.entries()) {
      expect(l).toMatch(
        i % 2 === 0
          ? /^economy\/frontend-service:\* \(ID:\*\) -> kube-system\/coredns-\*:53 \(ID:\*\) dns-request proxy FORWARDED \(DNS Query [a-z.-]+\. A\)$/
          : /^economy\/frontend-service:\* \(ID:\*\) <- kube-system\/coredns-\*:53 \(ID:\*\) dns-response proxy FORWARDED \(DNS Answer (RCode: Non-Existent Domain TTL: 0|"10\.\d+\.\d+\.\d+" TTL: 5) \(Proxy [a-z.-]+\. A\)\)$/,
      );
    }
    expect(lines.at(-2)).toMatch(/DNS Query backend-service\.business\.svc\.cluster\.local\. A\)$/);
    expect(lines.at(-4)).toMatch(/DNS Query backend-service\.business\.svc\.cluster\.local\.cluster\.local\. A\)$/);
  });

  it('opens exactly economy/frontend-service -> business/backend-service on 80 with the exception', () => {
    expect(step('kubectl apply -f manifests/economy-to-business.yaml').output).toBe(
      'ciliumnetworkpolicy.cilium.io/allow-frontend-to-business-backend created\nciliumnetworkpolicy.cilium.io/allow-economy-frontend created\n',
    );
    expect(step('kubectl describe cnp allow-frontend-to-business-backend').output).toContain(
      [
        'Spec:',
        '  Egress:',
        '    To Endpoints:',
        '      Match Labels:',
        '        any:app:                          backend-service',
        '        k8s:io.kubernetes.pod.namespace:  business',
        '    To Ports:',
        '      Ports:',
        '        Port:      80',
        '        Protocol:  TCP',
        '  Endpoint Selector:',
        '    Match Labels:',
        '      any:app:  frontend-service',
      ].join('\n'),
    );
    expect(step(`${CURL_CODE} http://backend-service.business`).output).toBe('200\n');
    expect(step('kubectl exec -n economy backend-service -- curl -s --connect-timeout 2 http://backend-service.business').output).toBe(
      'command terminated with exit code 28\n',
    );
    expect(step('kubectl exec -n economy frontend-service -- curl -s --connect-timeout 2 http://backend-service.first', 1).output).toBe(
      'command terminated with exit code 28\n',
    );
  });

  it('shows the allowed connection passing both policy checks', () => {
    const lines = untimed(step('hubble observe --from-namespace economy --to-namespace business').output).map(podNamesMasked);
    expect(lines.filter((l) => l.includes('ALLOWED'))).toEqual([
      'economy/frontend-service:* (ID:*) -> business/backend-service:80 (ID:*) policy-verdict:L3-L4 EGRESS ALLOWED (TCP Flags: SYN)',
      'economy/frontend-service:* (ID:*) -> business/backend-service:80 (ID:*) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN)',
    ]);
    const fromBackend = lines.filter((l) => l.startsWith('economy/backend-service:'));
    expect(fromBackend).toHaveLength(4);
    expect(fromBackend.every((l) => / EGRESS DENIED | Policy denied DROPPED /.test(l))).toBe(true);
  });

  it('prints the same bytes on every run of the same seed', () => {
    expect(runScenario('zero-trust-tenants').transcript).toBe(run.transcript);
  });
});
