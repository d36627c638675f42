import type { TlsContext } from '../policy/types.ts';

/**
 * AccuKnox's SPIFFE TLS upgrade (their 2021 Cilium fork, the sock-shop lab), behind the
 * `spiffeTlsUpgrade` extension: `originatingTLS` / `terminatingTLS` with `spiffe.peerIDs` and
 * `dstPort`. The client's egress proxy takes the app's plain HTTP, opens TLS to the peer on
 * `dstPort` with the client pod's SVID and accepts the server only if its SVID names one of the
 * peer IDs; the server's ingress proxy terminates TLS, accepts the client only if its SVID names
 * one of its peer IDs, and hands plain HTTP to the app on its own `dstPort`.
 *
 * This module decides; the proxy moves the packets. Upstream Cilium has no such fields.
 */
export type SpiffeTlsContext = TlsContext;

/** Whether a TLS context uses the fork's fields, so the SPIFFE upgrade (not upstream TLS) applies. */
export function isSpiffeTls(ctx: TlsContext | undefined): ctx is SpiffeTlsContext {
  return ctx !== undefined && (ctx.spiffePeerIds !== undefined || ctx.dstPort !== undefined);
}

/** The SVID a proxy presents or checks: its SPIFFE ID and whether it verifies right now. */
export interface PeerSvid {
  readonly spiffeId: string;
  /** Chains to the trust bundle and is inside its validity at the proxy's time. */
  readonly valid: boolean;
}

export type TlsUpgradeVerdict =
  | { readonly ok: true; readonly port: number; readonly peerId: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The client side: may the egress proxy of a client holding `own` originate TLS to `server`?
 * Cases, in order: the client pod has no SVID; the server presents none; the server's SVID does
 * not verify; its SPIFFE ID is not among `ctx.spiffePeerIds`. Without `dstPort` the original
 * port is kept.
 */
export function originateTls(
  ctx: SpiffeTlsContext,
  originalPort: number,
  own: PeerSvid | undefined,
  server: PeerSvid | undefined,
): TlsUpgradeVerdict {
  if (own === undefined) return { ok: false, reason: 'no SVID issued to the client workload' };
  if (server === undefined) return { ok: false, reason: 'TLS error: peer did not return a certificate' };
  return check(ctx, ctx.dstPort ?? originalPort, server, 'server');
}

/**
 * The server side: may the ingress proxy of a server holding `own` accept TLS from `client`?
 * Same cases, with the roles swapped.
 */
export function terminateTls(
  ctx: SpiffeTlsContext,
  originalPort: number,
  own: PeerSvid | undefined,
  client: PeerSvid | undefined,
): TlsUpgradeVerdict {
  if (own === undefined) return { ok: false, reason: 'no SVID issued to the server workload' };
  if (client === undefined) return { ok: false, reason: 'TLS error: peer did not return a certificate' };
  return check(ctx, ctx.dstPort ?? originalPort, client, 'client');
}

function check(ctx: SpiffeTlsContext, port: number, peer: PeerSvid, role: 'client' | 'server'): TlsUpgradeVerdict {
  if (!peer.valid) return { ok: false, reason: `TLS error: ${role} certificate verify failed` };
  const allowed = ctx.spiffePeerIds ?? [];
  if (allowed.length > 0 && !allowed.includes(peer.spiffeId)) {
    return { ok: false, reason: `TLS error: ${role} SPIFFE ID ${peer.spiffeId} is not one of ${allowed.join(', ')}` };
  }
  return { ok: true, port, peerId: peer.spiffeId };
}
