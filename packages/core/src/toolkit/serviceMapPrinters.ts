import type { ServiceMap } from './serviceMap.ts';
import { serviceMapDot } from './serviceMapDot.ts';
import { serviceMapMermaid } from './serviceMapMermaid.ts';
import { serviceMapSvg } from './serviceMapSvg.ts';

export type ServiceMapFormat = 'svg' | 'mermaid' | 'dot' | 'json';
export const SERVICE_MAP_FORMATS: readonly ServiceMapFormat[] = ['svg', 'mermaid', 'dot', 'json'];

export function printServiceMap(map: ServiceMap, format: ServiceMapFormat): string {
  switch (format) {
    case 'svg':
      return serviceMapSvg(map);
    case 'mermaid':
      return serviceMapMermaid(map);
    case 'dot':
      return serviceMapDot(map);
    case 'json':
      return `${JSON.stringify(map, null, 2)}\n`;
  }
}
