import { parseLabel } from '../../identity/labels.ts';
import { makeSelector, parseLabelSelector, selectorMatches, type Selector } from '../../k8s/labelSelector.ts';
import type { Endpoint, Flow } from '../flow.ts';
import { filterError, isSet, type FilterBuilder, type FilterFunc } from './flowFilter.ts';

/**
 * A `--label` value: a Kubernetes label selector extended with Cilium's source prefixes
 * (`k8s:app=web`, `reserved:world`); a key without a source matches a label of any source.
 */
function selectorOf(text: string, path: string): Selector {
  const parsed = parseLabelSelector(text, 'cilium');
  if ('problem' in parsed) throw filterError(path, parsed.problem);
  return makeSelector(parsed.requirements);
}

function build(values: readonly string[], field: string, pick: (flow: Flow) => Endpoint | undefined): FilterFunc {
  const selectors = values.map((v, i) => selectorOf(v, `${field}[${i}]`));
  return (flow) => {
    // A flow's endpoint labels are texts (`k8s:app=web`); one without a source is `unspec`.
    const labels = (pick(flow)?.labels ?? []).map((t) => parseLabel(t, 'unspec'));
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
