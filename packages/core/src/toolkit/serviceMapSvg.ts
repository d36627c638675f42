import type { ServiceMap, ServiceMapNode } from './serviceMap.ts';
import { layoutServiceMap, subtitle, title, type Box } from './serviceMapLayout.ts';
import { COLORS, edgeLines, type EdgeLine, type LineStyle } from './serviceMapText.ts';

/**
 * The service map as a self-contained SVG document (no scripts, fonts or external references):
 * boxes in layers, green arrows for forwarded connections, red dashed arrows for dropped ones,
 * dotted grey links from Services to their backends, each labelled with port and counts.
 */
export function serviceMapSvg(map: ServiceMap): string {
  const layout = layoutServiceMap(map);
  const lines = edgeLines(map.edges);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="Helvetica, Arial, sans-serif">`,
    '  <title>cilium-sim service map</title>',
    `  <defs>${(['forwarded', 'dropped'] as const).map(marker).join('')}</defs>`,
    `  <rect width="100%" height="100%" fill="#ffffff"/>`,
    ...lines.map((l, i) => edge(l, layout.boxes, slotOf(lines, i, layout.boxes))),
    ...[...layout.boxes.values()].map(box),
    legend(layout.height),
    '</svg>',
  ];
  return `${out.join('\n')}\n`;
}

function marker(style: LineStyle): string {
  return `<marker id="arrow-${style}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${COLORS[style]}"/></marker>`;
}

const NODE_COLORS: Readonly<Record<ServiceMapNode['kind'], { fill: string; stroke: string }>> = {
  workload: { fill: '#e8f1fb', stroke: '#4a78b5' },
  service: { fill: '#fff5e6', stroke: '#d08a1e' },
  entity: { fill: '#f2f2f2', stroke: '#777777' },
  ip: { fill: '#f2f2f2', stroke: '#777777' },
};

function box(b: Box): string {
  const c = NODE_COLORS[b.node.kind];
  const cx = b.x + b.width / 2;
  return [
    `  <g class="node ${b.node.kind}" data-id="${attr(b.node.id)}">`,
    `    <rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="${b.node.kind === 'service' ? 22 : 6}" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.5"/>`,
    `    <text x="${cx}" y="${b.y + 19}" text-anchor="middle" font-size="13" font-weight="bold" fill="#1a1a1a">${xml(title(b.node))}</text>`,
    `    <text x="${cx}" y="${b.y + 35}" text-anchor="middle" font-size="10" fill="#555555">${xml(subtitle(b.node))}</text>`,
    '  </g>',
  ].join('\n');
}

interface Slot {
  readonly out: number;
  readonly outOf: number;
  readonly in: number;
  readonly inOf: number;
}

/**
 * Line i's place among the lines leaving its source and among those entering its target,
 * ordered by the height of the other end so that lines of one box do not cross each other.
 */
function slotOf(lines: readonly EdgeLine[], i: number, boxes: ReadonlyMap<string, Box>): Slot {
  const { from, to } = lines[i]!.edge;
  const y = (id: string): number => boxes.get(id)!.y;
  const byOther =
    (end: (l: EdgeLine) => string) =>
    (p: EdgeLine, q: EdgeLine): number =>
      y(end(p)) - y(end(q)) || lines.indexOf(p) - lines.indexOf(q);
  const leaving = lines.filter((l) => l.edge.from === from).sort(byOther((l) => l.edge.to));
  const entering = lines.filter((l) => l.edge.to === to).sort(byOther((l) => l.edge.from));
  return { out: leaving.indexOf(lines[i]!), outOf: leaving.length, in: entering.indexOf(lines[i]!), inOf: entering.length };
}

function edge(l: EdgeLine, boxes: ReadonlyMap<string, Box>, slot: Slot): string {
  const a = boxes.get(l.edge.from)!;
  const b = boxes.get(l.edge.to)!;
  const forward = b.x > a.x;
  const at = (box: Box, i: number, of: number): number => box.y + (box.height * (i + 1)) / (of + 1);
  const along = (box: Box, i: number, of: number): number => box.x + (box.width * (i + 1)) / (of + 1);
  // Forward edges leave the right side and enter the left; others loop below both boxes.
  const [x1, y1] = forward ? [a.x + a.width, at(a, slot.out, slot.outOf)] : [along(a, slot.out, slot.outOf), a.y + a.height];
  const [x4, y4] = forward ? [b.x, at(b, slot.in, slot.inOf)] : [along(b, slot.in, slot.inOf), b.y + b.height];
  const bend = forward ? Math.max(40, (x4 - x1) / 2) : 40 + 14 * slot.out;
  const [x2, y2, x3, y3] = forward ? [x1 + bend, y1, x4 - bend, y4] : [x1, y1 + bend, x4, y4 + bend];
  // Forward labels sit just after the line's own start slot, so labels of one box never collide.
  const [lx, ly, anchor] = forward
    ? [x1 + 8, y1 - 3, 'start']
    : [(x1 + 3 * x2 + 3 * x3 + x4) / 8, (y1 + 3 * y2 + 3 * y3 + y4) / 8 + 12, 'middle'];
  const dash = l.style === 'forwarded' ? '' : ` stroke-dasharray="${l.style === 'dropped' ? '6 4' : '2 3'}"`;
  const arrow = l.style === 'backend' ? '' : ` marker-end="url(#arrow-${l.style})"`;
  return [
    `  <g class="edge ${l.style}" data-from="${attr(l.edge.from)}" data-to="${attr(l.edge.to)}">`,
    `    <title>${xml(`${l.edge.from} -> ${l.edge.to} ${l.label}`)}</title>`,
    `    <path d="M ${n(x1)} ${n(y1)} C ${n(x2)} ${n(y2)}, ${n(x3)} ${n(y3)}, ${n(x4)} ${n(y4)}" fill="none" stroke="${COLORS[l.style]}" stroke-width="${l.style === 'backend' ? 1.2 : 2}"${dash}${arrow}/>`,
    `    <text x="${n(lx)}" y="${n(ly)}" text-anchor="${anchor}" font-size="10" fill="${COLORS[l.style]}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${xml(l.label)}</text>`,
    '  </g>',
  ].join('\n');
}

function legend(height: number): string {
  const y = height - 24;
  const item = (x: number, style: LineStyle, label: string): string =>
    `<line x1="${x}" y1="${y}" x2="${x + 30}" y2="${y}" stroke="${COLORS[style]}" stroke-width="2"${style === 'dropped' ? ' stroke-dasharray="6 4"' : ''}/><text x="${x + 36}" y="${y + 4}" font-size="11" fill="#333333">${label}</text>`;
  return `  <g class="legend">${item(40, 'forwarded', 'forwarded')}${item(150, 'dropped', 'dropped')}</g>`;
}

function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return xml(s).replace(/"/g, '&quot;');
}
