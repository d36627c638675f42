import { isSet, type FilterBuilder, type FilterFunc } from './flowFilter.ts';

/** `--from-identity`, `--to-identity`, `--identity`: numeric security identities. */
export const identityFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.sourceIdentity)) {
    const ids = new Set(ff.sourceIdentity);
    out.push((flow) => ids.has(flow.source?.identity ?? 0));
  }
  if (isSet(ff.destinationIdentity)) {
    const ids = new Set(ff.destinationIdentity);
    out.push((flow) => ids.has(flow.destination?.identity ?? 0));
  }
  return out;
};
