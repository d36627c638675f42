import type { CertificateProvider, Svid, Verification } from '../auth/certificateProvider.ts';
import type { Clock } from '../sim/clock.ts';
import { NS_PER_MS } from '../sim/duration.ts';
import type { SpireServer } from '../spire/server.ts';
import { verifySvidChain, type SigningAuthority } from '../spire/svid.ts';
import type { ParsedCertificate } from '../spire/x509.ts';
import type { Agents } from './agents.ts';

/**
 * What the auth managers ask of SPIRE, answered per node as each agent sees it: the SVIDs its
 * delegated-identity client holds, its trust domain and its clock (both faultable), and the trust
 * bundle the agents last received, which outlives a SPIRE server outage.
 */
export class AgentCertificates implements CertificateProvider {
  readonly #server: SpireServer;
  readonly #agents: Agents;
  readonly #clock: Clock;
  /** The CAs rather than their certificates, which are encoded on the first handshake. */
  #bundle: readonly SigningAuthority[];

  constructor(server: SpireServer, agents: Agents, clock: Clock) {
    this.#server = server;
    this.#agents = agents;
    this.#clock = clock;
    // The agents receive the bundle when they start (SubscribeToX509Bundles) and keep it.
    this.#bundle = server.bundleAuthorities();
  }

  trustDomain(nodeName: string): string {
    return this.#agents.get(nodeName)?.faults.trustDomain ?? this.#server.trustDomain;
  }

  svidFor(nodeName: string, identity: number): Svid | undefined {
    const svid = this.#agents.get(nodeName)?.delegate?.svid(`spiffe://${this.trustDomain(nodeName)}/identity/${identity}`);
    return svid === undefined ? undefined : { spiffeId: svid.spiffeId, certificate: svid.certificate, notAfterMs: svid.expiresAtMs };
  }

  verify(verifierNode: string, svid: Svid, expectedId: string): Verification {
    const v = verifySvidChain(svid.certificate, this.#currentBundle(), this.nodeNowMs(verifierNode), expectedId);
    return v.ok ? { ok: true } : { ok: false, reason: v.reason };
  }

  /** The node's wall clock, epoch ms: the cluster's, plus any injected skew. */
  nodeNowMs(nodeName: string): number {
    return this.#clock.epochMs() + Math.floor((this.#agents.get(nodeName)?.faults.clockSkewNs ?? 0) / NS_PER_MS);
  }

  #currentBundle(): readonly ParsedCertificate[] {
    if (this.#server.healthy) this.#bundle = this.#server.bundleAuthorities();
    return this.#bundle.map((a) => a.certificate);
  }
}
