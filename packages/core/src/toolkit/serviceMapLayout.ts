import type { ServiceMap, ServiceMapNode } from './serviceMap.ts';
import { cmp } from './matrix.ts';
import { edgeLines } from './serviceMapText.ts';

/**
 * A layered layout for the SVG service map: each node's column is the length of the longest
 * edge path leading to it (clients left, servers right; cycles are cut at the node count), rows
 * within a column sorted by namespace, kind and name. Each line leaving or entering a box gets
 * its own slot on the box's side (boxes grow to fit), so labels placed at a line's start never
 * overlap. Sizes come from a fixed per-character width estimate, so the same map always gives
 * the same picture.
 */
export interface Box {
  readonly node: ServiceMapNode;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  readonly boxes: ReadonlyMap<string, Box>;
  readonly width: number;
  readonly height: number;
}

export const CHAR_WIDTH_PX = 7.5;
const BOX_HEIGHT = 44;
const SLOT_PX = 16;
const ROW_GAP = 40;
const COLUMN_GAP = 220;
const MARGIN = 40;
const KIND_ORDER = { workload: 0, service: 1, entity: 2, ip: 3 } as const;

export function layoutServiceMap(map: ServiceMap): Layout {
  const layer = layers(map);
  const columns: ServiceMapNode[][] = [];
  for (const n of map.nodes) (columns[layer.get(n.id)!] ??= []).push(n);
  const slots = slotCounts(map);
  const boxes = new Map<string, Box>();
  let x = MARGIN;
  let bottom = MARGIN;
  for (const column of columns.filter((c) => c !== undefined)) {
    column.sort(
      (a, b) => cmp(a.namespace ?? '\uffff', b.namespace ?? '\uffff') || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.name, b.name),
    );
    const width = Math.max(120, ...column.map((n) => Math.ceil(Math.max(title(n).length, subtitle(n).length) * CHAR_WIDTH_PX) + 24));
    let y = MARGIN;
    for (const node of column) {
      const height = Math.max(BOX_HEIGHT, (slots.get(node.id) ?? 0) * SLOT_PX + 12);
      boxes.set(node.id, { node, x, y, width, height });
      y += height + ROW_GAP;
    }
    bottom = Math.max(bottom, y);
    x += width + COLUMN_GAP;
  }
  return { boxes, width: Math.max(x - COLUMN_GAP + MARGIN, 260), height: bottom + MARGIN + 20 };
}

/** The most lines on one side of each box: lines leaving it, or lines entering it. */
function slotCounts(map: ServiceMap): Map<string, number> {
  const out = new Map<string, number>();
  const inn = new Map<string, number>();
  for (const l of edgeLines(map.edges)) {
    out.set(l.edge.from, (out.get(l.edge.from) ?? 0) + 1);
    inn.set(l.edge.to, (inn.get(l.edge.to) ?? 0) + 1);
  }
  return new Map(map.nodes.map((n) => [n.id, Math.max(out.get(n.id) ?? 0, inn.get(n.id) ?? 0)]));
}

function layers(map: ServiceMap): Map<string, number> {
  const layer = new Map(map.nodes.map((n) => [n.id, 0]));
  const limit = map.nodes.length;
  for (let round = 0; round < limit; round++) {
    let changed = false;
    for (const e of map.edges) {
      if (e.from === e.to) continue;
      const next = layer.get(e.from)! + 1;
      if (next < limit && next > layer.get(e.to)!) {
        layer.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}

/** The box's first line: the node's name (`svc` marks a Service). */
export function title(n: ServiceMapNode): string {
  return n.kind === 'service' ? `svc ${n.name}` : n.name;
}

/** The box's second line: namespace, or what kind of peer it is. */
export function subtitle(n: ServiceMapNode): string {
  if (n.namespace !== undefined) return n.namespace;
  return n.kind === 'entity' ? 'entity' : 'address';
}
