import { describe, expect, it } from 'vitest';
import { compileFlowFilter } from '../../../src/hubble/filters/compileFilters.ts';
import type { FlowFilter } from '../../../src/hubble/filters/flowFilter.ts';
import type { Flow } from '../../../src/hubble/flow.ts';
import { normalizeFlow } from '../../../src/hubble/normalizeFlow.ts';
import * as fx from '../flowFixtures.ts';

const matches = (ff: FlowFilter, flow: Flow): boolean => compileFlowFilter(ff)(normalizeFlow(flow));

describe('pod filter', () => {
  it('matches a pod name prefix in namespace default when no namespace is given', () => {
    expect(matches({ destinationPod: ['deathstar'] }, fx.xwingPolicyDrop)).toBe(true);
    expect(matches({ destinationPod: ['kube-system/deathstar'] }, fx.xwingPolicyDrop)).toBe(false);
  });

  it('matches every pod of a namespace with `ns/`', () => {
    expect(matches({ destinationPod: ['kube-system/'] }, fx.dnsRequest)).toBe(true);
    expect(matches({ destinationPod: ['kube-system/'] }, fx.xwingPolicyDrop)).toBe(false);
  });

  it('never matches an endpoint without namespace and pod', () => {
    expect(matches({ sourcePod: ['/'] }, fx.fromWorld)).toBe(false);
  });

  it('rejects an empty value', () => {
    expect(() => compileFlowFilter({ sourcePod: [''] })).toThrow(expect.objectContaining({ code: 'INVALID_FIELD', path: 'sourcePod[0]' }));
  });
});

describe('label filter', () => {
  it('matches labels of any source when the selector has no prefix', () => {
    expect(matches({ sourceLabel: ['org=alliance'] }, fx.xwingPolicyDrop)).toBe(true);
  });

  it('matches only the given source with a prefix', () => {
    expect(matches({ sourceLabel: ['k8s:org=alliance'] }, fx.xwingPolicyDrop)).toBe(true);
    expect(matches({ sourceLabel: ['reserved:org=alliance'] }, fx.xwingPolicyDrop)).toBe(false);
    expect(matches({ sourceLabel: ['reserved:world'] }, fx.fromWorld)).toBe(true);
  });

  it('ANDs comma-separated requirements and supports !=, !key and in', () => {
    expect(matches({ destinationLabel: ['org=empire,class=deathstar'] }, fx.xwingPolicyDrop)).toBe(true);
    expect(matches({ destinationLabel: ['org=empire,class!=deathstar'] }, fx.xwingPolicyDrop)).toBe(false);
    expect(matches({ destinationLabel: ['!app'] }, fx.xwingPolicyDrop)).toBe(true);
    expect(matches({ destinationLabel: ['class in (tiefighter,deathstar)'] }, fx.xwingPolicyDrop)).toBe(true);
    expect(matches({ destinationLabel: ['class notin (deathstar)'] }, fx.xwingPolicyDrop)).toBe(false);
  });

  it('rejects a selector it cannot parse', () => {
    expect(() => compileFlowFilter({ sourceLabel: ['a=b=c d'] })).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
  });
});

