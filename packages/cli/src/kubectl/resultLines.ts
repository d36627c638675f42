import { formatIssue, k8s, type ObjectRef, type ObjectResult, SimError } from '@cilium-sim/core';
import type { CommandResult } from '../shell/command.ts';
import { kindPrefix, notFoundMessage, qualifiedResource } from './resources.ts';

/**
 * kubectl's words for what the API server did: one line per object on stdout
 * (`pod/xwing created`, `pod "xwing" deleted`), and its error lines on stderr
 * (`Error from server (NotFound): pods "nope" not found`), from core's tool-neutral results.
 */

/** `pod/xwing created`, `deployment.apps/deathstar configured`; a delete reads `pod "xwing" deleted`. */
export function successLine(ref: ObjectRef, verb: k8s.Verb): string {
  const prefix = kindPrefix(k8s.KINDS[ref.kind]);
  return verb === 'deleted' ? `${prefix} "${ref.name}" deleted` : `${prefix}/${ref.name} ${verb}`;
}

/**
 * The API server's status line kubectl prints for a refusal about a named object, or undefined
 * when the error is not about one (bad input, a limit): the caller words those.
 *   NotFound       Error from server (NotFound): pods "x" not found
 *   AlreadyExists  Error from server (AlreadyExists): pods "x" already exists
 *   Forbidden      Error from server (Forbidden): namespaces "default" is forbidden: <why>
 *   Invalid        The Deployment "d" is invalid: spec.selector: ...: field is immutable
 *   Conflict       Error from server (Conflict): Operation cannot be fulfilled on pods "x": ...
 * A Conflict about a field (a label that already has a value) is kubectl's own, worded by the caller.
 */
function statusLine(e: SimError): string | undefined {
  const ref = e.ref;
  if (ref === undefined || !k8s.isApiKind(ref.kind)) return undefined;
  const type = k8s.KINDS[ref.kind];
  const subject = `${qualifiedResource(type)} "${ref.name}"`;
  switch (e.reason) {
    case 'NotFound':
      return notFoundMessage(type, ref.name);
    case 'AlreadyExists':
      return `Error from server (AlreadyExists): ${subject} already exists`;
    case 'Forbidden':
      return `Error from server (Forbidden): ${subject} is forbidden: ${e.issues[0]!.message}`;
    case 'Invalid':
      return isFieldRefusal(e) ? invalidLine(ref.kind, ref.name, e.issues) : undefined;
    case 'Conflict':
      return e.issues[0]!.path === undefined ? `Error from server (Conflict): ${e.issues[0]!.message}` : undefined;
    default:
      return undefined;
  }
}

/**
 * The API server's field errors (field.ErrorList), which it answers 422 Invalid; a manifest it
 * cannot decode at all (an unknown field, a wrong type, bad base64) is a 400 BadRequest instead.
 */
const FIELD_ERROR = /^(Required value|Invalid value|Unsupported value|Duplicate value|Too long|Too many|Forbidden|Not found)\b/;

export function isFieldRefusal(e: SimError): boolean {
  return e.issues.every((i) => i.path !== undefined && FIELD_ERROR.test(i.message));
}

/**
 * The API server's own message for an Invalid status (`Deployment.apps "d" is invalid: [a, b]`),
 * which kubectl prints after the status reason when it reports several failed objects at once.
 */
