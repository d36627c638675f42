import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Rng } from '../sim/rng.ts';
import { NS_PER_MS, NS_PER_S } from '../sim/duration.ts';
import { keyPairFromSeed, privateKeyPem, verifyEd25519, type KeyPair } from './keyPair.ts';
import { encodePem } from './pem.ts';
import { spiffeIdProblem } from './spiffeId.ts';
import { issueCertificate, serialFromBytes, type NameAttribute, type ParsedCertificate } from './x509.ts';

/** SPIRE's `DefaultX509SVIDTTL`. */
export const DEFAULT_X509_SVID_TTL_NS = 3600 * NS_PER_S;
/** SPIRE backdates NotBefore by 10 s (`NotBeforeCushion`) to tolerate clock skew. */
export const NOT_BEFORE_CUSHION_NS = 10 * NS_PER_S;

/**
 * The shortest X.509-SVID TTL a registration entry or server takes: an agent rotates an SVID
 * once half its lifetime has passed, and the lifetime starts NOT_BEFORE_CUSHION_NS back, so a
 * TTL at or under the cushion would be due for rotation the moment it is minted, again and again
 * on the same instant. Twice the cushion leaves at least five seconds between rotations.
 */
export const MIN_X509_SVID_TTL_NS = 2 * NOT_BEFORE_CUSHION_NS;

/** What signs: a CA certificate with its private key (see ca.ts). */
export interface SigningAuthority {
  readonly certificate: ParsedCertificate;
  readonly subject: readonly NameAttribute[];
  readonly subjectKeyId: Uint8Array;
  /** The CA certificate's NotAfter, epoch ms (whole seconds), known without encoding it. */
  readonly notAfterMs: number;
  /** The CA's Ed25519 private key (32 bytes). */
  readonly privateKey: Uint8Array;
}

/** An X.509 SVID: a leaf certificate naming one SPIFFE ID, and its private key. */
export interface X509Svid {
  readonly spiffeId: string;
  readonly certificate: ParsedCertificate;
  /** The SVID's Ed25519 private key (32 bytes). */
  readonly privateKey: Uint8Array;
  /** PKCS#8 PEM of the private key, as `x509 mint` prints it. */
  readonly privateKeyPem: string;
  readonly notBeforeMs: number;
  /** NotAfter of the certificate, epoch ms: after it the SVID no longer verifies. */
  readonly expiresAtMs: number;
  /** Decimal serial number. */
  readonly serial: string;
}

export interface MintOptions {
  readonly authority: SigningAuthority;
  readonly spiffeId: string;
  readonly nowMs: number;
  /** Requested lifetime; capped at the authority's NotAfter, as SPIRE caps it. */
  readonly ttlNs: number;
  readonly rng: Rng;
}

/**
 * SPIRE's `x500UniqueIdentifier` subject attribute: derived from the SPIFFE ID without
 * revealing it, so two SVIDs for the same ID share a subject and no SVID shares its CA's.
 */
export function uniqueIdAttribute(spiffeId: string): NameAttribute {
  const sum = sha256(utf8ToBytes(spiffeId));
  return { type: 'x500UniqueIdentifier', value: bytesToHex(sum.subarray(0, 16)) };
}

/**
 * Issues an X.509 SVID for `spiffeId`, signed by `authority`. NotBefore is now minus 10 s;
 * NotAfter is now plus the TTL, capped at the CA's NotAfter. Deterministic given the Rng state.
 *
 * The random draws happen now, so the Rng's sequence is the same whatever is read later; the
 * Ed25519 key, the signature and the DER bytes are computed the first time the certificate or
 * the key's PEM is read. A cluster mints an SVID per identity and per agent at start-up, and most
 * of them are never presented in a handshake or printed, so this is what a command that opens
 * no authenticated connection saves (the bytes are the same whenever they are computed).
 */
export function mintX509Svid(o: MintOptions): X509Svid {
  const seed = o.rng.bytes(32);
  const serial = serialFromBytes(o.rng.bytes(16));
  const notBeforeMs = secondsFloor(o.nowMs - NOT_BEFORE_CUSHION_NS / NS_PER_MS);
  const notAfterMs = Math.min(secondsFloor(o.nowMs + Math.floor(o.ttlNs / NS_PER_MS)), o.authority.notAfterMs);
  const { authority, spiffeId } = o;
  let keyPair: KeyPair | undefined;
  let certificate: ParsedCertificate | undefined;
  const key = (): KeyPair => (keyPair ??= keyPairFromSeed(seed));
  const issue = (): ParsedCertificate =>
    issueCertificate(
      {
        serial,
        subject: [{ type: 'C', value: 'US' }, { type: 'O', value: 'SPIRE' }, uniqueIdAttribute(spiffeId)],
        issuer: authority.subject,
        notBeforeMs,
        notAfterMs,
        publicKeySpki: key().publicKeySpki,
        isCa: false,
        keyUsage: ['digitalSignature', 'keyEncipherment', 'keyAgreement'],
        extKeyUsage: ['serverAuth', 'clientAuth'],
        uriSans: [spiffeId],
        authorityKeyId: authority.subjectKeyId,
      },
      authority.privateKey,
    );
  return {
    spiffeId,
    get certificate() {
      return (certificate ??= issue());
    },
    privateKey: Uint8Array.from(seed),
    get privateKeyPem() {
      return privateKeyPem(key());
    },
    notBeforeMs,
    expiresAtMs: notAfterMs,
    serial: BigInt(`0x${bytesToHex(serial) || '0'}`).toString(10),
  };
}

