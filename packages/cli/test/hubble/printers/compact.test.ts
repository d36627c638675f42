import { describe, expect, it } from 'vitest';
import { hubble, type Flow } from '@cilium-sim/core';
import { compactLine } from '../../../src/hubble/printers/compact.ts';
import { DEFAULT_PRINT_OPTIONS, type PrintOptions } from '../../../src/hubble/printers/printOptions.ts';
import * as fx from '../../../../core/test/hubble/flowFixtures.ts';

const { normalizeFlow } = hubble;

const line = (flow: Flow, opts: Partial<PrintOptions> = {}): string =>
  compactLine(normalizeFlow(flow), { ...DEFAULT_PRINT_OPTIONS, ...opts });

describe('compact flow line', () => {
  it('prints a denied policy verdict with <> and the auth type', () => {
    expect(line(fx.authDeniedVerdict)).toBe(
      'Jul  4 17:58:28.795: default/pod-worker:54312 (ID:39239) <> default/echo-7f9d6b7c5-abcde:3000 (ID:17947) policy-verdict:L3-L4 INGRESS DENIED (TCP Flags: SYN; Auth: SPIRE)\n',
    );
  });

  it('prints an authentication drop with <> and without the auth type', () => {
    expect(line(fx.authRequiredDrop)).toBe(
      'Jul  4 17:58:28.795: default/pod-worker:54312 (ID:39239) <> default/echo-7f9d6b7c5-abcde:3000 (ID:17947) Authentication required DROPPED (TCP Flags: SYN)\n',
    );
  });

  it('prints an allowed policy verdict with ->', () => {
    expect(line(fx.authAllowedVerdict)).toBe(
      'Jul  4 17:58:29.810: default/pod-worker:54312 (ID:39239) -> default/echo-7f9d6b7c5-abcde:3000 (ID:17947) policy-verdict:L3-L4 INGRESS ALLOWED (TCP Flags: SYN; Auth: SPIRE)\n',
    );
  });

  it('prints the Star Wars policy-denied pair', () => {
    expect(line(fx.xwingDeniedVerdict) + line(fx.xwingPolicyDrop)).toBe(
      'Jun 15 14:07:01.123: default/xwing:41702 (ID:22654) <> default/deathstar-6fb5694d48-5hmds:80 (ID:16530) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)\n' +
        'Jun 15 14:07:01.123: default/xwing:41702 (ID:22654) <> default/deathstar-6fb5694d48-5hmds:80 (ID:16530) Policy denied DROPPED (TCP Flags: SYN)\n',
    );
  });

  it('swaps source and destination of a reply and points the arrow back', () => {
    expect(line(fx.replyTrace)).toBe(
      'Jun 15 14:07:02.000: default/xwing:41702 (ID:22654) <- default/deathstar-6fb5694d48-5hmds:80 (ID:16530) to-endpoint FORWARDED (TCP Flags: SYN, ACK)\n',
    );
  });

  it('prints an L7-denied HTTP request and its 403 response', () => {
    expect(line(fx.httpRequestDenied) + line(fx.httpResponse403)).toBe(
      'Jun 15 14:08:00.500: default/xwing:41710 (ID:22654) -> default/deathstar-6fb5694d48-5hmds:80 (ID:16530) http-request DROPPED (HTTP/1.1 PUT http://deathstar.default.svc.cluster.local/v1/exhaust-port)\n' +
        'Jun 15 14:08:00.501: default/xwing:41710 (ID:22654) <- default/deathstar-6fb5694d48-5hmds:80 (ID:16530) http-response FORWARDED (HTTP/1.1 403 0ms (PUT http://deathstar.default.svc.cluster.local/v1/exhaust-port))\n',
    );
  });

  it('prints the response latency in whole milliseconds', () => {
    expect(line(fx.httpResponse200)).toContain('http-response FORWARDED (HTTP/1.1 200 3ms (GET http://echo:3000/headers?a=1&b=2))');
  });

  it('prints DNS requests, answers and refusals of the DNS proxy', () => {
    expect(line(fx.dnsRequest) + line(fx.dnsAnswer) + line(fx.dnsRefused)).toBe(
      'Jun 15 14:09:00.000: default/xwing:43210 (ID:22654) -> kube-system/coredns-5d78c9869d-xk2lp:53 (ID:102) dns-request proxy FORWARDED (DNS Query api.github.com. A)\n' +
        'Jun 15 14:09:00.002: default/xwing:43210 (ID:22654) <- kube-system/coredns-5d78c9869d-xk2lp:53 (ID:102) dns-response proxy FORWARDED (DNS Answer "140.82.121.6" TTL: 30 (Proxy api.github.com. A))\n' +
        'Jun 15 14:09:01.000: default/xwing:43210 (ID:22654) <- kube-system/coredns-5d78c9869d-xk2lp:53 (ID:102) dns-response proxy DROPPED (DNS Answer RCode: Query Refused TTL: 0 (Proxy api.github.com. A))\n',
    );
  });

  it('names reserved identities and uses DNS names for addresses without a pod', () => {
    expect(line(fx.fromWorld)).toBe(
      'Jun 15 14:10:00.000: client.example.com:51000 (world) -> default/deathstar-6fb5694d48-5hmds:80 (ID:16530) to-endpoint FORWARDED (TCP Flags: SYN)\n',
    );
  });

  it('omits the port of ICMP flows and names the ICMP type', () => {
    expect(line(fx.pingWorld)).toBe(
      'Jun 15 14:11:00.000: default/xwing (ID:22654) -> 1.1.1.1 (world) to-stack FORWARDED (ICMPv4 EchoRequest)\n',
    );
  });

  it('prints addresses instead of names with --numeric', () => {
    expect(line(fx.xwingPolicyDrop, { ipTranslation: false })).toBe(
      'Jun 15 14:07:01.123: 10.244.1.20:41702 (ID:22654) <> 10.244.2.30:80 (ID:16530) Policy denied DROPPED (TCP Flags: SYN)\n',
    );
  });

  it('adds the node name after the timestamp with --print-node-name', () => {
    expect(line(fx.xwingPolicyDrop, { nodeName: true })).toMatch(/^Jun 15 14:07:01\.123 \[kind-worker\]: default\/xwing:41702 /);
  });

  it('names the allowing policy with --print-policy-names', () => {
    expect(line(fx.authAllowedVerdict, { policyNames: true })).toContain(
      'policy-verdict:L3-L4 INGRESS ALLOWED BY mutual-auth-echo (CiliumNetworkPolicy) (TCP Flags: SYN; Auth: SPIRE)',
    );
  });

  it('prints the time in another layout with --time-format', () => {
    expect(line(fx.authDeniedVerdict, { timeFormat: 'RFC3339Nano' })).toMatch(/^2024-07-04T17:58:28\.795123456Z: /);
  });
});
