// These tests write PEM files to a temporary directory and run the real `openssl` binary on
// them, so the certificates are checked by an independent X.509 implementation, not only ours.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NS_PER_H, NS_PER_MIN } from '../../src/sim/duration.ts';
import { Rng } from '../../src/sim/rng.ts';
import { createX509Authority, type X509Authority } from '../../src/spire/ca.ts';
import { encodePem, decodePem } from '../../src/spire/pem.ts';
import { DEFAULT_X509_SVID_TTL_NS, mintX509Svid, svidPem, uniqueIdAttribute, verifySvidChain } from '../../src/spire/svid.ts';
import { generateKeyPair } from '../../src/spire/keyPair.ts';
import { createCertificate, parseCertificate, serialFromBytes } from '../../src/spire/x509.ts';

const NOW_MS = Date.UTC(2024, 6, 4, 17, 58, 0);
const ID = 'spiffe://spiffe.cilium/identity/17947';

function authority(seed: number, ttlNs = 24 * NS_PER_H): X509Authority {
  return createX509Authority({ rng: Rng.seeded(seed).fork('ca'), trustDomain: 'spiffe.cilium', nowMs: NOW_MS, ttlNs, createdAtNs: 0 });
}

function mint(ca: X509Authority, seed = 1, spiffeId = ID, ttlNs = DEFAULT_X509_SVID_TTL_NS) {
  return mintX509Svid({ authority: ca, spiffeId, nowMs: NOW_MS, ttlNs, rng: Rng.seeded(seed).fork('svid') });
}

function files(parts: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'spire-'));
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(parts)) writeFileSync((out[name] = join(dir, name)), text);
  return out;
}

