import { describe, expect, it } from 'vitest';
import { DROP_REASONS, dropReasonByCode, dropReasonByDesc, dropReasonText } from '../../src/datapath/dropReason.ts';
import { normalizeFlow } from '../../src/hubble/normalizeFlow.ts';
import { flowSummary } from '../../src/hubble/summary.ts';
import * as fx from './flowFixtures.ts';

describe('drop reasons', () => {
  it('maps the policy and auth reasons both ways', () => {
    expect(dropReasonByCode(133)).toEqual({ code: 133, desc: 'POLICY_DENIED', text: 'Policy denied' });
    expect(dropReasonByCode(181)).toEqual({ code: 181, desc: 'POLICY_DENY', text: 'Policy denied by denylist' });
    expect(dropReasonByDesc('AUTH_REQUIRED')).toEqual({ code: 189, desc: 'AUTH_REQUIRED', text: 'Authentication required' });
    expect(dropReasonText(197)).toBe('No node ID found');
    expect(dropReasonText(158)).toBe('Service backend not found');
  });

  it('prints an unknown number with its extended error, as Cilium does', () => {
    expect(dropReasonText(250)).toBe('250, 0');
  });

  it('has one entry per number and per name', () => {
    expect(new Set(DROP_REASONS.map((r) => r.code)).size).toBe(DROP_REASONS.length);
    expect(new Set(DROP_REASONS.map((r) => r.desc)).size).toBe(DROP_REASONS.length);
  });
});

describe("Hubble's decoding rules", () => {
  it('fills the drop reason name, number and sub-type from whichever is given', () => {
    expect(normalizeFlow(fx.xwingPolicyDrop)).toMatchObject({
      drop_reason: 133,
      drop_reason_desc: 'POLICY_DENIED',
      event_type: { type: 1, sub_type: 133 },
    });
    expect(normalizeFlow(fx.authRequiredDrop)).toMatchObject({
      drop_reason: 189,
      drop_reason_desc: 'AUTH_REQUIRED',
      event_type: { type: 1, sub_type: 189 },
    });
  });

  it('knows the direction of allowed verdicts and not of denied ones', () => {
    expect(normalizeFlow(fx.authAllowedVerdict).is_reply).toBe(false);
    expect(normalizeFlow(fx.authDeniedVerdict).is_reply).toBeUndefined();
  });

  it('keeps the auth type only on policy-verdict events', () => {
    expect(normalizeFlow(fx.authDeniedVerdict).auth_type).toBe('SPIRE');
    expect(normalizeFlow(fx.authRequiredDrop).auth_type).toBeUndefined();
  });

  it('marks L7 responses as replies and sets the flow type', () => {
    expect(normalizeFlow(fx.httpResponse403)).toMatchObject({ is_reply: true, Type: 'L7' });
    expect(normalizeFlow(fx.httpRequestDenied)).toMatchObject({ is_reply: false, Type: 'L7' });
    expect(normalizeFlow(fx.xwingPolicyDrop).Type).toBe('L3_L4');
  });

  it('derives the trace sub-type from the observation point', () => {
    expect(normalizeFlow(fx.pingWorld).event_type).toEqual({ type: 4, sub_type: 3 });
  });
});

describe('flow summaries', () => {
  it('lists TCP flags in Hubble order and names UDP and ICMP', () => {
    const tcp = { ...fx.xwingPolicyDrop, l4: { TCP: { flags: { FIN: true, ACK: true, PSH: true } } } } as const;
    expect(flowSummary(tcp)).toBe('TCP Flags: ACK, FIN, PSH');
    expect(flowSummary({ ...fx.xwingPolicyDrop, l4: { UDP: { source_port: 1, destination_port: 2 } } })).toBe('UDP');
    expect(flowSummary({ ...fx.xwingPolicyDrop, l4: { ICMPv4: { type: 3, code: 3 } } })).toBe('ICMPv4 DestinationUnreachable(Port)');
    expect(flowSummary({ ...fx.xwingPolicyDrop, l4: { ICMPv6: { type: 128 } } })).toBe('ICMPv6 EchoRequest');
  });

  it('adds CNAMEs to DNS answers', () => {
    const flow = {
      ...fx.dnsAnswer,
      l7: {
        type: 'RESPONSE',
        dns: {
          query: 'www.example.com.',
          ips: ['1.2.3.4', '1.2.3.5'],
          cnames: ['edge.example.net.'],
          ttl: 60,
          observation_source: 'proxy',
          qtypes: ['A'],
        },
      },
    } as const;
    expect(flowSummary(flow)).toBe('DNS Answer "1.2.3.4,1.2.3.5" CNAMEs: "edge.example.net." TTL: 60 (Proxy www.example.com. A)');
  });
});
