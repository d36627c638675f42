import type { TcpFlagName } from '../flow.ts';
import { isSet, type FilterBuilder } from './flowFilter.ts';

/** `--tcp-flags syn,ack`: a flow matches when it has every flag of one of the given sets. */
export const tcpFlagsFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.tcpFlags)) return [];
  const sets = ff.tcpFlags.map((f) => Object.keys(f) as TcpFlagName[]);
  return [
    (flow) => {
      const flags = flow.l4 !== undefined && 'TCP' in flow.l4 ? flow.l4.TCP.flags : undefined;
      return flags !== undefined && sets.some((set) => set.every((name) => flags[name] === true));
    },
  ];
};
