import type { Endpoint, Flow } from '../flow.ts';
import { isSet, type FilterBuilder, type FilterFunc } from './flowFilter.ts';
import { matchesNamespacedPrefix, parseNamespacedPrefix } from './namespacedName.ts';

function build(values: readonly string[], field: string, pick: (flow: Flow) => Endpoint | undefined): FilterFunc {
  const filters = values.map((v, i) => parseNamespacedPrefix(v, `${field}[${i}]`));
  return (flow) => {
    const ep = pick(flow);
    return matchesNamespacedPrefix(filters, ep?.namespace, ep?.pod_name);
  };
}

/** `--from-pod`, `--to-pod`, `--pod`, and the namespace flags, which become `ns/` pod values. */
export const podFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.sourcePod)) out.push(build(ff.sourcePod, 'sourcePod', (f) => f.source));
  if (isSet(ff.destinationPod)) out.push(build(ff.destinationPod, 'destinationPod', (f) => f.destination));
  return out;
};
