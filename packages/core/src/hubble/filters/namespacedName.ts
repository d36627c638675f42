import { filterError } from './flowFilter.ts';

/** One `[namespace/]<name-prefix>` value; an empty namespace matches every namespace. */
export interface NamespacedPrefix {
  readonly namespace: string;
  readonly prefix: string;
}

/**
 * Parses `[namespace/]<name-prefix>` as Hubble does: a bare name is in namespace `default`,
 * `ns/` means every name in `ns`. `/name` (what `-A --pod name` builds) means any namespace.
 */
export function parseNamespacedPrefix(value: string, path: string): NamespacedPrefix {
  const slash = value.indexOf('/');
  if (slash === -1) {
    if (value === '') throw filterError(path, 'invalid filter, must be [namespace/][<name>], got ""');
    return { namespace: 'default', prefix: value };
  }
  return { namespace: value.slice(0, slash), prefix: value.slice(slash + 1) };
}

/** True when the object `namespace/name` matches one of the prefixes; nothing matches an empty name. */
export function matchesNamespacedPrefix(
  filters: readonly NamespacedPrefix[],
  namespace: string | undefined,
  name: string | undefined,
): boolean {
  const ns = namespace ?? '';
  const n = name ?? '';
  if (ns === '' && n === '') return false;
  return filters.some((f) => (f.namespace === '' || f.namespace === ns) && (f.prefix === '' || n.startsWith(f.prefix)));
}
