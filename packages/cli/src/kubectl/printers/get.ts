import { type CiliumVersion, isSimError } from '@cilium-sim/core';
import type { CommandResult } from '../../shell/command.ts';
import { evaluateJsonPath } from '../../shell/jsonpath.ts';
import type { GetRequest } from '../getArgs.ts';
import type { KubeObject } from '../objects.ts';
import type { ResourceType } from '../resources.ts';
import { goText } from '../../shell/jsonpath/goValue.ts';
import { pathValues, printCustomColumns } from './customColumns.ts';
import { asList, toJson, toName, toYaml, withTypeMeta } from './serialize.ts';
import { printTable, sortByListOrder } from './table.ts';

/** The objects the cluster returned for one requested type (already filtered by namespace, name and selector). */
export interface GetResult {
  readonly type: ResourceType;
  readonly objects: readonly KubeObject[];
}

/** kubectl's JSONPath evaluator (packages/cli/src/shell/jsonpath), passed in by the caller. */
export type JsonPathEvaluator = (template: string, data: unknown) => string;

export interface GetEnv {
  /** The virtual clock, epoch ms, for AGE. */
  readonly nowMs: number;
  /** The cluster's Cilium version, whose CRDs declare the columns of its kinds; the newest when absent. */
  readonly ciliumVersion?: CiliumVersion;
  /** Defaults to the shell's kubectl JSONPath evaluator; tests may pass their own. */
  readonly evaluateJsonPath?: JsonPathEvaluator;
}

/**
 * Prints the result of `kubectl get` as kubectl does for every `-o` format. Pure.
 *   table/wide: one aligned table per type, a blank line between them, `pod/x` names when
 *     several types were asked for; nothing found -> `No resources found in NS namespace.` on stderr.
 *   yaml/json: the object itself when one name of one type was asked for, else a `List`.
 *   name: `pod/xwing` per line. jsonpath: the template evaluated on the object or List.
 *   custom-columns: a row per object, its columns' paths evaluated on it.
 */
export function formatGet(request: GetRequest, unordered: readonly GetResult[], env: GetEnv): CommandResult {
  const results = unordered.map((r) => ({ type: r.type, objects: ordered(r, request.sortBy) }));
  const sortBy = request.sortBy;
  if (
    sortBy !== undefined &&
    results.some((r) => r.objects.length > 0) &&
    !results.some((r) => r.objects.some((o) => hasPath(r.type, o, sortBy)))
  )
    return {
      stdout: '',
      stderr: `error: couldn't find any field with path ${JSON.stringify(sortBy.path)} in the list of objects\n`,
      exitCode: 1,
    };
  const items = results.flatMap((r) => r.objects.map((o) => ({ type: r.type, obj: o })));
  const format = request.output.format;
  if (format === 'yaml' || format === 'json' || format === 'jsonpath') {
    const full = items.map((i) => withTypeMeta(i.type, i.obj));
    const data = request.singleItemImplied && full.length === 1 ? full[0] : asList(full);
    if (request.output.format === 'jsonpath') return jsonPath(request.output.template, data, env);
    return { stdout: format === 'yaml' ? toYaml(data) : toJson(data), stderr: '', exitCode: 0 };
  }
  if (items.length === 0) return { stdout: '', stderr: noResourcesFound(request), exitCode: 0 };
  if (format === 'name') return { stdout: items.map((i) => `${toName(i.type, i.obj)}\n`).join(''), stderr: '', exitCode: 0 };
  if (request.output.format === 'custom-columns') {
    const objects = items.map((i) => withTypeMeta(i.type, i.obj));
    return { stdout: printCustomColumns(request.output.columns, objects, request.noHeaders), stderr: '', exitCode: 0 };
  }
  return { stdout: tables(request, results, env), stderr: '', exitCode: 0 };
}

function tables(request: GetRequest, results: readonly GetResult[], env: GetEnv): string {
  const options = {
    ...(env.ciliumVersion === undefined ? {} : { ciliumVersion: env.ciliumVersion }),
    wide: request.output.format === 'wide',
    showLabels: request.showLabels,
    noHeaders: request.noHeaders,
    allNamespaces: request.allNamespaces,
    ordered: true,
    withKind: request.targets.length > 1,
    nowMs: env.nowMs,
  };
  const printed = results.map((r) => printTable(r.type, r.objects, options)).filter((t) => t !== '');
  // kubectl separates the tables of different types by a blank line, unless headers are off.
  return printed.join(request.noHeaders ? '' : '\n');
}

/** The API server's list order, or with `--sort-by` the order of the path's first value (numbers by value), stable. */
function ordered(result: GetResult, sortBy: GetRequest['sortBy']): KubeObject[] {
  const listed = sortByListOrder(result.objects);
  if (sortBy === undefined) return listed;
  const keyed = listed.map((o) => ({ o, key: pathValues(sortBy.template, withTypeMeta(result.type, o))[0] }));
  return keyed.sort((a, b) => compareValues(a.key, b.key)).map((k) => k.o);
}

function hasPath(type: ResourceType, o: KubeObject, sortBy: NonNullable<GetRequest['sortBy']>): boolean {
  return pathValues(sortBy.template, withTypeMeta(type, o)).length > 0;
}

/** Missing values first, then numbers by value, then the rest as text. */
function compareValues(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [goText(a), goText(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `No resources found in default namespace.`, or without a namespace for -A and cluster-scoped types. */
export function noResourcesFound(request: Pick<GetRequest, 'allNamespaces' | 'namespace' | 'targets'>): string {
  const namespaced = request.targets.some((t) => t.type.namespaced);
  return request.allNamespaces || !namespaced ? 'No resources found\n' : `No resources found in ${request.namespace} namespace.\n`;
}

function jsonPath(template: string, data: unknown, env: GetEnv): CommandResult {
  const evaluate = env.evaluateJsonPath ?? evaluateJsonPath;
  try {
    return { stdout: evaluate(template, data), stderr: '', exitCode: 0 };
  } catch (e) {
    // The evaluator's SimError carries kubectl's own text (`error parsing jsonpath ...`).
    if (!isSimError(e)) throw e;
    return { stdout: '', stderr: `error: ${e.issues[0]!.message}\n`, exitCode: 1 };
  }
}
