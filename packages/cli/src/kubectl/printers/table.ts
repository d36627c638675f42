import { type CiliumVersion, k8s, tabwriteText as tabwrite } from '@cilium-sim/core';
import type { KubeObject } from '../objects.ts';
import type { ResourceType } from '../resources.ts';
import { kindPrefix } from '../resources.ts';
import { columnCell } from './columnCell.ts';

export interface TableOptions {
  readonly wide: boolean;
  readonly showLabels: boolean;
  readonly noHeaders: boolean;
  /** `-A`: a NAMESPACE column first (namespaced types only). */
  readonly allNamespaces: boolean;
  /** Several types in one command: names print as `pod/xwing`, `service/deathstar`. */
  readonly withKind: boolean;
  /** The cluster's Cilium version, whose CRDs declare the columns of its kinds; the newest when absent. */
  readonly ciliumVersion?: CiliumVersion;
  /** The virtual clock, epoch ms, for AGE. */
  readonly nowMs: number;
  /** The objects come in the order to print (`--sort-by`), not to be put in list order. */
  readonly ordered?: boolean;
}

/** kubectl's tabwriter: minimal width 6, padding 3, so columns are at least 3 spaces apart. */
const KUBECTL_TABWRITER = { minWidth: 6, padding: 3 } as const;

/**
 * One type's `kubectl get` table, newline-terminated; '' when there are no objects (kubectl
 * prints no header then). The columns are the registry's (core's k8s/kinds.ts) as the cluster's
 * Cilium version declares them, the wide-only ones with `-o wide`; rows are in the API server's list order: namespace, then name.
 */
export function printTable(type: ResourceType, objects: readonly KubeObject[], options: TableOptions): string {
  if (objects.length === 0) return '';
  const cols = k8s.columnsIn(type.columns, options.ciliumVersion).filter((c) => options.wide || (c.priority ?? 0) === 0);
  const ctx = { nowMs: options.nowMs, wide: options.wide };
  const withNamespace = options.allNamespaces && type.namespaced;
  const header = [
    ...(withNamespace ? ['NAMESPACE'] : []),
    ...cols.map((c) => c.name.toUpperCase()),
    ...(options.showLabels ? ['LABELS'] : []),
  ];
  const rows = (options.ordered === true ? objects : sortByListOrder(objects)).map((o) => {
    const cells = cols.map((c) => sanitize(columnCell(c, o, ctx)));
    if (options.withKind) cells[0] = `${kindPrefix(type)}/${cells[0]}`;
    return [
      ...(withNamespace ? [o.metadata.namespace ?? ''] : []),
      ...cells,
      ...(options.showLabels ? [k8s.formatLabels(o.metadata.labels)] : []),
    ];
  });
  const lines = options.noHeaders ? rows : [header, ...rows];
  return tabwrite(lines.map((cells) => `${cells.join('\t')}\n`).join(''), KUBECTL_TABWRITER);
}

/** etcd lists keys in byte order: /registry/<type>/<namespace>/<name>. */
export function sortByListOrder<T extends KubeObject>(objects: readonly T[]): T[] {
  const key = (o: KubeObject): string => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
  return [...objects].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A tab or newline inside a cell would break the table; kubectl cuts the cell there and adds `...`. */
function sanitize(cell: string): string {
  const cut = cell.search(/[\n\r\f]/);
  const text = cut === -1 ? cell : `${cell.slice(0, cut)}...`;
  return text.replace(/\t/g, ' ');
}
