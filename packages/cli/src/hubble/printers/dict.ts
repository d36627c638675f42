import type { Flow } from '@cilium-sim/core';
import { hostColumns, summaryColumn, timestampColumn, typeColumn, verdictColumn } from './flowColumns.ts';
import type { PrintOptions } from './printOptions.ts';

const SEPARATOR = '------------';

function dictEntry(flow: Flow, opts: PrintOptions): string {
  const [src, dst] = hostColumns(flow, opts);
  const lines = [`  TIMESTAMP: ${timestampColumn(flow, opts)}`];
  if (opts.nodeName) lines.push(`       NODE: ${flow.node_name}`);
  lines.push(
    `     SOURCE: ${src}`,
    `DESTINATION: ${dst}`,
    `       TYPE: ${typeColumn(flow)}`,
    `    VERDICT: ${verdictColumn(flow, opts)}`,
    `    SUMMARY: ${summaryColumn(flow)}`,
  );
  return lines.map((l) => `${l}\n`).join('');
}

/** `-o dict`: one block of right-aligned keys per flow, blocks separated by `------------`. */
export function printDict(flows: readonly Flow[], opts: PrintOptions): string {
  return flows.map((f, i) => (i === 0 ? '' : `${SEPARATOR}\n`) + dictEntry(f, opts)).join('');
}
