import { type Cluster, printServiceMap, type ServiceMapEdge, serviceMap } from '@cilium-sim/core';
import { element } from './element.ts';

/**
 * The service map, the same SVG as `cilium-sim map -o svg`: workloads and Services, links of
 * the recorded flows, dropped ones dashed red. Each link is a button (click, Enter or Space)
 * that says what went over it and narrows the flow table to it.
 */
export class ServiceMapPane {
  private readonly canvas: HTMLElement;
  private readonly details: HTMLElement;
  private readonly showFlows: (text: string) => void;
  private edges: readonly ServiceMapEdge[] = [];

  constructor(host: HTMLElement, showFlows: (text: string) => void) {
    this.showFlows = showFlows;
    this.canvas = element('div', { class: 'scroll map', id: 'service-map' });
    this.details = element(
      'div',
      { class: 'details', id: 'map-details', 'aria-live': 'polite' },
      'Select a link of the map to see its traffic.',
    );
    host.append(this.canvas, this.details);
  }

  update(cluster: Cluster): void {
    const map = serviceMap(cluster);
    this.edges = map.edges;
    this.canvas.innerHTML = printServiceMap(map, 'svg');
    const svg = this.canvas.querySelector('svg');
    svg?.setAttribute('role', 'group');
    svg?.setAttribute('aria-label', `Service map: ${map.nodes.length} workloads and Services, ${map.edges.length} links`);
    for (const g of this.canvas.querySelectorAll<SVGGElement>('g.edge')) this.makeButton(g);
  }

  private makeButton(g: SVGGElement): void {
    const title = g.querySelector('title')?.textContent ?? '';
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', title);
    // A wide transparent copy of the link's curve makes the thin line easy to click.
    const path = g.querySelector('path');
    if (path !== null) {
      const hit = path.cloneNode() as SVGPathElement;
      hit.setAttribute('class', 'hit');
      hit.setAttribute('stroke', 'transparent');
      hit.setAttribute('stroke-width', '14');
      hit.removeAttribute('stroke-dasharray');
      hit.removeAttribute('marker-end');
      g.append(hit);
    }
    const select = (): void => this.select(g, title);
    g.addEventListener('click', select);
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        select();
      }
    });
  }

  private select(g: SVGGElement, title: string): void {
    for (const other of this.canvas.querySelectorAll('g.edge.selected')) other.classList.remove('selected');
    g.classList.add('selected');
    const from = g.dataset['from'] ?? '';
    const to = g.dataset['to'] ?? '';
    const edges = this.edges.filter((e) => e.from === from && e.to === to);
    const lines = edges.map((e) => `${e.protocol}/${e.port}: ${e.forwarded} forwarded, ${e.dropped} dropped`);
    const peer = (id: string): string => id.replace(/^svc:/, '');
    const button = element('button', { type: 'button' }, 'Show these flows');
    button.addEventListener('click', () => this.showFlows(peer(from)));
    this.details.replaceChildren(
      element('h3', {}, `${from} → ${to}`),
      element('p', {}, edges[0]?.kind === 'backend' ? 'Service to its backend' : title),
      element('ul', {}, ...lines.map((l) => element('li', {}, l))),
      button,
    );
  }
}
