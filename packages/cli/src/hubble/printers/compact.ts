import type { Flow } from '@cilium-sim/core';
import { hostColumns, identityColumn, summaryColumn, timestampColumn, typeColumn, verdictColumn } from './flowColumns.ts';
import type { PrintOptions } from './printOptions.ts';

/**
 * One `hubble observe` line (the default compact output), newline included:
 * `Jul  4 17:58:28.795: default/a:54312 (ID:39239) <> default/b:3000 (ID:17947) Policy denied DROPPED (TCP Flags: SYN)`.
 * The arrow is `->` for a packet in the original direction, `<-` for a reply (the two sides
 * are swapped so the line reads client <- server), `<>` when Hubble does not know.
 */
export function compactLine(flow: Flow, opts: PrintOptions): string {
  let [src, dst] = hostColumns(flow, opts);
  let srcId = identityColumn(flow.source?.identity);
  let dstId = identityColumn(flow.destination?.identity);
  let arrow = '->';
  if (flow.is_reply === undefined) arrow = '<>';
  else if (flow.is_reply) {
    [src, dst] = [dst, src];
    [srcId, dstId] = [dstId, srcId];
    arrow = '<-';
  }
  const node = opts.nodeName ? ` [${flow.node_name}]` : '';
  return `${timestampColumn(flow, opts)}${node}: ${src} ${srcId} ${arrow} ${dst} ${dstId} ${typeColumn(flow)} ${verdictColumn(flow, opts)} (${summaryColumn(flow)})\n`;
}

export function printCompact(flows: readonly Flow[], opts: PrintOptions): string {
  return flows.map((f) => compactLine(f, opts)).join('');
}
