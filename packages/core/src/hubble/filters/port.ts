import { flowPorts } from '../flow.ts';
import { filterError, isSet, type FilterBuilder, type FilterFunc } from './flowFilter.ts';

function parsePorts(values: readonly string[], field: string): Set<number> {
  return new Set(
    values.map((v, i) => {
      if (!/^\d+$/.test(v) || Number(v) > 65535) {
        throw filterError(`${field}[${i}]`, `invalid port "${v}": expected a number from 0 to 65535`);
      }
      return Number(v);
    }),
  );
}

/** `--from-port`, `--to-port`, `--port`: TCP, UDP or SCTP ports (never ICMP). */
export const portFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.sourcePort)) {
    const ports = parsePorts(ff.sourcePort, 'sourcePort');
    out.push((flow) => {
      const p = flowPorts(flow);
      return p !== undefined && ports.has(p.source_port ?? 0);
    });
  }
  if (isSet(ff.destinationPort)) {
    const ports = parsePorts(ff.destinationPort, 'destinationPort');
    out.push((flow) => {
      const p = flowPorts(flow);
      return p !== undefined && ports.has(p.destination_port ?? 0);
    });
  }
  return out;
};
