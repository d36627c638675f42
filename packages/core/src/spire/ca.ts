import { bytesToHex } from '@noble/hashes/utils.js';
import type { Clock } from '../sim/clock.ts';
import { NS_PER_H, NS_PER_MS } from '../sim/duration.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { keyPairFromSeed, type KeyPair } from './keyPair.ts';
import { encodePem } from './pem.ts';
import { NOT_BEFORE_CUSHION_NS, secondsFloor, type SigningAuthority } from './svid.ts';
import { issueCertificate, keyIdentifier, serialFromBytes, type NameAttribute, type ParsedCertificate } from './x509.ts';

/** SPIRE's `DefaultX509CATTL` (server `ca_ttl`). */
export const DEFAULT_CA_TTL_NS = 24 * NS_PER_H;
/** Preparation is at half the CA lifetime, capped at 30 days; activation in the last 1/6, capped at 7 days. */
const PREPARE_CAP_NS = 30 * 24 * NS_PER_H;
const ACTIVATE_CAP_NS = 7 * 24 * NS_PER_H;

/** The subject Cilium's Helm chart configures (`ca_subject`): C=US, O=SPIRE, CN=Cilium SPIRE CA. */
export const CILIUM_CA_SUBJECT: readonly NameAttribute[] = [
  { type: 'C', value: 'US' },
  { type: 'O', value: 'SPIRE' },
  { type: 'CN', value: 'Cilium SPIRE CA' },
];

/** One X.509 CA of the trust domain: self-signed, able to sign SVIDs. */
export interface X509Authority extends SigningAuthority {
  /** Virtual time the CA was created; its rotation schedule counts from here. */
  readonly createdAtNs: number;
  readonly ttlNs: number;
}

export interface AuthorityOptions {
  readonly rng: Rng;
  readonly trustDomain: string;
  readonly nowMs: number;
  readonly ttlNs: number;
  readonly createdAtNs: number;
  readonly subject?: readonly NameAttribute[];
}

/**
 * Creates a self-signed CA certificate. Its subject gets a serialNumber attribute equal to the
 * certificate serial, so a rotated CA never shares a subject with its predecessor and chain
 * building cannot confuse them. It carries the trust domain's SPIFFE ID as URI SAN.
 */
export function createX509Authority(o: AuthorityOptions): X509Authority {
  // As for SVIDs (svid.ts), the random draws happen now and the key, the signature and the DER
  // bytes when first read: a command that opens no authenticated connection never needs them.
  const seed = o.rng.bytes(32);
  const serial = serialFromBytes(o.rng.bytes(16));
  const serialDecimal = BigInt(`0x${bytesToHex(serial)}`).toString(10);
  const subject = [...(o.subject ?? CILIUM_CA_SUBJECT), { type: 'serialNumber', value: serialDecimal } as const];
  const notAfterMs = secondsFloor(o.nowMs + Math.floor(o.ttlNs / NS_PER_MS));
  let keyPair: KeyPair | undefined;
  let subjectKeyId: Uint8Array | undefined;
  let certificate: ParsedCertificate | undefined;
  const key = (): KeyPair => (keyPair ??= keyPairFromSeed(seed));
  const keyId = (): Uint8Array => (subjectKeyId ??= keyIdentifier(key().publicKeySpki));
  const issue = (): ParsedCertificate =>
    issueCertificate(
      {
        serial,
        subject,
        issuer: subject,
        notBeforeMs: secondsFloor(o.nowMs - NOT_BEFORE_CUSHION_NS / NS_PER_MS),
        notAfterMs,
        publicKeySpki: key().publicKeySpki,
        isCa: true,
        keyUsage: ['keyCertSign', 'cRLSign'],
        extKeyUsage: [],
        uriSans: [`spiffe://${o.trustDomain}`],
        authorityKeyId: keyId(),
      },
      seed,
    );
  return {
    get certificate() {
      return (certificate ??= issue());
    },
    subject,
    get subjectKeyId() {
      return keyId();
    },
    notAfterMs,
    privateKey: Uint8Array.from(seed),
    createdAtNs: o.createdAtNs,
    ttlNs: o.ttlNs,
  };
}

