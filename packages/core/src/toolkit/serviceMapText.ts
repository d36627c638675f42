import type { ServiceMapEdge } from './serviceMap.ts';

/**
 * What the renderers share: the drawn lines of an edge (a traffic edge with both forwarded and
 * dropped connections is drawn twice, once green and once red dashed) and their labels.
 */
export type LineStyle = 'forwarded' | 'dropped' | 'backend';

export interface EdgeLine {
  readonly edge: ServiceMapEdge;
  readonly style: LineStyle;
  readonly label: string;
}

export const COLORS: Readonly<Record<LineStyle, string>> = { forwarded: '#2ca02c', dropped: '#d62728', backend: '#7f7f7f' };

export function edgeLines(edges: readonly ServiceMapEdge[]): EdgeLine[] {
  return edges.flatMap((e): EdgeLine[] => {
    const port = `${e.protocol}/${e.port}`;
    if (e.kind === 'backend') return [{ edge: e, style: 'backend', label: port }];
    const out: EdgeLine[] = [];
    if (e.forwarded > 0) out.push({ edge: e, style: 'forwarded', label: `${port}: ${e.forwarded} forwarded` });
    if (e.dropped > 0) out.push({ edge: e, style: 'dropped', label: `${port}: ${e.dropped} dropped` });
    return out;
  });
}
