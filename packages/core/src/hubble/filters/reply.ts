import { isSet, type FilterBuilder } from './flowFilter.ts';

/** Matches the flow's `is_reply`; a flow whose direction is unknown matches only `false`. */
export const replyFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.reply)) return [];
  const wanted = ff.reply;
  return [(flow) => wanted.includes(flow.is_reply === true)];
};
