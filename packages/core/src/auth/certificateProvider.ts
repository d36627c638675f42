import type { ParsedCertificate } from '../spire/x509.ts';

/**
 * What the auth manager needs from SPIRE: the SVIDs the node's SPIRE agent delivered through
 * the delegated identity API, and a way to check a peer's certificate against the bundle.
 */
export interface Svid {
  readonly spiffeId: string;
  readonly certificate: ParsedCertificate;
  readonly notAfterMs: number;
}

export interface CertificateProvider {
  readonly trustDomain: string;
  /** The SVID of `spiffe://<td>/identity/<identity>` held by the node's agent, if any. */
  svidFor(nodeName: string, identity: number): Svid | undefined;
  /** Verifies `svid` chains to the trust bundle, is valid at `atMs` and names `expectedId`. */
  verify(svid: Svid, atMs: number, expectedId: string): { ok: true } | { ok: false; reason: string };
}
