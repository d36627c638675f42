import type { Flow } from '@cilium-sim/core';
import { hostColumns, identityColumn, summaryColumn, timestampColumn, typeColumn, verdictColumn } from './flowColumns.ts';
import type { PrintOptions } from './printOptions.ts';

/** The parts of a compact line, as the playground's flow table shows them in cells. */
export interface CompactCells {
  readonly time: string;
  readonly source: string;
  readonly sourceIdentity: string;
  /** `->` for a packet in the original direction, `<-` for a reply, `<>` when Hubble does not know. */
  readonly arrow: '->' | '<-' | '<>';
  readonly destination: string;
  readonly destinationIdentity: string;
  readonly type: string;
  readonly verdict: string;
  readonly summary: string;
}

/** A reply's two sides are swapped so the line reads client <- server. */
export function compactCells(flow: Flow, opts: PrintOptions): CompactCells {
  const [src, dst] = hostColumns(flow, opts);
  const srcId = identityColumn(flow.source?.identity);
  const dstId = identityColumn(flow.destination?.identity);
  const cells = {
    time: timestampColumn(flow, opts),
    type: typeColumn(flow),
    verdict: verdictColumn(flow, opts),
    summary: summaryColumn(flow),
  };
  if (flow.is_reply === undefined)
    return { ...cells, source: src, sourceIdentity: srcId, arrow: '<>', destination: dst, destinationIdentity: dstId };
  if (flow.is_reply) return { ...cells, source: dst, sourceIdentity: dstId, arrow: '<-', destination: src, destinationIdentity: srcId };
  return { ...cells, source: src, sourceIdentity: srcId, arrow: '->', destination: dst, destinationIdentity: dstId };
}

/**
 * One `hubble observe` line (the default compact output), newline included:
 * `Jul  4 17:58:28.795: default/a:54312 (ID:39239) <> default/b:3000 (ID:17947) Policy denied DROPPED (TCP Flags: SYN)`.
 */
export function compactLine(flow: Flow, opts: PrintOptions): string {
  const c = compactCells(flow, opts);
  const node = opts.nodeName ? ` [${flow.node_name}]` : '';
  return `${c.time}${node}: ${c.source} ${c.sourceIdentity} ${c.arrow} ${c.destination} ${c.destinationIdentity} ${c.type} ${c.verdict} (${c.summary})\n`;
}

export function printCompact(flows: readonly Flow[], opts: PrintOptions): string {
  return flows.map((f) => compactLine(f, opts)).join('');
}
