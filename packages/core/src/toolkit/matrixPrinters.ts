import type { ConnectivityMatrix, MatrixCell } from './matrix.ts';

/**
 * Printers of the connectivity matrix. `table` follows the truth tables of Kubernetes
 * network-policy tooling (policy-assistant, formerly Cyclonus): per port a header line, then
 * Ingress, Egress and Combined tables with sources as rows and destinations as (upper-cased)
 * columns; `.` allowed, `X` denied, `#` the pod itself (no policy applies inside a pod).
 */
export type MatrixFormat = 'table' | 'json' | 'csv';
export const MATRIX_FORMATS: readonly MatrixFormat[] = ['table', 'json', 'csv'];

export function printMatrix(m: ConnectivityMatrix, format: MatrixFormat): string {
  switch (format) {
    case 'table':
      return matrixTable(m);
    case 'json':
      return matrixJson(m);
    case 'csv':
      return matrixCsv(m);
  }
}

type Direction = 'ingress' | 'egress' | 'combined';
const DIRECTIONS: readonly [Direction, string][] = [
  ['ingress', 'Ingress'],
  ['egress', 'Egress'],
  ['combined', 'Combined'],
];

export function matrixTable(m: ConnectivityMatrix): string {
  const blocks = m.ports.map((p) => {
    const cells = m.cells.filter((c) => c.port === p.port && c.protocol === p.protocol);
    const tables = DIRECTIONS.map(([dir, title]) => `${title}:\n${asciiTable(m, cells, dir)}`);
    return `probe on port ${p.port}, protocol ${p.protocol}\n${tables.join('\n')}`;
  });
  return blocks.join('\n');
}

function mark(c: MatrixCell | undefined, dir: Direction): string {
  if (c === undefined) return '?';
  if (c.self) return '#';
  return c[dir] ? '.' : 'X';
}

function asciiTable(m: ConnectivityMatrix, cells: readonly MatrixCell[], dir: Direction): string {
  const names = m.peers.map((p) => p.name);
  const byPair = new Map(cells.map((c) => [`${c.source}\u0000${c.destination}`, c]));
  const rows = [
    ['', ...names.map((n) => n.toUpperCase())],
    ...names.map((src) => [src, ...names.map((dst) => mark(byPair.get(`${src}\u0000${dst}`), dir))]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (r: readonly string[]): string => `| ${r.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [rule, line(rows[0]!), rule, ...rows.slice(1).map(line), rule, ''].join('\n');
}

export function matrixJson(m: ConnectivityMatrix): string {
  return `${JSON.stringify({ by: m.by, peers: m.peers, ports: m.ports, cells: m.cells }, null, 2)}\n`;
}

export function matrixCsv(m: ConnectivityMatrix): string {
  const verdict = (c: MatrixCell, dir: Direction): string => (c.self ? 'self' : c[dir] ? 'allowed' : 'denied');
  const lines = m.cells.map((c) =>
    [c.source, c.destination, String(c.port), c.protocol, verdict(c, 'ingress'), verdict(c, 'egress'), verdict(c, 'combined')]
      .map(csvField)
      .join(','),
  );
  return `${['source', 'destination', 'port', 'protocol', 'ingress', 'egress', 'combined'].join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
}

function csvField(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