function opensslVerify(bundlePem: string, leafPem: string, atMs: number): { ok: boolean; output: string } {
  const f = files({ 'bundle.pem': bundlePem, 'svid.pem': leafPem });
  const r = spawnSync('openssl', ['verify', '-attime', String(Math.floor(atMs / 1000)), '-CAfile', f['bundle.pem']!, f['svid.pem']!], {
    encoding: 'utf8',
  });
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

describe('X.509 SVIDs', () => {
  it('are byte-identical for the same seed, CA and SVID alike', () => {
    const a = authority(7);
    const b = authority(7);

    expect(Buffer.from(a.certificate.der).equals(Buffer.from(b.certificate.der))).toBe(true);
    expect(Buffer.from(mint(a, 3).certificate.der).equals(Buffer.from(mint(b, 3).certificate.der))).toBe(true);
    expect(Buffer.from(authority(8).certificate.der).equals(Buffer.from(a.certificate.der))).toBe(false);
  });

  it('carry the SPIFFE ID as their one URI SAN, with SPIRE validity and subject', () => {
    const ca = authority(1);
    const svid = mint(ca);

    expect(svid.certificate.uriSans).toEqual([ID]);
    expect(svid.certificate.subject).toBe(`C=US, O=SPIRE, x500UniqueIdentifier=${uniqueIdAttribute(ID).value}`);
    expect(svid.certificate.issuer).toBe(ca.certificate.subject);
    expect(ca.certificate.subject).toMatch(/^C=US, O=SPIRE, CN=Cilium SPIRE CA, serialNumber=\d+$/);
    expect(svid.notBeforeMs).toBe(NOW_MS - 10_000);
    expect(svid.expiresAtMs).toBe(NOW_MS + 3_600_000);
    expect(svid.certificate.isCa).toBe(false);
  });

  it('are capped at the NotAfter of the CA that signs them', () => {
    const ca = authority(1, 30 * NS_PER_MIN);

    expect(mint(ca).expiresAtMs).toBe(ca.certificate.notAfterMs);
  });

  it('are what a reader of their bytes sees: the issued view equals the decoded one, CA and SVID alike', () => {
    const ca = authority(2);
    for (const cert of [ca.certificate, mint(ca, 5).certificate]) {
      expect(cert).toEqual(parseCertificate(cert.der));
    }
  });

  it('round-trip through PEM', () => {
    const svid = mint(authority(1));

    const [block] = decodePem(svidPem(svid));

    expect(block?.label).toBe('CERTIFICATE');
    expect(Buffer.from(block!.der).equals(Buffer.from(svid.certificate.der))).toBe(true);
  });
});

describe('verifySvidChain', () => {
  const ca = authority(1);
  const svid = mint(ca);

  it('accepts an SVID signed by a bundle CA inside its validity', () => {
    expect(verifySvidChain(svid.certificate, [ca.certificate], NOW_MS + 60_000, ID)).toEqual({ ok: true, spiffeId: ID });
  });

  it('rejects an SVID signed by a CA outside the bundle', () => {
    expect(verifySvidChain(svid.certificate, [authority(2).certificate], NOW_MS)).toEqual({
      ok: false,
      reason: 'x509: certificate signed by unknown authority',
    });
  });

  it('rejects an expired SVID and one not yet valid', () => {
    expect(verifySvidChain(svid.certificate, [ca.certificate], NOW_MS + 3_600_001)).toEqual({
      ok: false,
      reason: 'x509: certificate has expired or is not yet valid: current time 2024-07-04T18:58:00Z is after 2024-07-04T18:58:00Z',
    });
    expect(verifySvidChain(svid.certificate, [ca.certificate], NOW_MS - 60_000).ok).toBe(false);
  });

  it('rejects a certificate with two URI SANs', () => {
    const key = generateKeyPair(Rng.seeded(5));
    const der = createCertificate(
      {
        serial: serialFromBytes(new Uint8Array(16).fill(9)),
        subject: [{ type: 'O', value: 'SPIRE' }],
        issuer: ca.subject,
        notBeforeMs: NOW_MS,
        notAfterMs: NOW_MS + 3_600_000,
        publicKeySpki: key.publicKeySpki,
        isCa: false,
        keyUsage: ['digitalSignature'],
        extKeyUsage: ['clientAuth'],
        uriSans: [ID, 'spiffe://spiffe.cilium/identity/1'],
        authorityKeyId: ca.subjectKeyId,
      },
      ca.privateKey,
    );

    expect(verifySvidChain(parseCertificate(der), [ca.certificate], NOW_MS)).toEqual({
      ok: false,
      reason: 'SPIFFE IDs must have exactly one URI SAN',
    });
  });

  it('rejects an SVID for another SPIFFE ID than the expected one', () => {
    const result = verifySvidChain(svid.certificate, [ca.certificate], NOW_MS, 'spiffe://spiffe.cilium/identity/1');

    expect(result.ok).toBe(false);
  });

  it('checks validity at every verification, also of a certificate whose signature it has checked before', () => {
    const leaf = mint(ca, 4);

    expect(verifySvidChain(leaf.certificate, [ca.certificate], NOW_MS).ok).toBe(true);
    expect(verifySvidChain(leaf.certificate, [ca.certificate], NOW_MS + 2 * 3_600_000).ok).toBe(false);
    expect(verifySvidChain(leaf.certificate, [ca.certificate], NOW_MS).ok).toBe(true);
  });

  it('rejects a certificate whose signature does not match its bytes', () => {
    const der = Uint8Array.from(svid.certificate.der);
    der[der.length - 1] ^= 1;

    expect(verifySvidChain(parseCertificate(der), [ca.certificate], NOW_MS)).toEqual({
      ok: false,
      reason: 'x509: certificate signed by unknown authority',
    });
  });

  it('rejects a CA certificate presented as a leaf', () => {
    expect(verifySvidChain(ca.certificate, [ca.certificate], NOW_MS).ok).toBe(false);
  });
});

// .ci/run installs openssl where it is missing, so this always runs.
describe('SVIDs checked by openssl', () => {
  const ca = authority(1);
  const svid = mint(ca);
  const bundle = encodePem('CERTIFICATE', ca.certificate.der);

  it('verify against the bundle at the virtual time', () => {
    expect(opensslVerify(bundle, svidPem(svid), NOW_MS + 60_000)).toMatchObject({ ok: true });
  });

  it('fail verification after they expire', () => {
    const r = opensslVerify(bundle, svidPem(svid), NOW_MS + 2 * 3_600_000);

    expect(r.ok).toBe(false);
    expect(r.output).toContain('certificate has expired');
  });

  it('fail verification against another CA', () => {
    expect(opensslVerify(encodePem('CERTIFICATE', authority(2).certificate.der), svidPem(svid), NOW_MS).ok).toBe(false);
  });

  it('show the SPIFFE ID as URI SAN and SPIRE key usages in openssl x509 -text', () => {
    const f = files({ 'svid.pem': svidPem(svid) });
    const text = execFileSync('openssl', ['x509', '-in', f['svid.pem']!, '-noout', '-text'], { encoding: 'utf8' });

    expect(text).toContain(`URI:${ID}`);
    expect(text).toContain('Digital Signature, Key Encipherment, Key Agreement');
    expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
    expect(text).toContain('CA:FALSE');
  });

  it('read the private key PEM as an Ed25519 key', () => {
    const f = files({ 'key.pem': svid.privateKeyPem });

    expect(execFileSync('openssl', ['pkey', '-in', f['key.pem']!, '-noout', '-text'], { encoding: 'utf8' })).toContain(
      'ED25519 Private-Key',
    );
  });
});
