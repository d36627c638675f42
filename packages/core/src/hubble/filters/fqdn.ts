import type { Re2 } from '../../re2.ts';
import type { Flow } from '../flow.ts';
import { filterError, isSet, wildcardRegExp, type FilterBuilder, type FilterFunc } from './flowFilter.ts';

/** Hubble's FQDN patterns: letters, digits, `-`, `_`, `.` and `*`; a trailing dot is ignored. */
function fqdnPattern(value: string, path: string): Re2 {
  const name = value.replace(/\.$/, '');
  if (!/^[-a-zA-Z0-9_.*]+$/.test(name)) {
    throw filterError(path, `invalid FQDN pattern "${value}": only letters, digits, '-', '_', '.' and '*' are allowed, e.g. *.github.com`);
  }
  return wildcardRegExp(name);
}

function build(values: readonly string[], field: string, pick: (flow: Flow) => readonly string[] | undefined): FilterFunc {
  const patterns = values.map((v, i) => fqdnPattern(v, `${field}[${i}]`));
  return (flow) => (pick(flow) ?? []).some((n) => patterns.some((p) => p.test(n.replace(/\.$/, ''))));
}

/** `--from-fqdn`, `--to-fqdn`, `--fqdn`: against the DNS names Hubble knows for an address. */
export const fqdnFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.sourceFqdn)) out.push(build(ff.sourceFqdn, 'sourceFqdn', (f) => f.source_names));
  if (isSet(ff.destinationFqdn)) out.push(build(ff.destinationFqdn, 'destinationFqdn', (f) => f.destination_names));
  return out;
};
