import { isSet, type FilterBuilder } from './flowFilter.ts';

/** `--uuid`: the one flow with this id. */
export const uuidFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.uuid)) return [];
  const ids = new Set(ff.uuid);
  return [(flow) => flow.uuid !== undefined && ids.has(flow.uuid)];
};
