import type { Endpoint, Flow } from '../flow.ts';
import { isSet, type FilterBuilder, type FilterFunc } from './flowFilter.ts';
import { parseLabelSelector, selectorMatches } from './labelSelector.ts';

function build(values: readonly string[], field: string, pick: (flow: Flow) => Endpoint | undefined): FilterFunc {
  const selectors = values.map((v, i) => parseLabelSelector(v, `${field}[${i}]`));
  return (flow) => {
    const labels = pick(flow)?.labels ?? [];
    return selectors.some((s) => selectorMatches(s, labels));
  };
}

/** `--from-label`, `--to-label`, `-l/--label`: any of the selectors selects the endpoint. */
export const labelFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.sourceLabel)) out.push(build(ff.sourceLabel, 'sourceLabel', (f) => f.source));
  if (isSet(ff.destinationLabel)) out.push(build(ff.destinationLabel, 'destinationLabel', (f) => f.destination));
  return out;
};
