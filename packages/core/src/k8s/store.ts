import { quoteValue } from './quoteValue.ts';
import { isSimError, SimError } from '../errors.ts';
import { admit } from './admission.ts';
import { canonicalJson } from './canonicalJson.ts';
import { CommitBatch } from './commitBatch.ts';
import { txEnv, type ApplyContext } from './context.ts';
import { deleteOrMark, markedForDeletion } from './controllers/finalizers.ts';
import { runControllers } from './controllers/reconcile.ts';
import { withGeneratedName } from './generateName.ts';
import { KINDS, isKind } from './kinds.ts';
import { isRecord, type ManifestDocument } from './manifest.ts';
import { objectKey, type K8sObject, type ObjectRef } from './objects.ts';
import { getByKey, keysInNamespace, type K8sState } from './state.ts';
import { Tx } from './transaction.ts';
import { identifyDocument, validateDocument, type ValidateOptions } from './validate.ts';

export type Verb = 'created' | 'configured' | 'unchanged' | 'deleted' | 'labeled' | 'unlabeled' | 'not labeled' | 'annotated' | 'scaled';

/**
 * What happened to one object: the verb done to it, or the SimError that refused it. Tools word
 * it themselves (kubectl prints `pod/xwing created`, `pod "xwing" deleted`).
 */
export type ObjectResult =
  | { readonly ok: true; readonly ref: ObjectRef; readonly verb: Verb; readonly warnings?: readonly string[] }
  | { readonly ok: false; readonly ref?: ObjectRef; readonly error: SimError };

export interface StoreResult {
  readonly state: K8sState;
  readonly results: readonly ObjectResult[];
}

type Mode = 'apply' | 'create';

/** Namespaces the API server refuses to delete. */
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/**
 * `kubectl apply -f`: each object is validated, admitted and reconciled as ONE transaction, in
 * file order. A rejected object leaves no trace; the other objects still apply. Each result
 * says created, configured or unchanged. Pure apart from the context's Rng.
 */
export function applyDocuments(
  state: K8sState,
  docs: readonly ManifestDocument[],
  ctx: ApplyContext,
  opts: ValidateOptions = {},
): StoreResult {
  return eachDocument(state, docs, (s, doc, batch) => upsert(s, doc, ctx, 'apply', opts, batch));
}

/** `kubectl create -f`: as apply, but an existing object is an AlreadyExists error. */
export function createDocuments(
  state: K8sState,
  docs: readonly ManifestDocument[],
  ctx: ApplyContext,
  opts: ValidateOptions = {},
): StoreResult {
  return eachDocument(state, docs, (s, doc, batch) => upsert(s, doc, ctx, 'create', opts, batch));
}

/**
 * `kubectl delete -f`: deletes each object the file names. A Namespace
 * is deleted after the other objects, as its real deletion finishes asynchronously: so deleting
 * a file that starts with its Namespace still reports each of its objects as deleted.
 */
export function deleteDocuments(
  state: K8sState,
  docs: readonly ManifestDocument[],
  ctx: ApplyContext,
  opts: ValidateOptions = {},
): StoreResult {
  const namespaces: ObjectRef[] = [];
  const out = eachDocument(state, docs, (s, doc, batch) => {
    const ref = identifyDocument(doc, opts);
    if (ref.kind !== 'Namespace') return deleteObject(s, ref, ctx, batch);
    const checked = guarded(s, () => checkDeletable(s, ref));
    if (checked.result.ok) namespaces.push(ref);
    return checked;
  });
  const final = namespaces.reduce((s, ref) => deleteObject(s, ref, ctx).state, out.state);
  return { state: final, results: out.results };
}

/**
 * Runs `step` for each document, each from the state the one before left, as one batch of
 * commits (commitBatch.ts): the states in between are seen by the next step only.
 */
function eachDocument(
  state: K8sState,
  docs: readonly ManifestDocument[],
  step: (s: K8sState, doc: ManifestDocument, batch: CommitBatch) => { state: K8sState; result: ObjectResult },
): StoreResult {
  const results: ObjectResult[] = [];
  const batch = new CommitBatch();
  let current = state;
  try {
    for (const doc of docs) {
      const out = guarded(current, () => step(current, doc, batch));
      current = out.state;
      results.push(out.result);
    }
  } finally {
    batch.end();
  }
  return { state: current, results };
}

