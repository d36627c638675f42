import { k8s, type ObjectRef, type ObjectResult, type SimError } from '@cilium-sim/core';
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
      return invalidLine(ref.kind, ref.name, e.issues);
    default:
      return undefined;
  }
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
  if (e.reason === 'Conflict') return `error: ${e.issues[0]!.message}`;
  const message = withExtensionHowTo(e.message);
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

/** Joins per-object results as kubectl prints them: successes on stdout, errors on stderr. */
export function report(results: readonly ObjectResult[], opts: ReportOptions = {}): CommandResult {
  let stdout = '';
  let stderr = '';
  for (const r of results) {
    // kubectl prints the API server's warnings on stderr as they arrive, before the object's line.
    if (r.ok) for (const w of r.warnings ?? []) stderr += `Warning: ${w}\n`;
    if (r.ok) stdout += `${successLine(r.ref, r.verb)}${opts.suffix ?? ''}\n`;
    else stderr += `${opts.errorLine?.(r.error) ?? errorLine(r.error, opts.file)}\n`;
  }
  return { stdout, stderr, exitCode: results.some((r) => !r.ok) ? 1 : 0 };
}
