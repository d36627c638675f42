import type { ServiceMap, ServiceMapNode } from './serviceMap.ts';
import { COLORS, edgeLines } from './serviceMapText.ts';

/**
 * The service map as a Mermaid flowchart (left to right): a subgraph per namespace, Services as
 * stadiums, entities as hexagons; forwarded edges green, dropped edges dashed red (`linkStyle`),
 * Service-to-backend links dotted grey.
 */
export function serviceMapMermaid(map: ServiceMap): string {
  const ids = new Map(map.nodes.map((n, i) => [n.id, `n${i}`]));
  const out = ['flowchart LR'];
  const namespaces = [...new Set(map.nodes.flatMap((n) => (n.namespace === undefined ? [] : [n.namespace])))];
  namespaces.forEach((ns, i) => {
    out.push(`  subgraph ns${i}["${text(ns)}"]`);
    for (const n of map.nodes.filter((x) => x.namespace === ns)) out.push(`    ${ids.get(n.id)!}${shape(n)}`);
    out.push('  end');
  });
  for (const n of map.nodes.filter((x) => x.namespace === undefined)) out.push(`  ${ids.get(n.id)!}${shape(n)}`);
  const styles: string[] = [];
  edgeLines(map.edges).forEach((l, i) => {
    const arrow = l.style === 'forwarded' ? '-->' : l.style === 'dropped' ? '-.->' : '-.-';
    out.push(`  ${ids.get(l.edge.from)!} ${arrow}|"${text(l.label)}"| ${ids.get(l.edge.to)!}`);
    const dash = l.style === 'forwarded' ? '' : ',stroke-dasharray:5 5';
    styles.push(
      `  linkStyle ${i} stroke:${COLORS[l.style]},stroke-width:${l.style === 'backend' ? 1 : 2}px,color:${COLORS[l.style]}${dash}`,
    );
  });
  return `${[...out, ...styles].join('\n')}\n`;
}

function shape(n: ServiceMapNode): string {
  const label = n.kind === 'service' ? `svc ${n.name}` : n.name;
  if (n.kind === 'service') return `(["${text(label)}"])`;
  if (n.kind === 'entity') return `{{"${text(label)}"}}`;
  return `["${text(label)}"]`;
}

/** Mermaid labels are quoted; a quote inside becomes its HTML entity. */
function text(s: string): string {
  return s.replace(/"/g, '#quot;');
}