/** Turns a SimError into a failed result and the unchanged state; other errors are bugs. */
function guarded(state: K8sState, fn: () => { state: K8sState; result: ObjectResult }): { state: K8sState; result: ObjectResult } {
  try {
    return fn();
  } catch (e) {
    if (!isSimError(e)) throw e;
    return { state, result: { ok: false, error: e } };
  }
}

function upsert(
  state: K8sState,
  doc: ManifestDocument,
  ctx: ApplyContext,
  mode: Mode,
  opts: ValidateOptions,
  batch?: CommitBatch,
): { state: K8sState; result: ObjectResult } {
  const { ref, manifest } = validateDocument(named(state, doc, ctx, mode, opts), opts);
  try {
    const tx = new Tx(state, txEnv(ctx));
    requireNamespace(tx, ref);
    const existing = tx.get(ref);
    if (existing !== undefined && mode === 'create') {
      throw new SimError({ code: 'ALREADY_EXISTS', ref, message: 'already exists' });
    }
    if (existing !== undefined) checkResourceVersion(ref, manifest, existing);
    if (existing !== undefined) checkUid(ref, manifest, existing);
    const candidate = admit(state, ref, manifest, existing, tx.env);
    if (existing !== undefined && canonicalJson(candidate) === canonicalJson(existing)) {
      return { state, result: success(ref, 'unchanged') };
    }
    if (existing?.metadata.deletionTimestamp !== undefined) checkNoNewFinalizers(ref, candidate, existing);
    // An object waiting for its finalizers goes once the last is removed (a Namespace once it is empty too: ownerGc.ts).
    if (existing?.metadata.deletionTimestamp !== undefined && candidate.metadata.finalizers === undefined && ref.kind !== 'Namespace')
      tx.remove(ref);
    else tx.put(existing === undefined ? candidate : bumpGeneration(candidate, existing));
    runControllers(tx);
    const warnings = ctx.warnings?.(candidate) ?? [];
    const verb = existing === undefined ? 'created' : 'configured';
    return { state: tx.commit(batch), result: warnings.length === 0 ? success(ref, verb) : { ok: true, ref, verb, warnings } };
  } catch (e) {
    // Past validation the object is known: name it in the failed result for printers.
    if (!isSimError(e)) throw e;
    return { state, result: { ok: false, ref, error: e } };
  }
}

/** The document with the name the API server generates from its `generateName` (create only). */
function named(state: K8sState, doc: ManifestDocument, ctx: ApplyContext, mode: Mode, opts: ValidateOptions): ManifestDocument {
  const kind = isRecord(doc.value) ? doc.value['kind'] : undefined;
  if (typeof kind !== 'string' || !isKind(kind)) return doc;
  return withGeneratedName(doc, mode, ctx.rng.stream('generated-names'), (name, written) => {
    const namespace = KINDS[kind].namespaced
      ? typeof written === 'string' && written !== ''
        ? written
        : (opts.namespace ?? 'default')
      : undefined;
    return getByKey(state, objectKey({ kind, name, ...(namespace === undefined ? {} : { namespace }) })) !== undefined;
  });
}

/**
 * Optimistic concurrency, as the API server keeps it: an update that carries a resourceVersion
 * (an object read with `kubectl get -o yaml`, changed and applied back) is refused with 409
 * Conflict when the object has changed since it was read; without one the update is unconditional.
 */
function checkResourceVersion(ref: ObjectRef, manifest: Readonly<Record<string, unknown>>, existing: K8sObject): void {
  const written = ((manifest['metadata'] ?? {}) as Record<string, unknown>)['resourceVersion'];
  if (written === undefined || written === null || written === '' || written === existing.metadata.resourceVersion) return;
  const { group, plural } = KINDS[ref.kind];
  throw new SimError({
    code: 'CONFLICT',
    ref,
    message: `Operation cannot be fulfilled on ${group === '' ? plural : `${plural}.${group}`} "${ref.name}": the object has been modified; please apply your changes to the latest version and try again`,
  });
}