/** X.509 times have whole seconds. */
export function secondsFloor(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** The SVID certificate as PEM. */
export function svidPem(svid: X509Svid): string {
  return encodePem('CERTIFICATE', svid.certificate.der);
}

export type SvidVerification = { readonly ok: true; readonly spiffeId: string } | { readonly ok: false; readonly reason: string };

/** Go's RFC 3339 rendering of a UTC time, as its x509 errors and `x509 mint` print it: `2024-07-04T18:58:00Z`. */
export function formatRfc3339(ms: number): string {
  return new Date(secondsFloor(ms)).toISOString().replace('.000Z', 'Z');
}

/** Why `cert` is outside its validity window at `atMs`, worded as Go's x509 verifier words it. */
function validityProblem(cert: ParsedCertificate, atMs: number): string | undefined {
  const prefix = 'x509: certificate has expired or is not yet valid: current time';
  if (atMs < cert.notBeforeMs) return `${prefix} ${formatRfc3339(atMs)} is before ${formatRfc3339(cert.notBeforeMs)}`;
  if (atMs > cert.notAfterMs) return `${prefix} ${formatRfc3339(atMs)} is after ${formatRfc3339(cert.notAfterMs)}`;
  return undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Whether `ca`'s key signed `leaf`, remembered per pair of certificates. Verifying an Ed25519
 * signature in JavaScript costs far more than the rest of a handshake, and every handshake checks
 * the same few SVIDs against the same CAs again. The answer depends on the bytes alone (the
 * leaf's TBS and signature, the CA's key), never on the time, so reusing it is safe; validity
 * windows are still checked against the current virtual time on every verification. Keyed by the
 * certificate objects, which are immutable values, so rotated-out SVIDs are collected with theirs.
 */
const signatureChecks = new WeakMap<ParsedCertificate, WeakMap<ParsedCertificate, boolean>>();

function signedBy(leaf: ParsedCertificate, ca: ParsedCertificate): boolean {
  let byCa = signatureChecks.get(leaf);
  if (byCa === undefined) signatureChecks.set(leaf, (byCa = new WeakMap()));
  let ok = byCa.get(ca);
  if (ok === undefined) byCa.set(ca, (ok = verifyEd25519(leaf.signature, leaf.tbsDer, ca.publicKey)));
  return ok;
}

function issuerIn(leaf: ParsedCertificate, bundle: readonly ParsedCertificate[]): ParsedCertificate | undefined {
  return bundle.find(
    (ca) =>
      ca.isCa &&
      sameBytes(leaf.issuerDer, ca.subjectDer) &&
      (leaf.authorityKeyIdHex === undefined || leaf.authorityKeyIdHex === ca.subjectKeyIdHex) &&
      signedBy(leaf, ca),
  );
}

/**
 * Verifies an X.509 SVID as Cilium's mutual-auth handshake does: the leaf is signed by a CA of
 * the trust bundle, leaf and CA are valid at `atEpochMs` (virtual time), the leaf is not a CA and
 * has exactly one URI SAN, a valid SPIFFE ID, equal to `expectedSpiffeId` when given.
 *
 * Cases, in the order checked: leaf is a CA; URI SAN count is not one; SAN is not a SPIFFE ID;
 * no bundle CA signed it; leaf or CA outside its validity; SPIFFE ID is not the expected one.
 */
export function verifySvidChain(
  leaf: ParsedCertificate,
  bundle: readonly ParsedCertificate[],
  atEpochMs: number,
  expectedSpiffeId?: string,
): SvidVerification {
  if (leaf.isCa) return { ok: false, reason: 'x509svid: leaf certificate with CA flag set to true' };
  if (leaf.uriSans.length !== 1) return { ok: false, reason: 'SPIFFE IDs must have exactly one URI SAN' };
  const spiffeId = leaf.uriSans[0]!;
  const problem = spiffeIdProblem(spiffeId);
  if (problem !== undefined) return { ok: false, reason: `unable to validate SAN: ${problem}` };
  const ca = issuerIn(leaf, bundle);
  if (ca === undefined) return { ok: false, reason: 'x509: certificate signed by unknown authority' };
  const expired = validityProblem(leaf, atEpochMs) ?? validityProblem(ca, atEpochMs);
  if (expired !== undefined) return { ok: false, reason: expired };
  if (expectedSpiffeId !== undefined && spiffeId !== expectedSpiffeId) {
    return { ok: false, reason: `failed to validate SAN: SPIFFE ID ${spiffeId} is not the expected ${expectedSpiffeId}` };
  }
  return { ok: true, spiffeId };
}
