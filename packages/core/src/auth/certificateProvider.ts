import type { ParsedCertificate } from '../spire/x509.ts';

/**
 * What the auth manager needs from SPIRE: the SVIDs the node's SPIRE agent delivered through
 * the delegated identity API, and a way to check a peer's certificate against the bundle.
 * Every question is asked on behalf of one node, because each node's agent has its own
 * configuration (trust domain), its own SVIDs and its own clock.
 */
export interface Svid {
  readonly spiffeId: string;
  readonly certificate: ParsedCertificate;
  readonly notAfterMs: number;
}

export type Verification = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface CertificateProvider {
  /** The node agent's `mesh-auth-spiffe-trust-domain`. */
  trustDomain(nodeName: string): string;
  /** The SVID of `spiffe://<td>/identity/<identity>` held by the node's agent, if any. */
  svidFor(nodeName: string, identity: number): Svid | undefined;
  /**
   * Verifies, as `verifierNode` does, that `svid` chains to the trust bundle it holds, is valid
   * at that node's current time and names `expectedId`.
   */
  verify(verifierNode: string, svid: Svid, expectedId: string): Verification;
}