/** An update naming another object's uid (a manifest read from an object since deleted and made anew) is refused: uid is immutable. */
function checkUid(ref: ObjectRef, manifest: Readonly<Record<string, unknown>>, existing: K8sObject): void {
  const written = ((manifest['metadata'] ?? {}) as Record<string, unknown>)['uid'];
  if (written === undefined || written === '' || written === existing.metadata.uid) return;
  throw new SimError({
    code: 'INVALID_FIELD',
    ref,
    path: 'metadata.uid',
    message: `Invalid value: ${quoteValue(written)}: field is immutable`,
  });
}

function bumpGeneration(candidate: K8sObject, existing: K8sObject): K8sObject {
  const specOf = (o: K8sObject): string => canonicalJson('spec' in o ? o.spec : 'specs' in o ? o.specs : null);
  if (specOf(candidate) === specOf(existing)) return candidate;
  return { ...candidate, metadata: { ...candidate.metadata, generation: existing.metadata.generation + 1 } } as K8sObject;
}

function requireNamespace(tx: Tx, ref: ObjectRef): void {
  if (ref.namespace === undefined) return;
  const ns = tx.get({ kind: 'Namespace', name: ref.namespace });
  if (ns === undefined) throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Namespace', name: ref.namespace }, message: 'not found' });
  if (ns.metadata.deletionTimestamp !== undefined && tx.get(ref) === undefined)
    throw new SimError({
      code: 'FORBIDDEN',
      ref,
      message: `unable to create new content in namespace ${ref.namespace} because it is being terminated`,
    });
}

/** The API server refuses to add a finalizer to an object already being deleted. */
function checkNoNewFinalizers(ref: ObjectRef, candidate: K8sObject, existing: K8sObject): void {
  const had = new Set(existing.metadata.finalizers ?? []);
  const added = (candidate.metadata.finalizers ?? []).filter((f) => !had.has(f));
  if (added.length === 0) return;
  throw new SimError({
    code: 'FORBIDDEN',
    ref,
    path: 'metadata.finalizers',
    message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
  });
}

/**
 * `kubectl delete KIND NAME`: removes the object and what it owns (a Deployment's pods; every
 * object of a deleted Namespace), as one transaction. A missing object is NotFound; a
 * protected namespace is Forbidden.
 */
export function deleteObject(
  state: K8sState,
  ref: ObjectRef,
  ctx: ApplyContext,
  batch?: CommitBatch,
): { state: K8sState; result: ObjectResult } {
  return guarded(state, () => {
    const { result } = checkDeletable(state, ref);
    const tx = new Tx(state, txEnv(ctx));
    // Objects with finalizers are only marked; a Namespace waits, Terminating, for what is left in it.
    let emptied = true;
    if (ref.kind === 'Namespace') {
      for (const key of keysInNamespace(state, ref.name)) emptied = deleteOrMark(tx, getByKey(state, key)!) && emptied;
    }
    const target = tx.get(ref)!;
    if (!emptied && (target.metadata.finalizers?.length ?? 0) === 0) tx.put(markedForDeletion(target, tx.env.now));
    else deleteOrMark(tx, target);
    runControllers(tx);
    return { state: tx.commit(batch), result };
  });
}

/** Throws NotFound / Forbidden as the API server would; otherwise the `deleted` result. */
function checkDeletable(state: K8sState, ref: ObjectRef): { state: K8sState; result: ObjectResult } {
  if (getByKey(state, objectKey(ref)) === undefined) {
    throw new SimError({ code: 'NOT_FOUND', ref, message: 'not found' });
  }
  if (ref.kind === 'Namespace' && PROTECTED_NAMESPACES.has(ref.name)) {
    throw new SimError({ code: 'FORBIDDEN', ref, message: 'this namespace may not be deleted' });
  }
  return { state, result: { ok: true, ref, verb: 'deleted' } };
}

export function success(ref: ObjectRef, verb: Verb): ObjectResult {
  return { ok: true, ref, verb };
}
