// The SVG check renders the map in Debian's chromium, which .ci/run installs (apt-get install
// chromium) before the tests; a machine without it fails the check rather than skipping it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceMap } from '../../src/toolkit/serviceMap.ts';
import { printServiceMap } from '../../src/toolkit/serviceMapPrinters.ts';
import { land, manifest, starWars } from './starWars.ts';

function afterTheDrop() {
  const cluster = starWars();
  expect(land(cluster, 'tiefighter')).toBe(200);
  cluster.apply(manifest('sw_l3_l4_policy.yaml'));
  expect(land(cluster, 'xwing')).toBe('timeout');
  return cluster;
}

describe('service map', () => {
  it('has a dropped edge from xwing to the deathstar Service after the drop', () => {
    const map = serviceMap(afterTheDrop());

    const toDeathstar = map.edges.filter((e) => e.to === 'svc:default/deathstar');

    expect(toDeathstar.map((e) => [e.from, `${e.protocol}/${e.port}`, e.forwarded, e.dropped])).toEqual([
      ['default/tiefighter', 'TCP/80', 1, 0],
      ['default/xwing', 'TCP/80', 0, 1],
    ]);
    expect(map.edges).toContainEqual({
      from: 'svc:default/deathstar',
      to: 'default/deathstar',
      kind: 'backend',
      port: 80,
      protocol: 'TCP',
      forwarded: 0,
      dropped: 0,
    });
  });

  it('groups pods into workloads and draws kube-dns as a Service', () => {
    const map = serviceMap(afterTheDrop());

    expect(map.nodes.map((n) => `${n.kind} ${n.id}`)).toEqual([
      'workload default/deathstar',
      'workload default/tiefighter',
      'workload default/xwing',
      'workload kube-system/coredns',
      'service svc:default/deathstar',
      'service svc:kube-system/kube-dns',
    ]);
  });

  it('counts a connection whose HTTP request the proxy denied as dropped', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_l7_policy.yaml'));
    cluster.exec('default/tiefighter').curl({ url: 'http://deathstar/v1/exhaust-port', method: 'PUT' });

    const edge = serviceMap(cluster).edges.find((e) => e.from === 'default/tiefighter' && e.to === 'svc:default/deathstar');

    expect(edge).toMatchObject({ forwarded: 0, dropped: 1 });
  });

  it('renders Mermaid with the dropped link dashed and red', () => {
    const text = printServiceMap(serviceMap(afterTheDrop(), { namespace: 'default' }), 'mermaid');

    expect(text).toMatchInlineSnapshot(`
      "flowchart LR
        subgraph ns0["default"]
          n0["deathstar"]
          n1["tiefighter"]
          n2["xwing"]
          n4(["svc deathstar"])
        end
        subgraph ns1["kube-system"]
          n3["coredns"]
          n5(["svc kube-dns"])
        end
        n1 -->|"TCP/80: 1 forwarded"| n4
        n1 -->|"UDP/53: 4 forwarded"| n5
        n2 -.->|"TCP/80: 1 dropped"| n4
        n2 -->|"UDP/53: 4 forwarded"| n5
        n4 -.-|"TCP/80"| n0
        n5 -.-|"UDP/53"| n3
        linkStyle 0 stroke:#2ca02c,stroke-width:2px,color:#2ca02c
        linkStyle 1 stroke:#2ca02c,stroke-width:2px,color:#2ca02c
        linkStyle 2 stroke:#d62728,stroke-width:2px,color:#d62728,stroke-dasharray:5 5
        linkStyle 3 stroke:#2ca02c,stroke-width:2px,color:#2ca02c
        linkStyle 4 stroke:#7f7f7f,stroke-width:1px,color:#7f7f7f,stroke-dasharray:5 5
        linkStyle 5 stroke:#7f7f7f,stroke-width:1px,color:#7f7f7f,stroke-dasharray:5 5
      "
    `);
  });

  it('renders Graphviz DOT with the dropped edge red and dashed', () => {
    const dot = printServiceMap(serviceMap(afterTheDrop()), 'dot');

    expect(dot.startsWith('digraph "service-map" {\n  rankdir=LR;\n')).toBe(true);
    expect(dot).toContain(
      '"default/xwing" -> "svc:default/deathstar" [label="TCP/80: 1 dropped", color="#d62728", fontcolor="#d62728", style=dashed];',
    );
    expect(dot).toContain('subgraph "cluster_kube-system" {');
    expect(dot.endsWith('}\n')).toBe(true);
  });

  it('renders a well-formed, self-contained SVG with the dropped edge', () => {
    const svg = printServiceMap(serviceMap(afterTheDrop()), 'svg');

    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /);
    expect(svg).toContain('<g class="edge dropped" data-from="default/xwing" data-to="svc:default/deathstar">');
    expect(svg).toMatch(/<path [^>]*stroke="#d62728"[^>]*stroke-dasharray="6 4" marker-end="url\(#arrow-dropped\)"\/>/);
    expect(svg).not.toMatch(/<script|href=/);
  });

  it('draws the same picture for the same flows', () => {
    expect(printServiceMap(serviceMap(afterTheDrop()), 'svg')).toBe(printServiceMap(serviceMap(afterTheDrop()), 'svg'));
  });

  it('renders in a headless browser without XML errors', () => {
    const chromium = ['chromium', 'chromium-browser'].find((b) => spawnSync('which', [b]).status === 0);
    expect(chromium, 'Debian chromium is needed: apt-get install -y chromium').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'toolkit-svg-'));
    try {
      const file = join(dir, 'map.svg');
      writeFileSync(file, printServiceMap(serviceMap(afterTheDrop()), 'svg'));
      const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'];
      const dom = spawnSync(chromium!, [...flags, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000 });
      const shot = spawnSync(chromium!, [...flags, '--window-size=1200,400', `--screenshot=${join(dir, 'map.png')}`, `file://${file}`], {
        timeout: 60_000,
      });

      expect(dom.stdout).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
      expect(dom.stdout).not.toContain('parsererror');
      expect(shot.status).toBe(0);
      expect(readFileSync(join(dir, 'map.png')).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(join(dir, 'map.png')).size).toBeGreaterThan(5000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A small XML well-formedness check: balanced tags, quoted attributes, escaped text, one root. */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos);)/g;
  for (let m = token.exec(body); m !== null; m = token.exec(body)) {
    if (m[2] === undefined) {
      problems.push(`stray ${m[0]} at ${m.index}`);
      continue;
    }
    const [, closing, name, , selfClosing] = m;
    if (closing === '/') {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at ${m.index}`);
    } else if (selfClosing !== '/') {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
