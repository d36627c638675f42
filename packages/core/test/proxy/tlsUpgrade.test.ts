import { describe, expect, it } from 'vitest';
import { originateTls, terminateTls, type SpiffeTlsContext } from '../../src/proxy/tlsUpgrade.ts';

const CARTS = 'spiffe://example.org/carts';
const FRONT_END = 'spiffe://example.org/front-end';
const originate: SpiffeTlsContext = { spiffePeerIds: [CARTS], dstPort: 443 };
const terminate: SpiffeTlsContext = { spiffePeerIds: [FRONT_END], dstPort: 80 };
const svid = (spiffeId: string, valid = true) => ({ spiffeId, valid });

describe('the SPIFFE TLS upgrade (spiffeTlsUpgrade extension)', () => {
  it('originates TLS to dstPort when the server presents an allowed SPIFFE ID, and terminates to the app port', () => {
    expect(originateTls(originate, 80, svid(FRONT_END), svid(CARTS))).toEqual({ ok: true, port: 443, peerId: CARTS });
    expect(terminateTls(terminate, 443, svid(CARTS), svid(FRONT_END))).toEqual({ ok: true, port: 80, peerId: FRONT_END });
  });

  it('refuses a peer ID not in the list, on either side', () => {
    expect(originateTls(originate, 80, svid(FRONT_END), svid('spiffe://example.org/orders'))).toEqual({
      ok: false,
      reason: `TLS error: server SPIFFE ID spiffe://example.org/orders is not one of ${CARTS}`,
    });
    expect(terminateTls(terminate, 443, svid(CARTS), svid('spiffe://example.org/catalogue'))).toMatchObject({ ok: false });
  });

  it('refuses a missing or unverifiable certificate and keeps the port without dstPort', () => {
    expect(originateTls(originate, 80, undefined, svid(CARTS))).toEqual({ ok: false, reason: 'no SVID issued to the client workload' });
    expect(terminateTls(terminate, 443, svid(CARTS), undefined)).toMatchObject({ ok: false });
    expect(originateTls(originate, 80, svid(FRONT_END), svid(CARTS, false))).toEqual({
      ok: false,
      reason: 'TLS error: server certificate verify failed',
    });
    expect(originateTls({ spiffePeerIds: [CARTS] }, 8443, svid(FRONT_END), svid(CARTS))).toEqual({ ok: true, port: 8443, peerId: CARTS });
  });
});
