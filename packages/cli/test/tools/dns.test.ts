import { describe, expect, it } from 'vitest';
import { formatNslookup, parseNslookup } from '../../src/tools/nslookup.ts';
import { formatDig, parseDig } from '../../src/tools/dig.ts';
import type { DnsOutcome } from '../../src/tools/dnsOutcome.ts';

const found: DnsOutcome = {
  server: '10.96.0.10',
  serverIp: '10.96.0.10',
  query: 'deathstar',
  answers: [{ name: 'deathstar.default.svc.cluster.local', ip: '10.96.141.40', ttl: 30 }],
  rcode: 'NOERROR',
  authoritative: true,
};

describe('nslookup (bind9)', () => {
  it('parses NAME and an optional SERVER', () => {
    expect(parseNslookup(['deathstar', '10.96.0.10'])).toEqual({ name: 'deathstar', server: '10.96.0.10' });
  });

  it('prints the server block and the answer', () => {
    expect(formatNslookup(found)).toEqual({
      stdout: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tdeathstar.default.svc.cluster.local\nAddress: 10.96.141.40\n\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('marks forwarded answers as non-authoritative', () => {
    const ext = {
      ...found,
      query: 'api.github.com',
      authoritative: false,
      answers: [{ name: 'api.github.com', ip: '140.82.112.6', ttl: 30 }],
    };
    expect(formatNslookup(ext).stdout).toContain('\n\nNon-authoritative answer:\nName:\tapi.github.com\nAddress: 140.82.112.6\n');
  });

  it('prints NXDOMAIN, REFUSED and timeouts with exit 1', () => {
    expect(formatNslookup({ ...found, query: 'nothere', rcode: 'NXDOMAIN', answers: [] })).toEqual({
      stdout: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nothere: NXDOMAIN\n\n",
      stderr: '',
      exitCode: 1,
    });
    expect(formatNslookup({ ...found, query: 'cilium.io', rcode: 'REFUSED', answers: [] }).stdout).toContain(
      "** server can't find cilium.io: REFUSED\n",
    );
    expect(formatNslookup({ ...found, rcode: 'timeout', answers: [] })).toEqual({
      stdout: ';; connection timed out; no servers could be reached\n\n',
      stderr: '',
      exitCode: 1,
    });
  });
});

describe('dig (bind9)', () => {
  const meta = { id: 41729, queryTimeMs: 0, whenMs: Date.parse('2024-01-01T00:05:00Z') };

  it('prints only addresses with +short', () => {
    const req = parseDig(['+short', 'deathstar.default.svc.cluster.local']);
    expect(formatDig(req, found, meta)).toEqual({ stdout: '10.96.141.40\n', stderr: '', exitCode: 0 });
  });

  it('prints the full report with master-file alignment', () => {
    const req = parseDig(['google.com', '@8.8.8.8']);
    const out = formatDig(
      req,
      {
        ...found,
        query: 'google.com',
        server: '8.8.8.8',
        serverIp: '8.8.8.8',
        authoritative: false,
        answers: [{ name: 'google.com', ip: '142.250.80.46', ttl: 300 }],
      },
      meta,
    );
    expect(out.stdout).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n');
    expect(out.stdout).toContain(';; QUESTION SECTION:\n;google.com.\t\t\tIN\tA\n');
    expect(out.stdout).toContain(';; ANSWER SECTION:\ngoogle.com.\t\t300\tIN\tA\t142.250.80.46\n');
    expect(out.stdout).toContain(';; SERVER: 8.8.8.8#53(8.8.8.8) (UDP)\n;; WHEN: Mon Jan 01 00:05:00 UTC 2024\n;; MSG SIZE  rcvd: 55\n');
  });

  it('exits 9 when no server answers', () => {
    const out = formatDig(parseDig(['example.com']), { ...found, rcode: 'timeout', answers: [] }, meta);
    expect(out.exitCode).toBe(9);
    expect(out.stdout).toMatch(/^;; communications error to 10\.96\.0\.10#53: timed out\n/);
    expect(out.stdout).toContain(';; no servers could be reached\n');
  });
});
