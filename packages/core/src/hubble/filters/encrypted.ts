import { isSet, type FilterBuilder } from './flowFilter.ts';

/** `--encrypted` / `--unencrypted`: the IP header's encrypted mark. */
export const encryptedFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.encrypted)) return [];
  const wanted = ff.encrypted;
  return [(flow) => flow.IP !== undefined && wanted.includes(flow.IP.encrypted === true)];
};
