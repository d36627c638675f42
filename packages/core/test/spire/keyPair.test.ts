// The key pairs and signatures come from a pure-JS Ed25519 so core runs in browsers; these tests
// hold them to Node's OpenSSL-backed crypto, which the simulator used before, byte for byte.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyPairFromSeed, privateKeyPem, signEd25519, verifyEd25519 } from '../../src/spire/keyPair.ts';

const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });
const message = fc.uint8Array({ maxLength: 600 });

function nodeKeys(seedBytes: Uint8Array) {
  const privateKey = createPrivateKey({ key: Buffer.from(keyPairFromSeed(seedBytes).privateKeyPkcs8), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

describe('Ed25519 key pairs', () => {
  it('encode as OpenSSL does: PKCS#8 and SPKI DER, and the PEM of the private key', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const pair = keyPairFromSeed(s);
        const node = nodeKeys(s);

        expect(Buffer.from(pair.privateKey).equals(Buffer.from(s))).toBe(true);
        expect(Buffer.from(pair.publicKeySpki).equals(node.publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
        expect(Buffer.from(pair.publicKeySpki.subarray(-32)).equals(Buffer.from(pair.publicKey))).toBe(true);
        expect(privateKeyPem(pair)).toBe(node.privateKey.export({ format: 'pem', type: 'pkcs8' }));
      }),
      { numRuns: 50 },
    );
  });

  it('sign the bytes OpenSSL signs, and verify each other', () => {
    fc.assert(
      fc.property(seed, message, (s, m) => {
        const pair = keyPairFromSeed(s);
        const node = nodeKeys(s);
        const signature = signEd25519(m, pair.privateKey);

        expect(Buffer.from(signature).equals(sign(null, m, node.privateKey))).toBe(true);
        expect(verify(null, m, node.publicKey, signature)).toBe(true);
        expect(verifyEd25519(signature, m, pair.publicKey)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('reject a changed message, a changed signature, another key, and keys or signatures of the wrong length', () => {
    const pair = keyPairFromSeed(new Uint8Array(32).fill(7));
    const m = new TextEncoder().encode('tbsCertificate');
    const signature = signEd25519(m, pair.privateKey);
    const flipped = Uint8Array.from(signature);
    flipped[0] ^= 1;

    expect(verifyEd25519(signature, new TextEncoder().encode('tbsCertificatf'), pair.publicKey)).toBe(false);
    expect(verifyEd25519(flipped, m, pair.publicKey)).toBe(false);
    expect(verifyEd25519(signature, m, keyPairFromSeed(new Uint8Array(32).fill(8)).publicKey)).toBe(false);
    expect(verifyEd25519(signature, m, pair.publicKeySpki)).toBe(false);
    expect(verifyEd25519(signature.subarray(1), m, pair.publicKey)).toBe(false);
  });

  it('come only from 32-byte seeds', () => {
    expect(() => keyPairFromSeed(new Uint8Array(31))).toThrow(/32 bytes, got 31/);
  });
});
