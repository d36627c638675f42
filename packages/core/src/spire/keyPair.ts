import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { assert } from '../errors.ts';
import type { Rng } from '../sim/rng.ts';
import { encodePem } from './pem.ts';

/**
 * An Ed25519 key pair derived from 32 seed bytes. Ed25519 signatures are deterministic, so the
 * same seed signs the same certificate into the same bytes: that is what makes certificates
 * reproducible from the simulation seed. (SPIRE itself uses EC P-256 or RSA keys.)
 */
export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SubjectPublicKeyInfo DER, as it goes into a certificate. */
  readonly publicKeySpki: Uint8Array;
}

/** PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410) up to the 32-byte seed, which follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The key pair whose private key is `seed` (32 bytes). */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  assert(seed.length === 32, `an Ed25519 seed is 32 bytes, got ${seed.length}`);
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const publicKeySpki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  return { privateKey, publicKey, publicKeySpki };
}

/** A fresh key pair drawn from `rng`. */
export function generateKeyPair(rng: Rng): KeyPair {
  return keyPairFromSeed(rng.bytes(32));
}

/** `-----BEGIN PRIVATE KEY-----` (PKCS#8), as `spire-server x509 mint` prints the key. */
export function privateKeyPem(pair: KeyPair): string {
  return encodePem('PRIVATE KEY', new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })));
}
