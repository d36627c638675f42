import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flowToJson } from '../../src/hubble/flowJson.ts';
import { parseFlowExport } from '../../src/hubble/flowExport.ts';
import { replayFlows } from '../../src/toolkit/replayFlows.ts';
import { flowChangeLine } from '../../src/toolkit/whatIfPrinter.ts';
import { land, manifest, starWars } from './starWars.ts';

// `cilium-sim replay`: a Hubble export replayed against candidate policies. Two exports: one the
// simulator recorded (printed as `hubble observe -o json` prints), and one written by hand in
// the exact shape a Cilium 1.16 cluster's Hubble prints (envelopes, node_status and lost_events
// lines, 64-bit integers as strings, policies without `kind`).
const FIXTURES = new URL('./fixtures/', import.meta.url);
const EXPORT = readFileSync(new URL('hubble-export.jsonl', FIXTURES), 'utf8');
const SHOP = readFileSync(new URL('shop-policies.yaml', FIXTURES), 'utf8');

describe('replaying a Hubble export against candidate policies', () => {
  it('reads the flows of `hubble observe -o json`, skipping node_status and lost_events lines', () => {
    const { flows, issues } = parseFlowExport(EXPORT);

    expect(issues).toEqual([]);
    expect(flows).toHaveLength(6);
    expect(flows[0]?.source?.pod_name).toBe('frontend-5d8f7c9b4-x2k8p');
    expect(flows[2]?.l7?.latency_ns).toBe(412000);
    expect(flows[2]?.node_name).toBe('kind-worker');
  });

  it('lists exactly the recorded connections a tighter policy flips, with the policy that decides', () => {
    const report = replayFlows(parseFlowExport(EXPORT).flows, SHOP);

    expect(report.rebuilt).toEqual({ namespaces: 2, pods: 3, names: 1 });
    expect(report.results.map((r) => r.ok)).toEqual([true, true]);
    expect(report.changes.map(flowChangeLine)).toEqual([
      'monitoring/prometheus -> shop/backend TCP/9090 1 connection: FORWARDED -> DROPPED (recorded FORWARDED), decided by CiliumNetworkPolicy shop/backend: ingress default deny, no rule allows it',
    ]);
  });

  it("learns outside names only through the candidate's DNS rules, as toFQDNs does", () => {
    const withoutDns = SHOP.replace(
      / {4}- toEndpoints:\n {8}- matchLabels:\n {12}k8s:io.kubernetes.pod.namespace: kube-system[\s\S]*?matchPattern: "\*"\n/,
      '',
    );

    const report = replayFlows(parseFlowExport(EXPORT).flows, withoutDns);

    expect(report.changes.map((c) => `${c.source} -> ${c.destination} ${c.protocol}/${c.port}: ${c.after}`)).toEqual([
      'shop/frontend -> world TCP/443: DROPPED',
      'monitoring/prometheus -> shop/backend TCP/9090: DROPPED',
    ]);
  });

  it('reads the bare flows of hubble 0.10 (and HUBBLE_COMPAT=legacy-json-output) alike', () => {
    const bare = EXPORT.split('\n')
      .filter((l) => l.includes('"flow"'))
      .map((l) => JSON.stringify(JSON.parse(l).flow))
      .join('\n');

    expect(replayFlows(parseFlowExport(bare).flows, SHOP).changes).toEqual(replayFlows(parseFlowExport(EXPORT).flows, SHOP).changes);
  });

  it('replays an export the simulator recorded: rule1 flips the xwing landing only', () => {
    const cluster = starWars();
    land(cluster, 'tiefighter');
    land(cluster, 'xwing');
    const exported = cluster
      .flows()
      .map((f) => JSON.stringify({ flow: flowToJson(f), node_name: f.node_name, time: f.time }))
      .join('\n');

    const report = replayFlows(parseFlowExport(exported).flows, manifest('sw_l3_l4_policy.yaml'));

    expect(report.changes.map(flowChangeLine)).toEqual([
      'default/xwing -> default/deathstar TCP/80 1 connection: FORWARDED -> DROPPED (recorded FORWARDED), decided by CiliumNetworkPolicy default/rule1: ingress default deny, no rule allows it',
    ]);
  });

  it("names the lines that are not Hubble's JSON", () => {
    const { flows, issues } = parseFlowExport(`${EXPORT.split('\n')[0]}\nnot json\n{"verdict":"MAYBE"}\n`);

    expect(flows).toHaveLength(1);
    expect(issues.map((i) => i.line)).toEqual([2, 3]);
    expect(issues[1]?.message).toBe('no flow here: expected {"flow": {...}} or a flow with a verdict (got "MAYBE")');
  });
});
