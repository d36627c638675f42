import { isSet, type FilterBuilder } from './flowFilter.ts';

/** `-4` / `-6` / `--ip-version`. */
export const ipVersionFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.ipVersion)) return [];
  const wanted = new Set<string>(ff.ipVersion);
  return [(flow) => flow.IP !== undefined && wanted.has(flow.IP.ipVersion)];
};
