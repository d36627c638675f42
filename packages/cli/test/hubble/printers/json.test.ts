import { describe, expect, it } from 'vitest';
import { hubble } from '@cilium-sim/core';
import { jsonLine } from '../../../src/hubble/printers/json.ts';
import * as fx from '../../../../core/test/hubble/flowFixtures.ts';

const { normalizeFlow } = hubble;

describe('jsonpb flow output', () => {
  it('prints one GetFlowsResponse per line with proto field names in proto order', () => {
    expect(jsonLine(normalizeFlow(fx.authAllowedVerdict))).toBe(
      '{"flow":{"time":"2024-07-04T17:58:29.810Z","uuid":"a3","verdict":"FORWARDED","auth_type":"SPIRE",' +
        '"IP":{"source":"10.244.1.5","destination":"10.244.2.7","ipVersion":"IPv4"},' +
        '"l4":{"TCP":{"source_port":54312,"destination_port":3000,"flags":{"SYN":true}}},' +
        '"source":{"ID":301,"identity":39239,"namespace":"default","labels":["k8s:app=pod-worker","k8s:io.kubernetes.pod.namespace=default"],"pod_name":"pod-worker"},' +
        '"destination":{"ID":1234,"identity":17947,"namespace":"default","labels":["k8s:app=echo","k8s:io.kubernetes.pod.namespace=default"],"pod_name":"echo-7f9d6b7c5-abcde"},' +
        '"Type":"L3_L4","node_name":"kind-worker2","event_type":{"type":5},"traffic_direction":"INGRESS","policy_match_type":2,' +
        '"is_reply":false,"Summary":"TCP Flags: SYN",' +
        '"ingress_allowed_by":[{"name":"mutual-auth-echo","namespace":"default","labels":["k8s:io.cilium.k8s.policy.name=mutual-auth-echo"],"revision":"7","kind":"CiliumNetworkPolicy"}]},' +
        '"node_name":"kind-worker2","time":"2024-07-04T17:58:29.810Z"}\n',
    );
  });

  it('carries the drop reason as number and name, and omits is_reply on drops', () => {
    const flow = JSON.parse(jsonLine(normalizeFlow(fx.authRequiredDrop))).flow;
    expect(flow).toMatchObject({
      verdict: 'DROPPED',
      drop_reason: 189,
      drop_reason_desc: 'AUTH_REQUIRED',
      event_type: { type: 1, sub_type: 189 },
    });
    expect(flow).not.toHaveProperty('is_reply');
    expect(flow).not.toHaveProperty('auth_type');
  });

  it('prints L7 records with 64-bit latency as a string and the deprecated reply flag', () => {
    const out = jsonLine(normalizeFlow(fx.httpResponse403));
    expect(out).toContain(
      '"l7":{"type":"RESPONSE","latency_ns":"350000","http":{"code":403,"method":"PUT","url":"http://deathstar.default.svc.cluster.local/v1/exhaust-port","protocol":"HTTP/1.1"}}',
    );
    expect(out).toContain('"reply":true');
    expect(out).toContain('"is_reply":true');
  });

  it('escapes & < > as Go encoding/json does', () => {
    expect(jsonLine(normalizeFlow(fx.httpResponse200))).toContain('"url":"http://echo:3000/headers?a=1\\u0026b=2"');
  });

  it('prints DNS fields with their proto names', () => {
    const dns = JSON.parse(jsonLine(normalizeFlow(fx.dnsAnswer))).flow.l7.dns;
    expect(Object.keys(dns)).toEqual(['query', 'ips', 'ttl', 'observation_source', 'qtypes', 'rrtypes']);
  });
});
