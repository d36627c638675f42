import { tabwrite, type Flow } from '@cilium-sim/core';
import { hostColumns, summaryColumn, timestampColumn, typeColumn, verdictColumn } from './flowColumns.ts';
import type { PrintOptions } from './printOptions.ts';

/**
 * `-o table`: a header and one row per flow through a tabwriter (minwidth 2, padding 3). No
 * identities, no arrows. Prints nothing at all when there are no flows, as Hubble writes the
 * header together with the first flow.
 */
export function printTable(flows: readonly Flow[], opts: PrintOptions): string {
  if (flows.length === 0) return '';
  const header = ['TIMESTAMP', ...(opts.nodeName ? ['NODE'] : []), 'SOURCE', 'DESTINATION', 'TYPE', 'VERDICT', 'SUMMARY'];
  const rows = flows.map((f) => {
    const [src, dst] = hostColumns(f, opts);
    return [
      timestampColumn(f, opts),
      ...(opts.nodeName ? [f.node_name] : []),
      src,
      dst,
      typeColumn(f),
      verdictColumn(f, opts),
      summaryColumn(f),
    ];
  });
  return tabwrite([header, ...rows], { minWidth: 2, padding: 3 });
}
