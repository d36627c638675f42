import { type Cluster, type ConnectivityMatrix, connectivityMatrix } from '@cilium-sim/core';
import { element } from './element.ts';

/** Namespaces of the platform itself, left out of the matrix as `cilium-sim matrix -A` would swamp them. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage', 'cilium-spire']);

/**
 * The connectivity matrix of `cilium-sim matrix`: for every port the workloads listen on, can
 * each source reach each destination under the current policy maps (ingress and egress
 * together; the cell's title tells them apart). One table per port.
 */
export class MatrixPane {
  private readonly body: HTMLElement;

  constructor(host: HTMLElement) {
    this.body = element('div', { class: 'scroll matrix', id: 'matrix' });
    host.append(this.body);
  }

  update(cluster: Cluster): void {
    const namespaces = cluster
      .list('Namespace')
      .map((n) => n.metadata.name)
      .filter((n) => !SYSTEM_NAMESPACES.has(n));
    const m = connectivityMatrix(cluster, { namespaces });
    if (m.peers.length === 0) {
      this.body.replaceChildren(element('p', {}, 'No pods outside the system namespaces yet.'));
      return;
    }
    this.body.replaceChildren(...m.ports.map((p) => table(m, p.port, p.protocol)));
  }
}

function table(m: ConnectivityMatrix, port: number, protocol: string): HTMLTableElement {
  const name = (i: number): string => m.peers[i]!.name;
  const cells = new Map(m.cells.filter((c) => c.port === port && c.protocol === protocol).map((c) => [`${c.source}|${c.destination}`, c]));
  const header = element(
    'tr',
    {},
    element('th', { scope: 'col' }, 'from \\ to'),
    ...m.peers.map((_, i) => element('th', { scope: 'col' }, name(i))),
  );
  const rows = m.peers.map((src, i) =>
    element(
      'tr',
      {},
      element('th', { scope: 'row' }, name(i)),
      ...m.peers.map((dst, j) => {
        const c = cells.get(`${src.name}|${dst.name}`);
        if (c === undefined) return element('td', {}, '?');
        const verdict = c.self ? 'self' : c.combined ? 'allowed' : 'denied';
        const title = `${name(i)} to ${name(j)} on ${port}/${protocol}: ${verdict} (egress ${c.egress ? 'allowed' : 'denied'}, ingress ${c.ingress ? 'allowed' : 'denied'})`;
        return element('td', { class: verdict, title, 'aria-label': title }, c.self ? '·' : c.combined ? '✓' : '✗');
      }),
    ),
  );
  return element(
    'table',
    {},
    element('caption', {}, `Port ${port}/${protocol}`),
    element('thead', {}, header),
    element('tbody', {}, ...rows),
  );
}
