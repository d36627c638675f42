import type { ServiceMap, ServiceMapNode } from './serviceMap.ts';
import { COLORS, edgeLines } from './serviceMapText.ts';

/**
 * The service map in Graphviz DOT: a cluster per namespace, forwarded edges green, dropped
 * edges red and dashed, Service-to-backend edges dotted grey. `dot -Tsvg` renders it.
 */
export function serviceMapDot(map: ServiceMap): string {
  const out = [
    'digraph "service-map" {',
    '  rankdir=LR;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  const namespaces = [...new Set(map.nodes.flatMap((n) => (n.namespace === undefined ? [] : [n.namespace])))];
  for (const ns of namespaces) {
    out.push(`  subgraph ${q(`cluster_${ns}`)} {`, `    label=${q(ns)};`);
    for (const n of map.nodes.filter((x) => x.namespace === ns)) out.push(`    ${node(n)}`);
    out.push('  }');
  }
  for (const n of map.nodes.filter((x) => x.namespace === undefined)) out.push(`  ${node(n)}`);
  for (const l of edgeLines(map.edges)) {
    const style = l.style === 'forwarded' ? 'solid' : l.style === 'dropped' ? 'dashed' : 'dotted';
    const color = COLORS[l.style];
    out.push(
      `  ${q(l.edge.from)} -> ${q(l.edge.to)} [label=${q(l.label)}, color=${q(color)}, fontcolor=${q(color)}, style=${style}${l.style === 'backend' ? ', arrowhead=none' : ''}];`,
    );
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

function node(n: ServiceMapNode): string {
  if (n.kind === 'service') return `${q(n.id)} [label=${q(`svc ${n.name}`)}, shape=ellipse];`;
  if (n.kind === 'entity') return `${q(n.id)} [label=${q(n.name)}, shape=hexagon];`;
  return `${q(n.id)} [label=${q(n.name)}];`;
}

/** A DOT double-quoted ID. */
function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
