import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { assert } from '../errors.ts';
import type { Rng } from '../sim/rng.ts';
import { encodePem } from './pem.ts';

/**
 * An Ed25519 key pair derived from 32 seed bytes. Ed25519 signatures are deterministic, so the
 * same seed signs the same certificate into the same bytes: that is what makes certificates
 * reproducible from the simulation seed. (SPIRE itself uses EC P-256 or RSA keys.)
 *
 * Plain bytes rather than a platform key object, so the same code runs in Node and in a browser.
 */
export interface KeyPair {
  /** The 32-byte private key (RFC 8032's seed): what signs. */
  readonly privateKey: Uint8Array;
  /** The 32-byte encoded public key. */
  readonly publicKey: Uint8Array;
  /** PKCS#8 PrivateKeyInfo DER (RFC 8410), as a PRIVATE KEY PEM carries it. */
  readonly privateKeyPkcs8: Uint8Array;
  /** SubjectPublicKeyInfo DER, as it goes into a certificate. */
  readonly publicKeySpki: Uint8Array;
}

/** PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410) up to the 32-byte seed, which follows it. */
const ED25519_PKCS8_PREFIX = hexToBytes('302e020100300506032b657004220420');
/** SubjectPublicKeyInfo for Ed25519 (RFC 8410) up to the 32-byte public key, which follows it. */
const ED25519_SPKI_PREFIX = hexToBytes('302a300506032b6570032100');

/** The key pair whose private key is `seed` (32 bytes). */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  assert(seed.length === 32, `an Ed25519 seed is 32 bytes, got ${seed.length}`);
  const privateKey = Uint8Array.from(seed);
  const publicKey = ed25519.getPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    privateKeyPkcs8: concatBytes(ED25519_PKCS8_PREFIX, privateKey),
    publicKeySpki: concatBytes(ED25519_SPKI_PREFIX, publicKey),
  };
}

/** A fresh key pair drawn from `rng`. */
export function generateKeyPair(rng: Rng): KeyPair {
  return keyPairFromSeed(rng.bytes(32));
}

/** `-----BEGIN PRIVATE KEY-----` (PKCS#8), as `spire-server x509 mint` prints the key. */
export function privateKeyPem(pair: KeyPair): string {
  return encodePem('PRIVATE KEY', pair.privateKeyPkcs8);
}

/** The Ed25519 signature of `message` by `privateKey` (32 bytes): deterministic, 64 bytes. */
export function signEd25519(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, privateKey);
}

/**
 * Whether `signature` is `publicKey`'s Ed25519 signature of `message`. Strict RFC 8032 decoding
 * (noble's `zip215: false`) rather than the laxer ZIP-215 rules noble defaults to: closer to the
 * OpenSSL verifier node:crypto used, and the two only differ on crafted keys and signatures. A key
 * or signature of the wrong length, as from a certificate of another key type, does not verify.
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  return ed25519.verify(signature, message, publicKey, { zip215: false });
}
