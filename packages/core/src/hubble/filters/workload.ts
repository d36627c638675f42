import type { Endpoint, Workload } from '../flow.ts';
import { isSet, type FilterBuilder, type FilterFunc } from './flowFilter.ts';

function build(
  wanted: readonly Partial<Workload>[],
  pick: (ep: { source?: Endpoint; destination?: Endpoint }) => Endpoint | undefined,
): FilterFunc {
  return (flow) =>
    (pick(flow)?.workloads ?? []).some((w) =>
      wanted.some(
        (x) => (x.name === undefined || x.name === '' || x.name === w.name) && (x.kind === undefined || x.kind === '' || x.kind === w.kind),
      ),
    );
}

/** `--from-workload`, `--to-workload`, `--workload`: `name` or `kind/name`. */
export const workloadFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.sourceWorkload)) out.push(build(ff.sourceWorkload, (f) => f.source));
  if (isSet(ff.destinationWorkload)) out.push(build(ff.destinationWorkload, (f) => f.destination));
  return out;
};
