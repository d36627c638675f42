import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// Checks the simulator's certificates with the real OpenSSL: what `x509 mint` prints must verify
// against what `bundle show` prints. OpenSSL checks validity against the wall clock unless told,
// so `-attime` pins the check to the simulation's virtual time. .ci/run installs openssl if missing.

const SERVER = 'kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server';

describe('an SVID minted inside the spire-server pod', () => {
  it("verifies against the bundle with openssl and carries the identity's SPIFFE ID as its only URI SAN", () => {
    const sim = createSimulator({ seed: 3 }, nodeHostFiles(process.cwd()));
    const id = sim.cluster.inspect.ciliumIdentities()[0]!.metadata.name;
    const spiffeId = `spiffe://spiffe.cilium/identity/${id}`;
    const mint = sim.session.run(`${SERVER} x509 mint -spiffeID ${spiffeId}`);
    const bundle = sim.session.run(`${SERVER} bundle show`);
    expect(mint.exitCode).toBe(0);
    expect(bundle.exitCode).toBe(0);
    const svid = /X509-SVID:\n(-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n)/.exec(mint.output)![1]!;
    expect(mint.output).toContain('Private key:\n-----BEGIN PRIVATE KEY-----');

    const dir = mkdtempSync(join(tmpdir(), 'mauth_x509_'));
    try {
      writeFileSync(join(dir, 'svid.pem'), svid);
      writeFileSync(join(dir, 'bundle.pem'), bundle.output);
      const at = String(Math.floor(sim.cluster.now().epochMs / 1000));
      const verify = execFileSync('openssl', ['verify', '-attime', at, '-CAfile', join(dir, 'bundle.pem'), join(dir, 'svid.pem')], {
        encoding: 'utf8',
      });
      expect(verify.trim()).toBe(`${join(dir, 'svid.pem')}: OK`);
      const san = execFileSync('openssl', ['x509', '-in', join(dir, 'svid.pem'), '-noout', '-ext', 'subjectAltName'], { encoding: 'utf8' });
      expect(
        san
          .trim()
          .split('\n')
          .map((l) => l.trim()),
      ).toEqual(['X509v3 Subject Alternative Name:', `URI:${spiffeId}`]);
      // Two hours later the SVID (1 h) has expired and OpenSSL says so.
      const later = String(Number(at) + 7200);
      expect(() =>
        execFileSync('openssl', ['verify', '-attime', later, '-CAfile', join(dir, 'bundle.pem'), join(dir, 'svid.pem')], { stdio: 'pipe' }),
      ).toThrow(/certificate has expired/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
