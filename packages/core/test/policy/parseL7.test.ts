import { describe, expect, it } from 'vitest';
import { parsePolicy, validatePolicyObject } from '../../src/policy/parsePolicy.ts';

// The TLS contexts of toPorts, with AccuKnox's fork fields (spiffeTlsUpgrade extension).
function cnp(tls: Record<string, unknown>): unknown {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'tls', namespace: 'default' },
    spec: {
      endpointSelector: {},
      egress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], originatingTLS: tls, rules: { http: [{}] } }] }],
    },
  };
}
const FORK = { extensions: ['spiffeTlsUpgrade'] };
const issues = (obj: unknown, opts = {}) => validatePolicyObject(obj, opts).map((i) => `${i.code} ${i.path}`);

describe('readTls', () => {
  it('reads spiffe.peerIDs and dstPort into the TLS context', () => {
    const p = parsePolicy(cnp({ spiffe: { peerIDs: ['spiffe://example.org/carts'] }, dstPort: 443 }));

    expect(p.rules[0]?.egress[0]?.portRules?.[0]?.l7?.originatingTLS).toEqual({
      spiffePeerIds: ['spiffe://example.org/carts'],
      dstPort: 443,
    });
    expect(issues(cnp({ spiffe: { peerIDs: ['spiffe://example.org/carts'] }, dstPort: '443' }), FORK)).toEqual([]);
  });

  it('reports the fork fields at admission without the extension, and bad values with it', () => {
    expect(issues(cnp({ dstPort: 443 }))).toEqual(['UNKNOWN_FIELD spec.egress[0].toPorts[0].originatingTLS.dstPort']);
    expect(issues(cnp({ secret: { name: 'ca' } }))).toEqual([]);
    expect(issues(cnp({ dstPort: 70000 }), FORK)).toEqual(['INVALID_PORT spec.egress[0].toPorts[0].originatingTLS.dstPort']);
    expect(issues(cnp({ spiffe: { peerIDs: ['carts'] } }), FORK)).toEqual([
      'INVALID_SPIFFE_ID spec.egress[0].toPorts[0].originatingTLS.spiffe.peerIDs[0]',
    ]);
  });
});

describe('readL7Rules', () => {
  it('reads an empty http or dns list as no L7 rules (a plain L4 allow), as Cilium picks no parser for it', () => {
    const port = (rules: unknown) =>
      parsePolicy({
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'empty-l7', namespace: 'default' },
        spec: { endpointSelector: {}, egress: [{ toEntities: ['world'], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules }] }] },
      }).rules[0]?.egress[0]?.portRules?.[0];

    expect(port({ http: [] })).toEqual({ ports: [{ protocol: 'TCP', port: 80 }] });
    expect(port({ dns: [] })).toEqual({ ports: [{ protocol: 'TCP', port: 80 }] });
    expect(port({ http: [{}] })?.l7).toEqual({ http: [{}] });
  });
});