describe('other dimensions', () => {
  it('matches IPs exactly or by CIDR', () => {
    expect(matches({ sourceIp: ['10.244.1.20'] }, fx.xwingPolicyDrop)).toBe(true);
    expect(matches({ sourceIp: ['10.244.0.0/16'] }, fx.xwingPolicyDrop)).toBe(true);
    expect(matches({ sourceIp: ['10.245.0.0/16'] }, fx.xwingPolicyDrop)).toBe(false);
    expect(() => compileFlowFilter({ sourceIp: ['10.0.0.0/40'] })).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
  });

  it('matches ports of TCP and UDP but never of ICMP', () => {
    expect(matches({ destinationPort: ['53'] }, fx.dnsRequest)).toBe(true);
    expect(matches({ destinationPort: ['0'] }, fx.pingWorld)).toBe(false);
    expect(() => compileFlowFilter({ destinationPort: ['http'] })).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
  });

  it('matches L4 and L7 protocols', () => {
    expect(matches({ protocol: ['UDP'] }, fx.dnsRequest)).toBe(true);
    expect(matches({ protocol: ['dns'] }, fx.dnsRequest)).toBe(true);
    expect(matches({ protocol: ['http'] }, fx.dnsRequest)).toBe(false);
    expect(matches({ protocol: ['icmp'] }, fx.pingWorld)).toBe(true);
    expect(() => compileFlowFilter({ protocol: ['quic'] })).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
  });

  it('matches HTTP status codes and prefixes on responses only', () => {
    expect(matches({ httpStatusCode: ['403'] }, fx.httpResponse403)).toBe(true);
    expect(matches({ httpStatusCode: ['4+'] }, fx.httpResponse403)).toBe(true);
    expect(matches({ httpStatusCode: ['5+'] }, fx.httpResponse403)).toBe(false);
    expect(matches({ httpStatusCode: ['4+'] }, fx.httpRequestDenied)).toBe(false);
  });

  it('matches HTTP methods case-insensitively and paths by regular expression', () => {
    expect(matches({ httpMethod: ['put'] }, fx.httpRequestDenied)).toBe(true);
    expect(matches({ httpPath: ['^/v1/exhaust'] }, fx.httpRequestDenied)).toBe(true);
    expect(matches({ httpPath: ['^/v2/'] }, fx.httpRequestDenied)).toBe(false);
    expect(matches({ httpUrl: ['deathstar\\.default'] }, fx.httpRequestDenied)).toBe(true);
  });

  it('matches FQDN patterns with wildcards against the names of an address', () => {
    expect(matches({ sourceFqdn: ['*.example.com'] }, fx.fromWorld)).toBe(true);
    expect(matches({ sourceFqdn: ['client.example.com.'] }, fx.fromWorld)).toBe(true);
    expect(matches({ sourceFqdn: ['*.github.com'] }, fx.fromWorld)).toBe(false);
  });

  it('matches event types, with the sub-type only when given', () => {
    expect(matches({ eventType: [{ type: 4 }] }, fx.pingWorld)).toBe(true);
    expect(matches({ eventType: [{ type: 4, subType: 0 }] }, fx.fromWorld)).toBe(true);
    expect(matches({ eventType: [{ type: 4, subType: 0 }] }, fx.pingWorld)).toBe(false);
  });

  it('matches verdicts, drop reasons, identities and traffic directions', () => {
    expect(matches({ verdict: ['DROPPED'], dropReasonDesc: ['AUTH_REQUIRED'] }, fx.authRequiredDrop)).toBe(true);
    expect(matches({ dropReasonDesc: ['POLICY_DENIED'] }, fx.authRequiredDrop)).toBe(false);
    expect(matches({ destinationIdentity: [16530], trafficDirection: ['INGRESS'] }, fx.xwingPolicyDrop)).toBe(true);
    expect(() => compileFlowFilter({ dropReasonDesc: ['NOPE'] })).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
  });

  it('matches a flow that has every flag of a TCP flag set', () => {
    expect(matches({ tcpFlags: [{ SYN: true }] }, fx.replyTrace)).toBe(true);
    expect(matches({ tcpFlags: [{ SYN: true, ACK: true }] }, fx.replyTrace)).toBe(true);
    expect(matches({ tcpFlags: [{ SYN: true, ACK: true }] }, fx.xwingPolicyDrop)).toBe(false);
  });

  it('matches node names with wildcards, workloads and the reply direction', () => {
    expect(matches({ nodeName: ['kind-*2'] }, fx.authDeniedVerdict)).toBe(true);
    expect(matches({ nodeName: ['default/kind-worker'] }, fx.authDeniedVerdict)).toBe(false);
    expect(matches({ destinationWorkload: [{ kind: 'Deployment', name: 'deathstar' }] }, fx.xwingPolicyDrop)).toBe(true);
    expect(matches({ reply: [true] }, fx.replyTrace)).toBe(true);
    expect(matches({ reply: [false] }, fx.replyTrace)).toBe(false);
  });
});
