import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { runScript } from '../../src/shell/script.ts';
import { podNamesMasked, transcriptSteps, untimed } from './l7Transcript.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// Cilium's DNS-based policy getting started ("mediabot"), and its SNI variant, as CLI scripts.
const POD = `apiVersion: v1
kind: Pod
metadata: { name: mediabot, labels: { org: empire, class: mediabot, app: mediabot } }
spec: { containers: [{ name: mediabot, image: quay.io/cilium/json-mock:v1.3.8 }] }
`;

function policy(dns: string, fqdn: string): string {
  return `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: fqdn }
spec:
  endpointSelector:
    matchLabels: { org: empire, class: mediabot }
  egress:
  - toEndpoints:
    - matchLabels:
        "k8s:io.kubernetes.pod.namespace": kube-system
        "k8s:k8s-app": kube-dns
    toPorts:
    - ports: [{ port: "53", protocol: ANY }]
      rules:
        dns: [${dns}]
${fqdn}`;
}

const FILES = new Map([
  ['mediabot.yaml', POD],
  ['dns-matchname.yaml', policy('{ matchPattern: "*" }', '  - toFQDNs: [{ matchName: api.github.com }]\n')],
  ['dns-strict.yaml', policy('{ matchName: api.github.com }', '  - toFQDNs: [{ matchName: api.github.com }]\n')],
  [
    'dns-sni.yaml',
    policy(
      '{ matchPattern: "*" }',
      `  - toFQDNs: [{ matchName: amit.cilium.rocks }]
    toPorts:
    - ports: [{ port: "443", protocol: TCP }]
      serverNames: [amit.cilium.rocks]
`,
    ),
  ],
]);

function run(script: string): ReturnType<typeof transcriptSteps> {
  const sim = createSimulator({ seed: 1 }, nodeHostFiles(process.cwd()), FILES);
  const r = runScript(`kubectl apply -f mediabot.yaml\n${script}`, sim.session, { name: 'mediabot.sh' });
  expect(r.ok).toBe(true);
  return transcriptSteps(r.transcript).slice(1);
}

const CODE = `kubectl exec mediabot -- curl -s -o /dev/null -w '%{http_code}'`;

describe('the mediabot DNS-based policy lab', () => {
  it('reaches api.github.com only, and shows the DNS exchange', () => {
    const steps = run(`kubectl apply -f dns-matchname.yaml
${CODE} https://api.github.com
kubectl exec mediabot -- curl -s --connect-timeout 2 https://support.github.com
hubble observe --pod mediabot --protocol dns --last 2`);
    expect(steps[1]!.output).toBe('200\n');
    expect(steps[2]!.output).toBe('command terminated with exit code 28\n');
    expect(untimed(steps[3]!.output).map(podNamesMasked)).toEqual([
      'default/mediabot:* (ID:*) -> kube-system/coredns-*:53 (ID:*) dns-request proxy FORWARDED (DNS Query support.github.com. A)',
      'default/mediabot:* (ID:*) <- kube-system/coredns-*:53 (ID:*) dns-response proxy FORWARDED (DNS Answer "140.82.113.22" TTL: 30 (Proxy support.github.com. A))',
    ]);
  });

  it('refuses other names at the DNS proxy: nslookup prints REFUSED', () => {
    const steps = run(`kubectl apply -f dns-strict.yaml
kubectl exec mediabot -- nslookup google.com
hubble observe --pod mediabot --type l7 --last 2`);
    expect(steps[1]!.output).toBe(
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find google.com: REFUSED\n\ncommand terminated with exit code 1\n",
    );
    expect(untimed(steps[2]!.output).map(podNamesMasked)).toEqual([
      'default/mediabot:* (ID:*) -> kube-system/coredns-*:53 (ID:*) dns-request proxy DROPPED (DNS Query google.com. A)',
      'default/mediabot:* (ID:*) <- kube-system/coredns-*:53 (ID:*) dns-response proxy FORWARDED (DNS Answer RCode: Query Refused TTL: 0 (Proxy google.com. A))',
    ]);
  });

  it("forgets the IP when the answer's TTL runs out", () => {
    const steps = run(`kubectl apply -f dns-matchname.yaml
${CODE} https://api.github.com
sleep 31s
kubectl exec mediabot -- curl -s --connect-timeout 2 --resolve api.github.com:443:140.82.121.6 https://api.github.com
${CODE} https://api.github.com`);
    expect(steps[1]!.output).toBe('200\n');
    expect(steps[3]!.output).toBe('command terminated with exit code 28\n');
    expect(steps[4]!.output).toBe('200\n');
  });

  it('admits amit.cilium.rocks by name and SNI and drops google.com', () => {
    const steps = run(`kubectl apply -f dns-sni.yaml
${CODE} https://amit.cilium.rocks
kubectl exec mediabot -- curl -s --connect-timeout 2 https://google.com
kubectl exec mediabot -- curl -s --connect-timeout 2 --resolve www.cilium.io:443:104.198.14.52 https://www.cilium.io
hubble observe --pod mediabot --type drop --last 1`);
    expect(steps[1]!.output).toBe('200\n');
    expect(steps[2]!.output).toBe('command terminated with exit code 28\n');
    expect(steps[3]!.output).toBe('command terminated with exit code 35\n');
    expect(untimed(steps[4]!.output).map(podNamesMasked)).toEqual([
      // Hubble names an outside IP by what the FQDN cache learned for it: amit.cilium.rocks shares this address.
      'default/mediabot:* (ID:*) <> amit.cilium.rocks:443 (ID:*) Policy denied DROPPED (TCP Flags: ACK, PSH)',
    ]);
  });
});
