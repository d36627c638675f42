import type { z } from 'zod';
import { SimError, type SimErrorCode, type SimIssue } from '../errors.ts';
import { APPLICABLE_KINDS, KINDS, type KindInfo, isKind } from './kinds.ts';
import { isRecord, type ManifestDocument } from './manifest.ts';
import type { Kind, ObjectRef } from './objects.ts';
import { quoteValue } from './quoteValue.ts';

const PORT_FIELDS = new Set(['containerPort', 'port', 'targetPort', 'nodePort', 'hostPort']);

export interface ValidateOptions {
  /** The namespace of objects that name none (kubectl's `-n`, else `default`). */
  readonly namespace?: string;
  /** True when the user passed `-n`: an object naming another namespace is then an error. */
  readonly namespaceExplicit?: boolean;
}

/** A manifest object that passed validation: its identity and the object as written. */
export interface ValidatedDocument {
  readonly ref: ObjectRef;
  readonly manifest: Readonly<Record<string, unknown>>;
}

/**
 * Validates one manifest object in one pass and reports every issue, each naming the object
 * (`Deployment default/deathstar`) and the field (`spec.template.spec.containers[0].ports[0].containerPort`).
 * Pure; throws a SimError on bad input.
 */
export function validateDocument(doc: ManifestDocument, opts: ValidateOptions = {}): ValidatedDocument {
  return checkDocument(doc, opts, true);
}

/**
 * The object a document names (kind, namespace, name), checking no more than that, its
 * apiVersion and namespace: `kubectl delete -f FILE` deletes what FILE names even when the
 * rest of it would no longer be accepted, as kubectl does.
 */
export function identifyDocument(doc: ManifestDocument, opts: ValidateOptions = {}): ObjectRef {
  return checkDocument(doc, opts, false).ref;
}

function checkDocument(doc: ManifestDocument, opts: ValidateOptions, full: boolean): ValidatedDocument {
  const value = doc.value;
  const where = `document ${doc.index}${doc.itemPath === '' ? '' : ` ${doc.itemPath}`}`;
  if (!isRecord(value)) {
    throw new SimError({
      code: 'INVALID_OBJECT',
      object: where,
      message: `expected a Kubernetes object (a mapping with apiVersion, kind, metadata), received ${preview(value)}`,
    });
  }
  const kind = value['kind'];
  if (kind !== undefined && kind !== null && typeof kind !== 'string') {
    throw new SimError({
      code: 'INVALID_OBJECT',
      object: where,
      path: 'kind',
      message: `kind must be a string such as Pod, received ${preview(kind)}`,
    });
  }
  if (typeof kind !== 'string' || kind === '') {
    throw new SimError({
      code: 'INVALID_OBJECT',
      object: where,
      path: 'kind',
      message: "Object 'Kind' is missing; every document needs `kind:` (e.g. kind: Pod)",
    });
  }
  if (full && isKind(kind) && KINDS[kind].schema === undefined) {
    // A kind the simulator serves from its own state (Node, CiliumEndpoint, ...): the API knows
    // it, so `no matches for kind` would be untrue; no manifest writes one here (delete -f may).
    const ref = refFromManifest(kind, value, opts);
    throw new SimError({
      code: 'FORBIDDEN',
      object: refName(ref),
      ref,
      message: `cilium-sim makes its ${KINDS[kind].plural} itself (kubectl get shows them); a manifest cannot create or change one`,
    });
  }
  if (!isKind(kind)) {
    const version = typeof value['apiVersion'] === 'string' ? value['apiVersion'] : '';
    const meta = isRecord(value['metadata']) ? value['metadata'] : {};
    const written = (field: string): string => (typeof meta[field] === 'string' ? (meta[field] as string) : '');
    throw new SimError({
      code: 'UNKNOWN_KIND',
      object: where,
      // The object as written (no namespace defaulted), as a client's REST mapper names it.
      ref: { kind, name: written('name'), namespace: written('namespace'), apiVersion: version },
      path: 'kind',
      message: `no matches for kind "${kind}" in version "${version}"; supported kinds: ${APPLICABLE_KINDS.join(', ')}`,
    });
  }
  const info: KindInfo = KINDS[kind];
  const ref = refFromManifest(kind, value, opts);
  const object = refName(ref);
  // A field the schema refuses is about this object: the API server's Invalid status names it.
  // An object without apiVersion never reaches the server, so that one names no object.
  const fieldIssues = full ? schemaIssues(info.schema!, value, object).map((i) => (i.path === 'apiVersion' ? i : { ...i, ref })) : [];
  const issues = [...apiVersionIssues(info, value, object), ...fieldIssues];
  issues.push(...namespaceIssues(ref, value, opts, object));
  if (issues.length > 0) throw SimError.of(issues);
  return { ref, manifest: pruned(value) };
}

