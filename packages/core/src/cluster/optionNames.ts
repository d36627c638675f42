import { describeValue, SimError } from '../errors.ts';

/** The options `Cluster.create` takes: a misspelt one is refused rather than silently left at its default. */
export const CLUSTER_OPTION_NAMES = [
  'seed',
  'nodes',
  'mutualAuth',
  'startTime',
  'clusterName',
  'ciliumVersion',
  'externalHosts',
  'encryption',
  'trustDomain',
  'spire',
  'extensions',
  'eventLimit',
  'tetragon',
] as const;

/** Refuses a name `options` holds beyond `names` (an object of options, when it is one; the shape is checked elsewhere). */
export function checkOptionNames(object: string, options: unknown, names: readonly string[], prefix = ''): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return;
  // A loop over the names given, with no list made: a workload command's options are checked per call.
  for (const unknown in options) {
    if (!Object.hasOwn(options, unknown) || names.includes(unknown)) continue;
    throw new SimError({
      code: 'INVALID_FLAG',
      object,
      path: `${prefix}${unknown}`,
      message: `unknown option ${describeValue(unknown)}; options are ${names.join(', ')}`,
    });
  }
}

/** The options argument of a method: an object (or left out) with only the names it takes. */
export function checkOptionsObject(method: string, opts: unknown, names: readonly string[]): void {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts))
    throw new SimError({
      code: 'INVALID_FIELD',
      object: method,
      path: 'options',
      message: `expected an object of options (${names.join(', ')}), received ${describeValue(opts)}`,
    });
  checkOptionNames(method, opts, names);
}
