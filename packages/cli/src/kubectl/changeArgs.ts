import type { Target } from './targets.ts';
import { parseTargets } from './targets.ts';
import type { GetOutput } from './getArgs.ts';
import { parseOutput } from './getArgs.ts';
import {
  ALL_NAMESPACES_FLAG,
  DRY_RUN_FLAG,
  FILENAME_FLAG,
  OUTPUT_FLAG,
  SELECTOR_FLAG,
  dryRunOf,
  kubectlError,
  kubectlFlags,
  NO_RESOURCES_MESSAGE,
  namespaceOf,
} from './kubectlFlags.ts';
import { flagBool, flagList, flagString } from '../cobra/pflag.ts';

/** `kubectl apply|create -f FILE|URL...`: files are read and applied by the caller, in order. */
export interface ApplyRequest {
  readonly verb: 'apply' | 'create';
  readonly files: readonly string[];
  readonly namespace: string;
  readonly namespaceGiven: boolean;
  readonly dryRun: 'none' | 'client' | 'server';
  readonly output: GetOutput;
}

/** `kubectl delete -f FILE...` or `kubectl delete TYPE NAME... | -l SEL | --all`. */
export interface DeleteRequest {
  readonly verb: 'delete';
  readonly files: readonly string[];
  readonly targets: readonly Target[];
  readonly namespace: string;
  readonly namespaceGiven: boolean;
  readonly allNamespaces: boolean;
  readonly selector: string | undefined;
  readonly all: boolean;
  readonly ignoreNotFound: boolean;
  readonly dryRun: 'none' | 'client' | 'server';
}

export function parseApply(verb: 'apply' | 'create', args: readonly string[]): ApplyRequest {
  const flags = kubectlFlags(verb, args, [
    FILENAME_FLAG,
    DRY_RUN_FLAG,
    OUTPUT_FLAG,
    { name: 'kustomize', short: 'k', kind: 'string' },
    { name: 'server-side', kind: 'bool' },
    { name: 'recursive', short: 'R', kind: 'bool' },
    // The simulated API server always validates strictly; the flag is read so a script that passes it runs.
    { name: 'validate', kind: 'string', noOptDefault: 'strict' },
  ]);
  const validate = flagString(flags, 'validate');
  if (validate !== undefined && !['true', 'false', 'strict', 'warn', 'ignore'].includes(validate))
    throw kubectlError(
      verb,
      `error: invalid - validate option ${JSON.stringify(validate)}; must be one of: strict (or true), warn, ignore (or false)`,
      '--validate',
    );
  if (flagString(flags, 'kustomize') !== undefined)
    throw kubectlError(verb, `error: -k (kustomize) is not supported in cilium-sim; use -f with the rendered manifests`, '-k');
  const files = flagList(flags, 'filename');
  if (files.length === 0) throw kubectlError(verb, 'error: must specify one of -f and -k');
  if (flags.positionals.length > 0) {
    throw kubectlError(verb, `error: Unexpected args: [${flags.positionals.join(' ')}]\nSee 'kubectl ${verb} -h' for help and examples`);
  }
  return { verb, files, ...namespaceOf(flags), dryRun: dryRunOf(verb, flags), output: parseOutput(flagString(flags, 'output')) };
}

export function parseDelete(args: readonly string[]): DeleteRequest {
  const flags = kubectlFlags('delete', args, [
    FILENAME_FLAG,
    DRY_RUN_FLAG,
    SELECTOR_FLAG,
    ALL_NAMESPACES_FLAG,
    { name: 'all', kind: 'bool' },
    { name: 'ignore-not-found', kind: 'bool' },
    { name: 'force', kind: 'bool' },
    { name: 'now', kind: 'bool' },
    { name: 'wait', kind: 'bool' },
    { name: 'grace-period', kind: 'string' },
  ]);
  const grace = flagString(flags, 'grace-period');
  if (grace !== undefined && !/^-?\d+$/.test(grace)) {
    throw kubectlError(
      'delete',
      `error: invalid argument "${grace}" for "--grace-period" flag: strconv.ParseInt: parsing "${grace}": invalid syntax`,
      '--grace-period',
    );
  }
  const files = flagList(flags, 'filename');
  const targets = parseTargets('delete', flags.positionals);
  const selector = flagString(flags, 'selector');
  const all = flagBool(flags, 'all');
  if (files.length === 0 && targets.length === 0) {
    throw kubectlError('delete', NO_RESOURCES_MESSAGE);
  }
  if (files.length > 0 && targets.length > 0) throw kubectlError('delete', `error: Unexpected args: [${flags.positionals.join(' ')}]`);
  if (targets.length > 0 && targets.every((t) => t.names.length === 0) && selector === undefined && !all) {
    throw kubectlError('delete', 'error: resource(s) were provided, but no name was specified');
  }
  return {
    verb: 'delete',
    files,
    targets,
    ...namespaceOf(flags),
    allNamespaces: flagBool(flags, 'all-namespaces'),
    selector,
    all,
    ignoreNotFound: flagBool(flags, 'ignore-not-found'),
    dryRun: dryRunOf('delete', flags),
  };
}
