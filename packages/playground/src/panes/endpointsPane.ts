import { type Cluster, formatLabel } from '@cilium-sim/core';
import { element } from './element.ts';

/**
 * The endpoints and identities, as `cilium endpoint list` and `cilium identity list` show them:
 * each pod's endpoint (node, endpoint ID, identity, address, policy enforcement) and each
 * identity with its labels.
 */
export class EndpointsPane {
  private readonly endpoints: HTMLTableSectionElement;
  private readonly identities: HTMLTableSectionElement;

  constructor(host: HTMLElement) {
    this.endpoints = element('tbody');
    this.identities = element('tbody');
    const head = (...names: string[]): HTMLTableSectionElement =>
      element('thead', {}, element('tr', {}, ...names.map((n) => element('th', { scope: 'col' }, n))));
    host.append(
      element('h3', {}, 'Endpoints'),
      element(
        'div',
        { class: 'scroll endpoints' },
        element(
          'table',
          { id: 'endpoint-table' },
          head('Pod', 'Node', 'Endpoint', 'Identity', 'IPv4', 'Ingress', 'Egress'),
          this.endpoints,
        ),
      ),
      element('h3', {}, 'Identities'),
      element(
        'div',
        { class: 'scroll identities' },
        element('table', { id: 'identity-table' }, head('Identity', 'Labels'), this.identities),
      ),
    );
  }

  update(cluster: Cluster): void {
    const endpoints = [...cluster.inspect.endpoints()].sort((a, b) =>
      `${a.namespace}/${a.podName}`.localeCompare(`${b.namespace}/${b.podName}`),
    );
    this.endpoints.replaceChildren(
      ...endpoints.map((ep) => {
        const enforcement = cluster.inspect.enforcement(ep);
        return element(
          'tr',
          {},
          element('td', {}, `${ep.namespace}/${ep.podName}`),
          element('td', {}, ep.nodeName),
          element('td', {}, String(ep.id)),
          element('td', {}, String(ep.identity)),
          element('td', {}, ep.ip),
          element('td', {}, enforcement.ingress),
          element('td', {}, enforcement.egress),
        );
      }),
    );
    this.identities.replaceChildren(
      ...[...cluster.inspect.identities()]
        .sort((a, b) => a.id - b.id)
        .map((identity) =>
          element(
            'tr',
            {},
            element('td', {}, String(identity.id)),
            element('td', { class: 'labels' }, identity.labels.map(formatLabel).sort().join(' ')),
          ),
        ),
    );
  }
}
