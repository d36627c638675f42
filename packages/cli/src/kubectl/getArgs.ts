import type { Target } from './targets.ts';
import { parseTargets } from './targets.ts';
import { ALL_NAMESPACES_FLAG, OUTPUT_FLAG, SELECTOR_FLAG, kubectlError, kubectlFlags, namespaceOf } from './kubectlFlags.ts';
import { flagBool, flagString } from '../cobra/pflag.ts';
import { type CustomColumn, parseCustomColumns, relaxedJsonPath } from './printers/customColumns.ts';
import { JsonPathParseError, parseTemplate, type TemplateItem } from '../shell/jsonpath/parse.ts';

/** `-o` formats the simulator prints. */
export type GetOutput =
  | { readonly format: 'table' }
  | { readonly format: 'wide' }
  | { readonly format: 'yaml' }
  | { readonly format: 'json' }
  | { readonly format: 'name' }
  | { readonly format: 'jsonpath'; readonly template: string }
  | { readonly format: 'custom-columns'; readonly columns: readonly CustomColumn[] };

export interface GetRequest {
  readonly verb: 'get';
  readonly targets: readonly Target[];
  readonly namespace: string;
  readonly allNamespaces: boolean;
  readonly selector: string | undefined;
  /** `--field-selector spec.nodeName=kind-worker`: applied after the label selector. */
  readonly fieldSelector: string | undefined;
  readonly output: GetOutput;
  /** `--sort-by=.metadata.name`: the path, relaxed as kubectl relaxes it, and its parsed template. */
  readonly sortBy: { readonly path: string; readonly template: readonly TemplateItem[] } | undefined;
  readonly showLabels: boolean;
  readonly noHeaders: boolean;
  /** One type and one name: `-o yaml|json` prints the object itself rather than a List. */
  readonly singleItemImplied: boolean;
}

export interface DescribeRequest {
  readonly verb: 'describe';
  readonly targets: readonly Target[];
  readonly namespace: string;
  readonly allNamespaces: boolean;
  readonly selector: string | undefined;
}

const ALLOWED_FORMATS =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/**
 * `kubectl get TYPE[,TYPE] [NAME...] [-n NS|-A] [-l SEL] [-o FORMAT] [--show-labels] [--no-headers]`.
 * `-w` is refused: a simulator's state only changes between commands.
 */
export function parseGet(args: readonly string[]): GetRequest {
  const flags = kubectlFlags('get', args, [
    SELECTOR_FLAG,
    ALL_NAMESPACES_FLAG,
    OUTPUT_FLAG,
    { name: 'show-labels', kind: 'bool' },
    { name: 'no-headers', kind: 'bool' },
    { name: 'watch', short: 'w', kind: 'bool' },
    { name: 'watch-only', kind: 'bool' },
    { name: 'ignore-not-found', kind: 'bool' },
    { name: 'field-selector', kind: 'string' },
    { name: 'sort-by', kind: 'string' },
  ]);
  if (flagBool(flags, 'watch') || flagBool(flags, 'watch-only')) {
    throw kubectlError(
      'get',
      `error: --watch is not supported in cilium-sim: the cluster only changes between commands; run 'kubectl get' again after 'sleep', or use 'kubectl wait'`,
      '--watch',
    );
  }
  const targets = requireTargets('get', flags.positionals);
  const selector = flagString(flags, 'selector');
  if (selector !== undefined && targets.some((t) => t.names.length > 0)) {
    throw kubectlError('get', 'error: name cannot be provided when a selector is specified', '--selector');
  }
  return {
    verb: 'get',
    targets,
    ...namespaceOf(flags),
    allNamespaces: flagBool(flags, 'all-namespaces'),
    selector,
    fieldSelector: flagString(flags, 'field-selector'),
    output: parseOutput(flagString(flags, 'output')),
    sortBy: sortByFlag(flagString(flags, 'sort-by')),
    showLabels: flagBool(flags, 'show-labels'),
    noHeaders: flagBool(flags, 'no-headers'),
    singleItemImplied: targets.length === 1 && targets[0]!.names.length === 1,
  };
}

/** `kubectl describe TYPE [NAME...]`: parsed for the lead's describe printer. */
export function parseDescribe(args: readonly string[]): DescribeRequest {
  const flags = kubectlFlags('describe', args, [SELECTOR_FLAG, ALL_NAMESPACES_FLAG]);
  return {
    verb: 'describe',
    targets: requireTargets('describe', flags.positionals),
    ...namespaceOf(flags),
    allNamespaces: flagBool(flags, 'all-namespaces'),
    selector: flagString(flags, 'selector'),
  };
}

function requireTargets(verb: string, positionals: readonly string[]): Target[] {
  if (positionals.length === 0) {
    throw kubectlError(
      verb,
      `You must specify the type of resource to ${verb}. Use "kubectl api-resources" for a complete list of supported resources.\n\n` +
        `error: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl ${verb} -h' for help and examples`,
    );
  }
  return parseTargets(verb, positionals);
}

/** `-o wide`, `-o=json`, `-ojsonpath={.x}`, `-o jsonpath='{.items[*].metadata.name}'` (quotes already removed by the shell). */
export function parseOutput(raw: string | undefined): GetOutput {
  if (raw === undefined || raw === '') return { format: 'table' };
  if (raw === 'wide' || raw === 'yaml' || raw === 'json' || raw === 'name') return { format: raw };
  const m = /^jsonpath=(.*)$/s.exec(raw);
  if (m && stripQuotes(m[1]!) === '') throw kubectlError('get', 'error: template format specified but no template given', '--output');
  if (m) return { format: 'jsonpath', template: stripQuotes(m[1]!) };
  const custom = /^custom-columns=(.*)$/s.exec(raw);
  if (custom !== null) {
    const columns = parseCustomColumns(stripQuotes(custom[1]!));
    if (typeof columns === 'string') throw kubectlError('get', columns, '--output');
    return { format: 'custom-columns', columns };
  }
  throw kubectlError(
    'get',
    `error: unable to match a printer suitable for the output format "${raw}", allowed formats are: ${ALLOWED_FORMATS}`,
    '--output',
  );
}

/** `jsonpath='{...}'` written inside another quoting level keeps its quotes; kubectl strips them too. */
function stripQuotes(s: string): string {
  return /^'.*'$/s.test(s) || /^".*"$/s.test(s) ? s.slice(1, -1) : s;
}

/** `--sort-by`: a JSONPath, relaxed as kubectl relaxes it; one that does not parse is refused in kubectl's words. */
function sortByFlag(text: string | undefined): GetRequest['sortBy'] {
  if (text === undefined || text === '') return undefined;
  const relaxed = relaxedJsonPath(text);
  if ('error' in relaxed) throw kubectlError('get', relaxed.error, '--sort-by');
  const path = relaxed.path;
  try {
    return { path, template: parseTemplate(path) };
  } catch (e) {
    if (!(e instanceof JsonPathParseError)) throw e;
    throw kubectlError('get', `error: error parsing jsonpath ${path}, ${e.message}`, '--sort-by');
  }
}
