import { describe, expect, it } from 'vitest';
import { Clock, Rng, Scheduler, spire } from '@cilium-sim/core';
import { runSpireServerCli } from '../../src/spire/serverCli.ts';

const { decodePem, ensureCiliumEntries, syncIdentityEntries, SpireServer, parseCertificate } = spire;

function setup() {
  const clock = new Clock();
  const server = new SpireServer({ clock, scheduler: new Scheduler(clock), rng: Rng.seeded(1).fork('spire') });
  ensureCiliumEntries(server);
  const run = (...argv: string[]) => runSpireServerCli(server, argv);
  return { server, run };
}

describe('spire-server entry show', () => {
  it('prints the Cilium agent and operator entries as in the mutual-auth docs', () => {
    const { run } = setup();

    const r = run('entry', 'show', '-parentID', 'spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent');

    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "Found 2 entries
      Entry ID         : 9a8db39c-7cad-4178-acfd-31d7074ce942
      SPIFFE ID        : spiffe://spiffe.cilium/cilium-agent
      Parent ID        : spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent
      Revision         : 0
      X509-SVID TTL    : default
      JWT-SVID TTL     : default
      Selector         : k8s:ns:kube-system
      Selector         : k8s:sa:cilium

      Entry ID         : cf11caa7-3ba7-49d6-acdd-40875896cd2f
      SPIFFE ID        : spiffe://spiffe.cilium/cilium-operator
      Parent ID        : spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent
      Revision         : 0
      X509-SVID TTL    : default
      JWT-SVID TTL     : default
      Selector         : k8s:ns:kube-system
      Selector         : k8s:sa:cilium-operator

      "
    `);
  });

  it('says "Found 1 entry" for a workload identity filtered by SPIFFE ID', () => {
    const { server, run } = setup();
    syncIdentityEntries(server, [17947]);

    const r = run('entry', 'show', '-spiffeID', 'spiffe://spiffe.cilium/identity/17947');

    expect(
      r.stdout
        .split('\n')
        .slice(0, 8)
        .join('\n')
        .replace(/Entry ID {9}: \S+/, 'Entry ID         : <id>'),
    ).toMatchInlineSnapshot(`
      "Found 1 entry
      Entry ID         : <id>
      SPIFFE ID        : spiffe://spiffe.cilium/identity/17947
      Parent ID        : spiffe://spiffe.cilium/cilium-operator
      Revision         : 0
      X509-SVID TTL    : default
      JWT-SVID TTL     : default
      Selector         : cilium:mutual-auth"
    `);
  });

  it('says "Found 0 entries" when nothing matches, and filters by selector', () => {
    const { run } = setup();

    expect(run('entry', 'show', '-selector', 'cilium:mutual-auth').stdout).toBe('Found 0 entries\n');
    expect(run('entry', 'show', '-selector', 'k8s:ns:kube-system').stdout).toMatch(/^Found 2 entries\n/);
    expect(run('entry', 'show', '-selector', 'k8s:ns:kube-system', '-matchSelectorsOn', 'exact').stdout).toBe('Found 0 entries\n');
  });

  it('prints SPIRE errors for bad filters', () => {
    const { run } = setup();

    expect(run('entry', 'show', '-spiffeID', 'invalid-id').stderr).toBe(
      'Error: error parsing SPIFFE ID "invalid-id": scheme is missing or invalid\n',
    );
    expect(run('entry', 'show', '-parentID', 'invalid-id').stderr).toBe(
      'Error: error parsing parent ID "invalid-id": scheme is missing or invalid\n',
    );
    expect(run('entry', 'show', '-selector', 'invalid-selector').stderr).toBe(
      'Error: error parsing selectors: selector "invalid-selector" must be formatted as type:value\n',
    );
    expect(run('entry', 'show', '-selector', 'a:b', '-matchSelectorsOn', 'NO-MATCHER').stderr).toBe(
      'Error: match behavior "NO-MATCHER" unknown\n',
    );
    expect(run('entry', 'show', '-entryID', 'x', '-spiffeID', 'spiffe://spiffe.cilium/a').stderr).toBe(
      "Error: the -entryID flag can't be combined with others\n",
    );
    expect(run('entry', 'show', '-entryID', 'nope')).toEqual({
      stdout: '',
      exitCode: 1,
      stderr: 'Error: error fetching entry ID nope: rpc error: code = NotFound desc = no such registration entry\n',
    });
  });

  it('prints a Go flag error and the usage for an unknown flag', () => {
    const { run } = setup();

    const r = run('entry', 'show', '-bad');

    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n').slice(0, 4).join('\n')).toMatchInlineSnapshot(`
      "flag provided but not defined: -bad
      Usage of entry show:
        -entryID string
          	The Entry ID of the records to show"
    `);
  });
});

describe('spire-server entry create and delete', () => {
  it('prints the created entry', () => {
    const { run } = setup();

    const r = run(
      'entry',
      'create',
      '-spiffeID',
      'spiffe://spiffe.cilium/ns/default/sa/echo',
      '-parentID',
      'spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent',
      '-selector',
      'k8s:ns:default',
      '-x509SVIDTTL',
      '600',
    );

    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Entry ID {9}: [0-9a-f-]{36}\nSPIFFE ID {8}: spiffe:\/\/spiffe.cilium\/ns\/default\/sa\/echo\n/);
    expect(r.stdout).toContain('X509-SVID TTL    : 600\nJWT-SVID TTL     : default\nSelector         : k8s:ns:default\n\n');
  });

  it('refuses a duplicate as SPIRE does', () => {
    const { run } = setup();

    const r = run(
      'entry',
      'create',
      '-spiffeID',
      'spiffe://spiffe.cilium/cilium-agent',
      '-parentID',
      'spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent',
      '-selector',
      'k8s:sa:cilium',
      '-selector',
      'k8s:ns:kube-system',
    );

    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatchInlineSnapshot(`
      "Failed to create the following entry (code: AlreadyExists, msg: "similar entry already exists"):
      Entry ID         : (none)
      SPIFFE ID        : spiffe://spiffe.cilium/cilium-agent
      Parent ID        : spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent
      Revision         : 0
      X509-SVID TTL    : default
      JWT-SVID TTL     : default
      Selector         : k8s:sa:cilium
      Selector         : k8s:ns:kube-system

      Error: failed to create one or more entries
      "
    `);
  });

  it('refuses bad input with SPIRE messages and creates nothing', () => {
    const { run, server } = setup();
    const before = server.listEntries().length;

    expect(run('entry', 'create', '-spiffeID', 'spiffe://spiffe.cilium/x').stderr).toBe('Error: at least one selector is required\n');
    expect(run('entry', 'create', '-selector', 'a:b', '-spiffeID', 'spiffe://spiffe.cilium/x').stderr).toBe(
      'Error: a parent ID is required if the node flag is not set\n',
    );
    expect(run('entry', 'create', '-selector', 'a:b', '-node', '-spiffeID', 'spiffe://Spiffe.cilium/x').stderr).toBe(
      'Error: error parsing SPIFFE ID "spiffe://Spiffe.cilium/x": trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores\n',
    );
    expect(
      run('entry', 'create', '-selector', 'a:b', '-node', '-spiffeID', 'spiffe://spiffe.cilium/x', '-x509SVIDTTL', 'ten').stderr,
    ).toMatch(/^invalid value "ten" for flag -x509SVIDTTL: parse error\nUsage of entry create:\n/);
    expect(server.listEntries()).toHaveLength(before);
  });

  it('deletes by entry ID', () => {
    const { run, server } = setup();
    const id = server.listEntries()[0]!.id;

    expect(run('entry', 'delete', '-entryID', id).stdout).toBe(`Deleted entry with ID: ${id}\n`);
    expect(run('entry', 'delete', '-entryID', id).stderr).toBe('Error: failed to delete entry: no such registration entry\n');
  });
});

describe('spire-server agent list and healthcheck', () => {
  it('lists attested agents in the SPIRE 1.9 layout', () => {
    const { server, run } = setup();
    server.attestAgent('kind-worker', '64745bf2-bd9d-4e42-bb2b-e095a6b65121', 'default');

    expect(run('agent', 'list').stdout.replace(/Serial number {5}: \d+/, 'Serial number     : <serial>')).toMatchInlineSnapshot(`
      "Found 1 attested agent:

      SPIFFE ID         : spiffe://spiffe.cilium/spire/agent/k8s_psat/default/64745bf2-bd9d-4e42-bb2b-e095a6b65121
      Attestation type  : k8s_psat
      Expiration time   : 2024-07-04 18:58:00 +0000 UTC
      Serial number     : <serial>
      Can re-attest     : true

      "
    `);
  });

  it('says when no agent is attested', () => {
    expect(setup().run('agent', 'list').stdout).toBe('No attested agents found\n');
  });

  it('reports health, verbosely or not, and failure while the server is down', () => {
    const { server, run } = setup();

    expect(run('healthcheck')).toEqual({ stdout: 'Server is healthy.\n', stderr: '', exitCode: 0 });
    expect(run('healthcheck', '-verbose').stdout).toBe('Checking server health...\nServer is healthy.\n');
    server.setHealthy(false);
    expect(run('healthcheck')).toEqual({ stdout: '', stderr: 'Error: server is unhealthy: unable to determine health\n', exitCode: 1 });
    expect(run('entry', 'show').stderr).toMatch(/^Error: error fetching entries: rpc error: code = Unavailable desc = /);
  });
});

describe('spire-server bundle show and x509 mint', () => {
  it('prints the bundle as PEM certificates of the CA', () => {
    const { server, run } = setup();

    const blocks = decodePem(run('bundle', 'show').stdout);

    expect(blocks.map((b) => parseCertificate(b.der).subject)).toEqual([server.ca.active.certificate.subject]);
  });

  it('prints the SVID, its private key and the root CAs', () => {
    const { run } = setup();

    const r = run('x509', 'mint', '-spiffeID', 'spiffe://spiffe.cilium/identity/300', '-ttl', '10m');

    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^X509-SVID:\n-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n\nPrivate key:\n-----BEGIN PRIVATE KEY-----\n[\s\S]+\n\nRoot CAs:\n-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n\n$/,
    );
    const svid = parseCertificate(decodePem(r.stdout)[0]!.der);
    expect(svid.uriSans).toEqual(['spiffe://spiffe.cilium/identity/300']);
    expect(svid.notAfterMs - svid.notBeforeMs).toBe(610_000);
  });

  it('warns on stderr when the TTL was capped at the CA lifetime', () => {
    const r = setup().run('x509', 'mint', '-spiffeID', 'spiffe://spiffe.cilium/identity/300', '-ttl', '48h');

    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('X509-SVID lifetime was capped shorter than specified ttl; expires "2024-07-05T17:58:00Z"\n');
  });

  it('refuses a missing or malformed SPIFFE ID', () => {
    const { run } = setup();

    expect(run('x509', 'mint').stderr).toBe('Error: spiffeID must be specified\n');
    expect(run('x509', 'mint', '-spiffeID', 'malformed id').stderr).toBe(
      'Error: error parsing SPIFFE ID "malformed id": scheme is missing or invalid\n',
    );
  });
});

describe('spire-server commands', () => {
  it('prints the command list and exits 127 for an unknown command, as mitchellh/cli does', () => {
    const r = setup().run('frobnicate');

    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/^Usage: spire-server \[--version\] \[--help\] <command> \[<args>\]\n\nAvailable commands are:\n/);
  });

  it('prints the subcommands of a known group and exits 1', () => {
    const r = setup().run('entry', 'frobnicate');

    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Subcommands:\n    create    Creates registration entries\n');
  });
});
