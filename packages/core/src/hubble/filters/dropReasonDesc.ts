import { dropReasonByDesc } from '../../datapath/dropReason.ts';
import { filterError, isSet, type FilterBuilder } from './flowFilter.ts';

/** `--drop-reason-desc POLICY_DENIED`: the DropReason enum name of dropped flows. */
export const dropReasonDescFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.dropReasonDesc)) return [];
  ff.dropReasonDesc.forEach((d, i) => {
    if (dropReasonByDesc(d) === undefined) {
      throw filterError(
        `dropReasonDesc[${i}]`,
        `invalid drop reason "${d}": expected a name such as POLICY_DENIED, POLICY_DENY, AUTH_REQUIRED`,
      );
    }
  });
  const wanted = new Set(ff.dropReasonDesc);
  return [(flow) => flow.drop_reason_desc !== undefined && wanted.has(flow.drop_reason_desc)];
};
