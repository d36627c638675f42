import { tabwriteText } from '@cilium-sim/core';

/**
 * kubectl describe's PrefixWriter over a Go tabwriter (minwidth 0, padding 2): each line is
 * indented two spaces per level, cells end with `\t`, and the whole text is aligned at the end.
 */
export class DescribeWriter {
  #text = '';

  /** One line at `level`: `write(0, 'Name:', name)` writes `Name:\t<name>\n`. */
  line(level: number, ...cells: readonly string[]): void {
    this.#text += `${'  '.repeat(level)}${cells.join('\t')}\n`;
  }

  /** kubectl's printLabelsMultiline: sorted `key=value` lines, `<none>` when empty. */
  labels(title: string, map: Readonly<Record<string, string>> | undefined): void {
    this.#multiline(title, map, (k, v) => `${k}=${v}`);
  }

  /** kubectl's printAnnotationsMultiline: `key: value`, without kubectl's own bookkeeping annotation. */
  annotations(title: string, map: Readonly<Record<string, string>> | undefined): void {
    const shown = Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'));
    this.#multiline(title, shown, (k, v) => `${k}: ${v}`);
  }

  #multiline(title: string, map: Readonly<Record<string, string>> | undefined, format: (k: string, v: string) => string): void {
    const keys = Object.keys(map ?? {}).sort();
    if (keys.length === 0) {
      this.line(0, `${title}:`, '<none>');
      return;
    }
    for (const [i, k] of keys.entries()) this.line(0, i === 0 ? `${title}:` : '', format(k, map![k]!));
  }

  /** `Events:  <none>`, or kubectl's events table. */
  events(events: readonly DescribeEvent[]): void {
    if (events.length === 0) {
      this.line(0, 'Events:', '<none>');
      return;
    }
    this.line(0, 'Events:');
    this.line(1, 'Type', 'Reason', 'Age', 'From', 'Message');
    this.line(1, '----', '------', '----', '----', '-------');
    for (const e of events) this.line(1, e.type, e.reason, e.age, e.from, e.message);
  }

  text(): string {
    return tabwriteText(this.#text, { padding: 2 });
  }
}

export interface DescribeEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly age: string;
  readonly from: string;
  readonly message: string;
}