export function serverInvalidMessage(kind: string, name: string, issues: SimError['issues']): string {
  const group = k8s.KINDS[kind as k8s.ApiKind].group;
  const causes = issues.map((i) => `${i.path}: ${i.message}`);
  const listed = causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`;
  return `${group === '' ? kind : `${kind}.${group}`} ${JSON.stringify(name)} is invalid: ${listed}`;
}

/**
 * An Invalid status about a named object (an update the API server refuses): kubectl prints its
 * causes, one after the colon, or several on lines of their own starting `* `.
 */
function invalidLine(kind: string, name: string, issues: SimError['issues']): string {
  const causes = issues.map((i) => (i.path === undefined ? i.message : `${i.path}: ${i.message}`));
  const head = `The ${kind} ${JSON.stringify(name)} is invalid: `;
  return causes.length === 1 ? `${head}${causes[0]}` : `${head}\n${causes.map((c) => `* ${c}`).join('\n')}`;
}

/**
 * kubectl's REST mapper finds no resource for a kind before anything is sent: it names the
 * object as written, the file, the kind and version, and what to do.
 */
function mappingNotFound(ref: NonNullable<SimError['ref']>, file: string | undefined): string {
  return (
    `error: resource mapping not found for name: ${JSON.stringify(ref.name)} namespace: ${JSON.stringify(ref.namespace ?? '')} ` +
    `from ${JSON.stringify(file ?? '')}: no matches for kind ${JSON.stringify(ref.kind)} in version ${JSON.stringify(ref.apiVersion)}\n` +
    'ensure CRDs are installed first'
  );
}

/**
 * kubectl's stderr line for an error: the API server's status line when it names an object;
 * a Conflict kubectl finds itself (a label that already has a value) as its own `error: `;
 * else, for an object read from `file`, the server's BadRequest; else kubectl's `error: `.
 */
export function errorLine(e: SimError, file?: string): string {
  if (e.code === 'UNKNOWN_KIND' && e.ref?.apiVersion !== undefined) return mappingNotFound(e.ref, file);
  const status = statusLine(e);
  if (status !== undefined) return status;
  // A conflict kubectl finds itself, or a request it refuses before sending (apply with generateName).
  if (e.reason === 'Conflict' || (e.code === 'INVALID_COMMAND' && file !== undefined)) return `error: ${e.issues[0]!.message}`;
  // A manifest the server cannot decode is refused for that before any field is checked.
  const undecodable = e.issues.find((i) => !FIELD_ERROR.test(i.message)) ?? e.issues[0]!;
  const message = withExtensionHowTo(undecodable === e.issues[0] ? e.message : formatIssue(undecodable));
  return file === undefined ? `error: ${message}` : `Error from server (BadRequest): error when creating "${file}": ${message}`;
}

/** Core names an extension a field needs; the CLI says how to switch it on here. */
function withExtensionHowTo(message: string): string {
  return message.replaceAll(
    'enable the spiffeTlsUpgrade extension to use it',
    'enable the spiffeTlsUpgrade extension to use it (start cilium-sim with --extension spiffe-tls-upgrade, or run cilium config set enable-spiffe-tls-upgrade true)',
  );
}

export interface ReportOptions {
  /** Follows each success line: ` (server dry run)`. */
  readonly suffix?: string;
  /** The file the objects came from, named in BadRequest lines. */
  readonly file?: string;
  /** A verb's own wording of an error, when it has one. */
  readonly errorLine?: (e: SimError) => string;
}

/**
 * Joins per-object results as kubectl prints them: successes on stdout, errors on stderr. One
 * refused object is kubectl's own line (`The Pod "x" is invalid: ...`); several are its aggregate,
 * each the server's status after its reason (`Error from server (Invalid): error when creating
 * "f.yaml": Pod "x" is invalid: ...`).
 */
export function report(results: readonly ObjectResult[], opts: ReportOptions = {}): CommandResult {
  let stdout = '';
  let stderr = '';
  const aggregate = results.filter((r) => !r.ok).length > 1;
  for (const r of results) {
    // kubectl prints the API server's warnings on stderr as they arrive, before the object's line.
    if (r.ok) for (const w of r.warnings ?? []) stderr += `Warning: ${w}\n`;
    if (r.ok) stdout += `${successLine(r.ref, r.verb)}${opts.suffix ?? ''}\n`;
    else {
      const error = aboutObject(r.error, r.ref);
      const custom = opts.errorLine?.(error);
      stderr += `${custom ?? (aggregate ? aggregateLine(error, opts.file) : undefined) ?? errorLine(error, opts.file)}\n`;
    }
  }
  return { stdout, stderr, exitCode: results.some((r) => !r.ok) ? 1 : 0 };
}

/** An admission refusal names the object it refused through the result: its field errors are about it. */
function aboutObject(e: SimError, ref: ObjectRef | undefined): SimError {
  if (e.ref !== undefined || ref === undefined || e.reason !== 'Invalid' || !isFieldRefusal(e)) return e;
  return SimError.of(e.issues.map((i) => ({ ...i, ref })));
}

/** One of several refused objects, as kubectl's aggregate prints an Invalid status; undefined for the rest. */
function aggregateLine(e: SimError, file: string | undefined): string | undefined {
  const ref = e.ref;
  if (e.reason !== 'Invalid' || ref === undefined || !k8s.isApiKind(ref.kind) || !isFieldRefusal(e)) return undefined;
  const source = file === undefined ? '' : `error when creating ${JSON.stringify(file)}: `;
  return `Error from server (Invalid): ${source}${serverInvalidMessage(ref.kind, ref.name, e.issues)}`;
}
