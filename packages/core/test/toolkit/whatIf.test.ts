import { describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { connectivityMatrix } from '../../src/toolkit/matrix.ts';
import { whatIf } from '../../src/toolkit/whatIf.ts';
import { formatWhatIf } from '../../src/toolkit/whatIfPrinter.ts';
import { outcome as said } from '../k8s/fixtures.ts';
import { land, manifest, starWars } from './starWars.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

function snapshotOf(cluster: ReturnType<typeof starWars>) {
  return {
    state: cluster.state,
    flows: cluster.flows().length,
    nowNs: cluster.now().elapsedNs,
    revision: runtimeOf(cluster).policy.repository.revision,
    identities: cluster.inspect
      .identities()
      .map((i) => i.id)
      .join(','),
  };
}

describe('whatIf (dry run of a policy change)', () => {
  it('lists exactly xwing -> deathstar as flipping when rule1 would be applied', () => {
    const cluster = starWars();

    const report = whatIf(cluster, { apply: manifest('sw_l3_l4_policy.yaml') });

    expect(report.matrix.namespaces).toEqual(['default']);
    expect(report.matrix.flips.map((f) => `${f.source} -> ${f.destination} ${f.protocol}/${f.port}`)).toEqual([
      'default/xwing -> default/deathstar TCP/80',
    ]);
    expect(report.matrix.flips[0]!.before.combined).toBe(true);
    expect(report.matrix.flips[0]!.after).toEqual({ ingress: false, egress: true, combined: false });
  });

  it('changes nothing in the cluster', () => {
    const cluster = starWars();
    land(cluster, 'xwing');
    const before = snapshotOf(cluster);
    const matrixBefore = connectivityMatrix(cluster);

    whatIf(cluster, { apply: manifest('sw_l3_l4_policy.yaml') });

    const after = snapshotOf(cluster);
    expect(after.state).toBe(before.state);
    expect(after).toEqual(before);
    expect(connectivityMatrix(cluster)).toEqual(matrixBefore);
    expect(land(cluster, 'xwing')).toBe(200);
  });

  it("leaves the simulation's future as it was: later commands give the same results", () => {
    const later = (dryRun: boolean): string => {
      const cluster = starWars();
      if (dryRun) whatIf(cluster, { apply: manifest('sw_l3_l4_policy.yaml') });
      cluster.apply(manifest('sw_l3_l4_policy.yaml'));
      cluster.run('probe', 'nginx');
      land(cluster, 'tiefighter');
      return JSON.stringify({ objects: cluster.state.objects, flows: cluster.flows(), ids: cluster.inspect.identities() });
    };

    expect(later(true)).toBe(later(false));
  });

  it('reports the policy map entries rule1 would add to the deathstar identity', () => {
    const cluster = starWars();
    const deathstar = cluster.inspect.endpoints().find((e) => e.podName.startsWith('deathstar'))!.identity;
    const tiefighter = cluster.inspect.endpoint('default', 'tiefighter')!.identity;

    const report = whatIf(cluster, { apply: manifest('sw_l3_l4_policy.yaml') });

    expect(report.maps.map((m) => m.identity)).toEqual([deathstar]);
    expect(report.maps[0]!.enforcement).toEqual([{ direction: 'INGRESS', before: false, after: true }]);
    expect(report.maps[0]!.entries.map((e) => [e.change, e.key.identity, e.key.proto, e.key.port, e.after?.verdict])).toEqual(
      // The local host may always reach its endpoints once ingress is enforced (allow-localhost).
      [
        ['added', 1, 0, 0, 'allow'],
        ...[
          ['added', deathstar, 6, 80, 'allow'],
          ['added', tiefighter, 6, 80, 'allow'],
        ].sort((a, b) => (a[1] as number) - (b[1] as number)),
      ],
    );
  });

  it('replays observed traffic: the xwing landing would now be dropped, the tiefighter one not, and names the deciding policy', () => {
    const cluster = starWars();
    land(cluster, 'tiefighter');
    land(cluster, 'xwing');

    const report = whatIf(cluster, { apply: manifest('sw_l3_l4_policy.yaml') });

    expect(report.flows).toEqual([
      {
        source: 'default/xwing',
        destination: 'default/deathstar',
        protocol: 'TCP',
        port: 80,
        count: 1,
        recorded: 'FORWARDED',
        before: 'FORWARDED',
        after: 'DROPPED',
        decidedBy: ['CiliumNetworkPolicy default/rule1'],
        reason: 'ingress default deny, no rule allows it',
      },
    ]);
  });

  it('judges recorded HTTP requests against the L7 rules of the change', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_policy.yaml'));
    cluster.exec('default/tiefighter').curl({ url: 'http://deathstar/v1/exhaust-port', method: 'PUT' });
    // Without a proxy redirect Hubble sees no HTTP, so record L7 traffic under the L7 rule first.
    cluster.apply(manifest('sw_l3_l4_l7_policy.yaml'));
    cluster.exec('default/tiefighter').curl({ url: 'http://deathstar/v1/exhaust-port', method: 'PUT' });

    const report = whatIf(cluster, { apply: manifest('sw_l3_l4_policy.yaml') });

    expect(report.flows.map((f) => [f.request, f.recorded, f.before, f.after])).toEqual([
      ['PUT /v1/exhaust-port', 'DROPPED', 'DROPPED', 'FORWARDED'],
    ]);
  });

  it('prints a line per object (worded by the caller), then the changes', () => {
    const cluster = starWars();
    land(cluster, 'xwing');

    const out = formatWhatIf(whatIf(cluster, { apply: manifest('sw_l3_l4_policy.yaml') }), said);

    expect(out.stderr).toBe('');
    expect(out.stdout.replace(/\d{3,5} \(/g, 'ID (')).toMatchInlineSnapshot(`
      "CiliumNetworkPolicy default/rule1 created (server dry run)

      Policy map changes:
        identity ID (default/deathstar):
          ingress enforcement: off -> on
          + INGRESS from 1 (host) any protocol: allow
          + INGRESS from ID (default/deathstar) TCP/80: allow [CiliumNetworkPolicy default/rule1]
          + INGRESS from ID (default/tiefighter) TCP/80: allow [CiliumNetworkPolicy default/rule1]

      Connectivity changes (namespaces: default; ports: TCP/80):
        default/xwing -> default/deathstar TCP/80: allowed -> denied (ingress)

      Observed traffic whose verdict would change:
        default/xwing -> default/deathstar TCP/80 1 connection: FORWARDED -> DROPPED (recorded FORWARDED), decided by CiliumNetworkPolicy default/rule1: ingress default deny, no rule allows it
      "
    `);
  });

  it('reports a delete that would lift enforcement', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_policy.yaml'));

    const report = whatIf(cluster, { delete: manifest('sw_l3_l4_policy.yaml') });

    expect(report.results.map(said)).toEqual(['CiliumNetworkPolicy default/rule1 deleted']);
    expect(report.matrix.flips.map((f) => [f.source, f.destination, f.after.combined])).toEqual([
      ['default/xwing', 'default/deathstar', true],
    ]);
    expect(cluster.get('CiliumNetworkPolicy', 'rule1', 'default')).toBeDefined();
  });

  it('rejects an invalid policy as apply would, with nothing to compare', () => {
    const cluster = starWars();
    const bad = manifest('sw_l3_l4_policy.yaml').replace('port: "80"', 'port: "99999"');

    const report = whatIf(cluster, { apply: bad });

    expect(report.results).toHaveLength(1);
    const r = report.results[0]!;
    expect(!r.ok && r.error.code).toBe('INVALID_PORT');
    expect(!r.ok && r.error.path).toBe('spec.ingress[0].toPorts[0].ports[0].port');
    expect(report.changedPolicies).toEqual([]);
    expect(formatWhatIf(report, said)).toEqual({ stdout: '', stderr: `${said(r)}\n` });
  });

  it('says nothing changed when the policy is already there', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_policy.yaml'));

    const out = formatWhatIf(whatIf(cluster, { apply: manifest('sw_l3_l4_policy.yaml') }), said);

    expect(out.stdout).toBe('CiliumNetworkPolicy default/rule1 unchanged (server dry run)\n');
  });

  it('throws INVALID_YAML for text that is not YAML, before evaluating anything', () => {
    const cluster = starWars();
    let caught: unknown;
    try {
      whatIf(cluster, { apply: 'kind: [' });
    } catch (e) {
      caught = e;
    }
    expect(isSimError(caught) && caught.code).toBe('INVALID_YAML');
  });
});