/** `apiVersion` must be one the registry serves the kind at, as `no matches for kind` says otherwise. */
function apiVersionIssues(info: KindInfo, value: Record<string, unknown>, object: string): SimIssue[] {
  const version = value['apiVersion'];
  if (typeof version !== 'string' || info.apiVersions.includes(version)) return [];
  const message = `no matches for kind "${info.kind}" in version "${version}"; use apiVersion: ${info.apiVersions.join(' or ')}`;
  return [{ code: 'INVALID_FIELD', object, path: 'apiVersion', message: `${message} (received ${preview(version)})` }];
}

function refFromManifest(kind: Kind, value: Record<string, unknown>, opts: ValidateOptions): ObjectRef {
  const meta = isRecord(value['metadata']) ? value['metadata'] : {};
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  if (!KINDS[kind].namespaced) return { kind, name };
  const namespace = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : (opts.namespace ?? 'default');
  return { kind, namespace, name };
}

function namespaceIssues(ref: ObjectRef, value: Record<string, unknown>, opts: ValidateOptions, object: string): SimIssue[] {
  const written = isRecord(value['metadata']) ? value['metadata']['namespace'] : undefined;
  if (opts.namespaceExplicit !== true || typeof written !== 'string' || ref.namespace === undefined) return [];
  if (written === '' || written === opts.namespace) return [];
  return [
    {
      code: 'INVALID_FIELD',
      object,
      path: 'metadata.namespace',
      message: `the namespace from the provided object "${written}" does not match the namespace "${opts.namespace}". You must pass '--namespace=${written}' to perform this operation.`,
    },
  ];
}

/** Every issue `schema` finds in `value`, each naming `object` and the field, worded as the API server words it. */
export function schemaIssues(schema: z.ZodType, value: unknown, object: string): SimIssue[] {
  // Reporting inputs takes zod off its compiled fast path (three times the cost of a valid
  // object), so only an object with issues is parsed again to name what it received.
  if (schema.safeParse(value).success) return [];
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => toSimIssues(issue, object));
}

function toSimIssues(issue: z.core.$ZodIssue, object: string): SimIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = formatPath([...issue.path, key]);
      return { code: 'UNKNOWN_FIELD' as const, object, path, message: `unknown field "${path}"; check its spelling and indentation` };
    });
  }
  const path = formatPath(issue.path);
  const last = issue.path[issue.path.length - 1];
  const code: SimErrorCode = typeof last === 'string' && PORT_FIELDS.has(last) ? 'INVALID_PORT' : 'INVALID_FIELD';
  const missing = issue.input === undefined && issue.code === 'invalid_type';
  const message = issue.code === 'invalid_type' ? typeMessage(issue, missing) : issue.message;
  return [{ code, object, path, message: missing || issue.input === undefined ? message : withValue(message, issue.input) }];
}

/**
 * Zod's own `Invalid input: expected string, received undefined`, said as the API server says
 * it: a missing field is `Required value`, a value of the wrong type `Invalid value: ...`.
 */
function typeMessage(issue: z.core.$ZodIssueInvalidType, missing: boolean): string {
  if (!issue.message.startsWith('Invalid input'))
    return missing && !issue.message.startsWith('Required value') ? `Required value: ${issue.message}` : issue.message;
  if (missing) return 'Required value';
  return `Invalid value: must be ${TYPE_NOUNS[issue.expected] ?? issue.expected}`;
}

/**
 * The offending value in the message, where the API server's field errors put it
 * (`Invalid value: "Web_1": a lowercase RFC 1123 label ...`, `Unsupported value: "SCTPX":
 * supported values: ...`), cut when long; a message that quotes it already, or is not one of
 * those, gets it at the end.
 */
function withValue(message: string, input: unknown): string {
  // A missing or forbidden field has no value to show, and one too long is never repeated.
  if (/^(Required value|Forbidden|Not found|Too long)\b/.test(message)) return message;
  const m = /^(Invalid value|Unsupported value|Duplicate value|Too many)(?:: (.*))?$/s.exec(message);
  if (m === null) return `${message} (received ${preview(input)})`;
  if (m[2] === undefined) return `${m[1]}: ${quoteValue(input)}`;
  if (/^("|-?\d|\[|map\[)/.test(m[2])) return message;
  return `${m[1]}: ${quoteValue(input)}: ${m[2]}`;
}

const TYPE_NOUNS: Readonly<Record<string, string>> = {
  object: 'a mapping of key: value',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  record: 'a mapping of key: value',
};

/** `spec.template.spec.containers[0].ports[0].containerPort`; label keys with dots are bracketed. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(seg))) out += out === '' ? String(seg) : `.${String(seg)}`;
    else out += `[${String(seg)}]`;
  }
  return out;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `Pod default/xwing`, or the kind alone when the name is missing. */
function refName(ref: ObjectRef): string {
  if (ref.name === '') return ref.kind;
  return ref.namespace === undefined ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}

/**
 * Drops what the API server prunes as unknown: a CNP's top-level `description`. A written
 * `status` is left for admission, which ignores it (a Pod reads the IP it pins there).
 */
function pruned(value: Record<string, unknown>): Record<string, unknown> {
  const { description: _description, ...rest } = value;
  return rest;
}
