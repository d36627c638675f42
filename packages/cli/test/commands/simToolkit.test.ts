// The toolkit's subcommands as a script runs them: argv after the subcommand words, a cluster
// with the Star Wars demo (manifests read from the scenarios package, relative to this file).
import { readFileSync } from 'node:fs';
import { Cluster } from '@cilium-sim/core';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/commands/cliContext.ts';
import { dryRunReport, mapCommand, matrixCommand, policyCommand, policySuggestCommand } from '../../src/commands/simToolkit.ts';

const MANIFESTS = new URL('../../../scenarios/scenarios/star-wars/manifests/', import.meta.url);
const manifest = (name: string): string => readFileSync(new URL(name, MANIFESTS), 'utf8');
const io = { stdin: '', env: {} };

function session(): CliContext {
  const cluster = Cluster.create({ seed: 1 });
  cluster.apply(manifest('http-sw-app.yaml'));
  cluster.advance('30s');
  return { cluster, readFile: () => undefined };
}

function land(ctx: CliContext, ship: string): void {
  ctx.cluster.exec(`default/${ship}`).curl({ url: 'http://deathstar/v1/request-landing', method: 'POST', connectTimeoutMs: 2000 });
}

describe('cilium-sim matrix', () => {
  it('prints the combined verdicts as csv for the identities of a namespace', () => {
    const ctx = session();
    ctx.cluster.apply(manifest('sw_l3_l4_policy.yaml'));

    const r = matrixCommand(ctx, ['-n', 'default', '--by', 'identity', '--port', '80/TCP', '-o', 'csv'], io);

    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.includes(',denied'))).toEqual([
      'default/xwing,default/deathstar,80,TCP,denied,allowed,denied',
    ]);
  });

  it('prints truth tables by default, one block per port', () => {
    const r = matrixCommand(session(), ['--by=identity', '--port', '80', '--port', '53/UDP'], io);

    expect(r.stdout.split('\n').filter((l) => l.startsWith('probe on'))).toEqual([
      'probe on port 80, protocol TCP',
      'probe on port 53, protocol UDP',
    ]);
  });

  it('rejects an unknown flag as kubectl does, with exit status 1', () => {
    const r = matrixCommand(session(), ['--bogus'], io);

    expect(r).toEqual({
      stdout: '',
      stderr: expect.stringMatching(/^error: unknown flag: --bogus\nusage: cilium-sim matrix /),
      exitCode: 1,
    });
  });

  it('rejects an unknown output format and a flag without its value', () => {
    expect(matrixCommand(session(), ['-o', 'xml'], io).stderr).toBe(
      'error: invalid argument "xml" for "-o" flag: must be one of table, json, csv\n',
    );
    expect(matrixCommand(session(), ['--port'], io).stderr.split('\n')[0]).toBe('error: flag needs an argument: --port');
  });
});

describe('cilium-sim map', () => {
  it('prints a Mermaid flowchart with the dropped edge', () => {
    const ctx = session();
    ctx.cluster.apply(manifest('sw_l3_l4_policy.yaml'));
    land(ctx, 'xwing');

    const r = mapCommand(ctx, ['-o', 'mermaid'], io);

    expect(r.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(r.stdout).toMatch(/n\d+ -\.->\|"TCP\/80: 1 dropped"\| n\d+/);
  });

  it('prints SVG and DOT on request', () => {
    const ctx = session();
    land(ctx, 'tiefighter');

    expect(mapCommand(ctx, ['-o', 'svg'], io).stdout).toMatch(/^<\?xml/);
    expect(mapCommand(ctx, ['-o', 'dot', '-n', 'default'], io).stdout).toMatch(/^digraph "service-map" \{/);
  });
});

describe('cilium-sim policy suggest', () => {
  it('prints ready-to-apply YAML for the observed traffic', () => {
    const ctx = session();
    land(ctx, 'tiefighter');

    const r = policyCommand(ctx, ['suggest', '--from-flows', '-n', 'default'], io);

    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('name: deathstar-ingress-suggested');
    expect(ctx.cluster.apply(r.stdout).every((x) => x.ok)).toBe(true);
  });

  it('explains that there is nothing to learn from yet', () => {
    const r = policySuggestCommand(session(), [], io);

    expect(r).toEqual({
      stdout: '',
      stderr: "No forwarded traffic to pods in namespace default in the recorded flows; run the application's traffic first.\n",
      exitCode: 0,
    });
  });

  it('names the unknown policy subcommand', () => {
    expect(policyCommand(session(), ['audit'], io).stderr.split('\n')[0]).toBe('error: unknown command "audit" for "cilium-sim policy"');
  });
});

describe('kubectl --dry-run=server report', () => {
  it("prints kubectl's line, then the flip of xwing -> deathstar, and changes nothing", () => {
    const ctx = session();
    const state = ctx.cluster.state;

    const r = dryRunReport(ctx.cluster, { apply: manifest('sw_l3_l4_policy.yaml'), file: 'sw_l3_l4_policy.yaml' });

    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('ciliumnetworkpolicy.cilium.io/rule1 created (server dry run)');
    expect(r.stdout).toContain(
      'Connectivity changes (namespaces: default; ports: TCP/80):\n  default/xwing -> default/deathstar TCP/80: allowed -> denied (ingress)\n',
    );
    expect(ctx.cluster.state).toBe(state);
  });

  it('reports a rejected object on stderr as kubectl does, exit status 1', () => {
    const ctx = session();

    const r = dryRunReport(ctx.cluster, {
      apply: manifest('sw_l3_l4_policy.yaml').replace('protocol: TCP', 'protocol: TCPX'),
      file: 'bad.yaml',
    });

    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /^Error from server \(BadRequest\): error when creating "bad.yaml": CiliumNetworkPolicy default\/rule1: spec.ingress\[0\].toPorts\[0\].ports\[0\].protocol: /,
    );
  });
});
