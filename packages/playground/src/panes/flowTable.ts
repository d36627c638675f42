import { compactCells, compactLine, DEFAULT_PRINT_OPTIONS } from '@cilium-sim/cli/browser';
import { type Cluster, type Flow, hubble } from '@cilium-sim/core';
import { element } from './element.ts';

/** At most this many rows are drawn (the newest); the filter narrows before the cut. */
const MAX_ROWS = 400;

/** One flow as `hubble observe` prints it, cell by cell. */
interface FlowRow {
  readonly flow: Flow;
  readonly time: string;
  readonly source: string;
  readonly arrow: string;
  readonly destination: string;
  readonly type: string;
  readonly verdict: string;
  readonly summary: string;
  readonly text: string;
}

/**
 * The Hubble flow table: every flow of the cluster (the relay's view) in `hubble observe`'s
 * words (the verdict moved forward so it is seen), newest last, filtered by text and verdict,
 * verdicts coloured, the arrow shown (`<>`
 * where Hubble cannot tell the direction, as on drops). Selecting a row shows the flow's line
 * and its JSON (`hubble observe -o json`).
 */
export class FlowTable {
  private readonly body: HTMLTableSectionElement;
  private readonly filter: HTMLInputElement;
  private readonly verdict: HTMLSelectElement;
  private readonly count: HTMLElement;
  private readonly details: HTMLElement;
  private rows: FlowRow[] = [];

  constructor(host: HTMLElement) {
    this.filter = element('input', { type: 'search', id: 'flow-filter', placeholder: 'xwing, DROPPED, :80 ...' });
    this.verdict = element('select', { id: 'flow-verdict' });
    for (const v of ['all', 'FORWARDED', 'DROPPED', 'AUDIT', 'REDIRECTED', 'ERROR'])
      this.verdict.append(element('option', { value: v }, v === 'all' ? 'any verdict' : v));
    this.count = element('p', { class: 'count', 'aria-live': 'polite' });
    this.body = element('tbody');
    this.details = element('div', { class: 'details', id: 'flow-details', 'aria-live': 'polite' }, 'Select a flow to see it in full.');
    const head = element(
      'thead',
      {},
      element(
        'tr',
        {},
        ...['Time', 'Verdict', 'Source', '', 'Destination', 'Type', 'Summary'].map((h) => element('th', { scope: 'col' }, h)),
      ),
    );
    host.append(
      element(
        'div',
        { class: 'toolbar' },
        element('label', { for: 'flow-filter' }, 'Filter'),
        this.filter,
        element('label', { for: 'flow-verdict' }, 'Verdict'),
        this.verdict,
        this.count,
      ),
      element('div', { class: 'scroll flows' }, element('table', { id: 'flow-table', 'aria-label': 'Hubble flows' }, head, this.body)),
      this.details,
    );
    this.filter.addEventListener('input', () => this.draw());
    this.verdict.addEventListener('change', () => this.draw());
  }

  update(cluster: Cluster): void {
    this.rows = cluster.flows().map(row);
    this.draw();
  }

  /** Narrows the table to flows whose line contains `text` (the map's edge buttons use it). */
  show(text: string): void {
    this.filter.value = text;
    this.verdict.value = 'all';
    this.draw();
  }

  private draw(): void {
    const text = this.filter.value.trim().toLowerCase();
    const verdict = this.verdict.value;
    const shown = this.rows.filter(
      (r) => (verdict === 'all' || r.flow.verdict === verdict) && (text === '' || r.text.toLowerCase().includes(text)),
    );
    const drawn = shown.slice(-MAX_ROWS);
    this.count.textContent = `${shown.length} of ${this.rows.length} flows${drawn.length < shown.length ? `, the newest ${drawn.length} shown` : ''}`;
    this.body.replaceChildren(...drawn.map((r) => this.rowElement(r)));
    const scroller = this.body.closest('.scroll');
    if (scroller !== null) scroller.scrollTop = scroller.scrollHeight;
  }

  private rowElement(r: FlowRow): HTMLTableRowElement {
    const tr = element(
      'tr',
      { tabindex: '0', class: `verdict-${r.flow.verdict.toLowerCase()}`, 'aria-label': r.text },
      element('td', {}, r.time),
      element('td', { class: 'verdict' }, r.verdict),
      element('td', {}, r.source),
      element('td', { class: 'arrow' }, r.arrow),
      element('td', {}, r.destination),
      element('td', {}, r.type),
      element('td', {}, r.summary),
    );
    const select = (): void => {
      for (const other of this.body.querySelectorAll('tr[aria-selected="true"]')) other.removeAttribute('aria-selected');
      tr.setAttribute('aria-selected', 'true');
      this.details.replaceChildren(
        element('h3', {}, 'Flow'),
        element('pre', { class: 'flow-line' }, r.text),
        element('pre', { class: 'flow-json' }, JSON.stringify(hubble.flowToJson(r.flow), null, 2)),
      );
    };
    tr.addEventListener('click', select);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        select();
      }
    });
    return tr;
  }
}

/** The compact printer's cells. */
function row(flow: Flow): FlowRow {
  const c = compactCells(flow, DEFAULT_PRINT_OPTIONS);
  return {
    flow,
    time: c.time,
    source: `${c.source} ${c.sourceIdentity}`,
    arrow: c.arrow,
    destination: `${c.destination} ${c.destinationIdentity}`,
    type: c.type,
    verdict: c.verdict,
    summary: c.summary,
    text: compactLine(flow, DEFAULT_PRINT_OPTIONS).trimEnd(),
  };
}
