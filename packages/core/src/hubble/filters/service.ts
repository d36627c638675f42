import type { Flow, Service } from '../flow.ts';
import { isSet, type FilterBuilder, type FilterFunc } from './flowFilter.ts';
import { matchesNamespacedPrefix, parseNamespacedPrefix } from './namespacedName.ts';

function build(values: readonly string[], field: string, pick: (flow: Flow) => Service | undefined): FilterFunc {
  const filters = values.map((v, i) => parseNamespacedPrefix(v, `${field}[${i}]`));
  return (flow) => {
    const svc = pick(flow);
    return matchesNamespacedPrefix(filters, svc?.namespace, svc?.name);
  };
}

/** `--from-service`, `--to-service`, `--service`: `[namespace/]<service-name-prefix>`. */
export const serviceFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.sourceService)) out.push(build(ff.sourceService, 'sourceService', (f) => f.source_service));
  if (isSet(ff.destinationService)) out.push(build(ff.destinationService, 'destinationService', (f) => f.destination_service));
  return out;
};
