import { VERDICTS } from '../flow.ts';
import { filterError, isSet, type FilterBuilder } from './flowFilter.ts';

/** `--verdict DROPPED`: names as in the flow (policy-verdict lines print ALLOWED, but match FORWARDED). */
export const verdictFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.verdict)) return [];
  ff.verdict.forEach((v, i) => {
    if (!VERDICTS.includes(v)) throw filterError(`verdict[${i}]`, `invalid verdict "${v}": expected one of ${VERDICTS.join(', ')}`);
  });
  const wanted = new Set<string>(ff.verdict);
  return [(flow) => wanted.has(flow.verdict)];
};