export interface CaManagerOptions {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly trustDomain: string;
  readonly caTtlNs?: number;
}

export type CaEvent = { readonly type: 'prepared' | 'activated' | 'pruned'; readonly authority: X509Authority };

/**
 * The server's CA rotation, as SPIRE's CA manager does it:
 * - at 1/2 of the active CA's lifetime the next CA is prepared and joins the bundle, so every
 *   verifier trusts it before it signs anything;
 * - in the last 1/6 it becomes active and signs new SVIDs (the bundle holds old and new);
 * - when the old CA expires it leaves the bundle.
 * Timers are background events: rotation alone never keeps `runUntilIdle` running.
 */
export class CaManager {
  readonly #o: CaManagerOptions;
  readonly #ttlNs: number;
  #active: X509Authority;
  #prepared: X509Authority | undefined;
  #bundle: X509Authority[] = [];
  readonly #listeners = new Set<(e: CaEvent) => void>();

  constructor(o: CaManagerOptions) {
    this.#o = o;
    this.#ttlNs = o.caTtlNs ?? DEFAULT_CA_TTL_NS;
    this.#active = this.#create();
    this.#bundle.push(this.#active);
    this.#schedule(this.#active);
  }

  /** The CA that signs new SVIDs now. */
  get active(): X509Authority {
    return this.#active;
  }

  /** The next CA, between its preparation and its activation. */
  get prepared(): X509Authority | undefined {
    return this.#prepared;
  }

  /** Every CA verifiers must trust now, oldest first. */
  authorities(): readonly X509Authority[] {
    return [...this.#bundle];
  }

  /** PEM of every bundle CA, concatenated, as `spire-server bundle show` prints it. */
  bundlePem(): string {
    return this.#bundle.map((a) => encodePem('CERTIFICATE', a.certificate.der)).join('');
  }

  /** Calls `fn` after each rotation step; returns the unsubscribe function. */
  subscribe(fn: (e: CaEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #create(): X509Authority {
    const { clock, rng, trustDomain } = this.#o;
    return createX509Authority({ rng, trustDomain, nowMs: clock.epochMs(), ttlNs: this.#ttlNs, createdAtNs: clock.nowNs });
  }

  #schedule(ca: X509Authority): void {
    const { scheduler } = this.#o;
    const prepareAt = ca.createdAtNs + Math.min(Math.floor(ca.ttlNs / 2), PREPARE_CAP_NS);
    const activateAt = ca.createdAtNs + ca.ttlNs - Math.min(Math.floor(ca.ttlNs / 6), ACTIVATE_CAP_NS);
    scheduler.at(prepareAt, 'spire-ca-prepare', () => this.#prepare(), { background: true });
    scheduler.at(activateAt, 'spire-ca-activate', () => this.#activate(), { background: true });
    scheduler.at(ca.createdAtNs + ca.ttlNs, 'spire-ca-prune', () => this.#prune(ca), { background: true });
  }

  #prepare(): void {
    this.#prepared = this.#create();
    this.#bundle.push(this.#prepared);
    this.#emit({ type: 'prepared', authority: this.#prepared });
  }

  #activate(): void {
    const next = this.#prepared;
    if (next === undefined) return;
    this.#prepared = undefined;
    this.#active = next;
    this.#schedule(next);
    this.#emit({ type: 'activated', authority: next });
  }

  #prune(ca: X509Authority): void {
    this.#bundle = this.#bundle.filter((a) => a !== ca);
    this.#emit({ type: 'pruned', authority: ca });
  }

  #emit(e: CaEvent): void {
    for (const fn of [...this.#listeners]) fn(e);
  }
}
