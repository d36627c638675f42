import { describe, expect, it } from 'vitest';
import { formatEndpointList } from '../../../src/cilium/printers/endpointList.ts';
import type { EndpointListEntry } from '../../../src/cilium/printers/endpointList.ts';

// Lines end with spaces because cilium-dbg terminates every cell (STATUS too) with a tab; the
// snapshots below keep them, so they are compared as arrays of lines with the ends marked.
const marked = (text: string): string[] => text.split('\n').map((l) => `${l}|`);

const deathstar: EndpointListEntry = {
  id: 1590,
  policyIngress: 'Enabled',
  policyEgress: 'Disabled',
  identity: 16530,
  labels: [
    'k8s:org=empire',
    'k8s:class=deathstar',
    'k8s:io.cilium.k8s.policy.cluster=default',
    'k8s:io.cilium.k8s.policy.serviceaccount=default',
    'k8s:io.kubernetes.pod.namespace=default',
  ],
  addressing: { ipv6: '', ipv4: '10.244.2.7' },
  state: 'ready',
};
const host: EndpointListEntry = {
  id: 108,
  policyIngress: 'Disabled',
  policyEgress: 'Disabled',
  identity: 1,
  labels: ['reserved:host'],
  addressing: { ipv6: '', ipv4: '' },
  state: 'ready',
};
const fresh: EndpointListEntry = {
  id: 2000,
  policyIngress: 'Unknown',
  policyEgress: 'Unknown',
  identity: undefined,
  labels: [],
  addressing: undefined,
  state: 'waiting-for-identity',
};

describe('formatEndpointList (cilium-dbg endpoint list)', () => {
  it('prints the two header lines, rows sorted by id and labels on continuation lines', () => {
    expect(marked(formatEndpointList([deathstar, host]))).toMatchInlineSnapshot(`
      [
        "ENDPOINT   POLICY (ingress)   POLICY (egress)   IDENTITY   LABELS (source:key[=value])                       IPv6   IPv4         STATUS   |",
        "           ENFORCEMENT        ENFORCEMENT                                                                                        |",
        "108        Disabled           Disabled          1          reserved:host                                                         ready   |",
        "1590       Enabled            Disabled          16530      k8s:class=deathstar                                      10.244.2.7   ready   |",
        "                                                           k8s:io.cilium.k8s.policy.cluster=default                                      |",
        "                                                           k8s:io.cilium.k8s.policy.serviceaccount=default                               |",
        "                                                           k8s:io.kubernetes.pod.namespace=default                                       |",
        "                                                           k8s:org=empire                                                                |",
        "|",
      ]
    `);
  });

  it('prints placeholders for an endpoint without identity, labels or address', () => {
    expect(marked(formatEndpointList([fresh], { noHeaders: true }))).toMatchInlineSnapshot(`
      [
        "2000   Unknown   Unknown   <no label id>   no labels   No address   No address   waiting-for-identity   |",
        "|",
      ]
    `);
  });
});
