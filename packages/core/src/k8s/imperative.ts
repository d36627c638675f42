import { describeValue, SimError } from '../errors.ts';
import { storeLookup } from './admission.ts';
import { txEnv, type ApplyContext } from './context.ts';
import { runControllers } from './controllers/reconcile.ts';
import { admitPodSpec, checkServiceAccount } from './podAdmission.ts';
import { dnsSubdomainProblem, labelKeyProblem, labelValueProblem } from './names.ts';
import { MAX_REPLICAS } from './schemas/deployment.ts';
import { MAX_ANNOTATIONS_BYTES } from './schemas/labels.ts';
import { utf8Length } from '../utf8.ts';
import { describeRef, type K8sObject, type ObjectRef, type Pod } from './objects.ts';
import type { K8sState } from './state.ts';
import { success, type ObjectResult } from './store.ts';
import { Tx } from './transaction.ts';

type Outcome = { state: K8sState; result: ObjectResult };

/**
 * `kubectl label KIND NAME k=v k2-`: `changes` maps a key to its new value, or to null to remove
 * it. Without `overwrite`, changing an existing value is a Conflict, as kubectl refuses it. The
 * verb is `labeled` (`unlabeled` when only removing, `not labeled` when nothing changed).
 */
export function labelObject(
  state: K8sState,
  ref: ObjectRef,
  changes: Readonly<Record<string, string | null>>,
  overwrite: boolean,
  ctx: ApplyContext,
): Outcome {
  return changeMetadataMap(state, ref, 'labels', changes, overwrite, ctx);
}

/**
 * `kubectl annotate KIND NAME k=v k2-`: as `labelObject`, over `metadata.annotations`, whose keys
 * follow the label keys' rules and whose values may be any text. The verb is always `annotated`.
 */
export function annotateObject(
  state: K8sState,
  ref: ObjectRef,
  changes: Readonly<Record<string, string | null>>,
  overwrite: boolean,
  ctx: ApplyContext,
): Outcome {
  return changeMetadataMap(state, ref, 'annotations', changes, overwrite, ctx);
}

/** The one change behind label and annotate: keys checked, a changed value only with `overwrite`. */
function changeMetadataMap(
  state: K8sState,
  ref: ObjectRef,
  field: 'labels' | 'annotations',
  changes: Readonly<Record<string, string | null>>,
  overwrite: boolean,
  ctx: ApplyContext,
): Outcome {
  return command(state, ctx, (tx) => {
    checkMetadataChanges(ref, field, changes);
    const obj = found(tx, ref);
    const current: Readonly<Record<string, string>> = (field === 'labels' ? obj.metadata.labels : obj.metadata.annotations) ?? {};
    const next: Record<string, string> = { ...current };
    for (const [key, value] of Object.entries(changes)) {
      const problem = labelKeyProblem(key) ?? (value === null || field === 'annotations' ? undefined : labelValueProblem(value));
      if (problem !== undefined)
        throw new SimError({
          code: 'INVALID_FIELD',
          object: describeRef(ref),
          path: `metadata.${field}`,
          message: `invalid ${field === 'labels' ? 'label' : 'annotation'} ${JSON.stringify(key)}: ${problem}`,
        });
      if (value === null) {
        delete next[key];
        continue;
      }
      const old = next[key];
      if (old !== undefined && old !== value && !overwrite) {
        throw new SimError({
          code: 'CONFLICT',
          ref,
          path: `metadata.${field}.${key}`,
          message: `'${key}' already has a value (${old})`,
        });
      }
      next[key] = value;
    }
    if (field === 'annotations') checkAnnotationsSize(ref, next);
    // The API server sets a Namespace's name label on every write: a namespaceSelector on it cannot be fooled.
    if (field === 'labels' && ref.kind === 'Namespace') next['kubernetes.io/metadata.name'] = ref.name;
    const same = JSON.stringify(Object.entries(next).sort()) === JSON.stringify(Object.entries(current).sort());
    if (!same) tx.put({ ...obj, metadata: { ...obj.metadata, [field]: next } } as K8sObject);
    // kubectl annotate says `annotated` whatever changed; label tells the three cases apart.
    if (field === 'annotations') return success(ref, 'annotated');
    if (same) return success(ref, 'not labeled');
    return success(ref, Object.keys(next).length < Object.keys(current).length ? 'unlabeled' : 'labeled');
  });
}

/** The API server's bound on an object's annotations together, as a manifest's are checked (schemas/labels.ts). */
function checkAnnotationsSize(ref: ObjectRef, annotations: Readonly<Record<string, string>>): void {
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) bytes += utf8Length(key) + utf8Length(value);
  if (bytes > MAX_ANNOTATIONS_BYTES)
    throw new SimError({
      code: 'INVALID_FIELD',
      ref,
      path: 'metadata.annotations',
      message: `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes`,
    });
}

/** `changes` is a plain object of strings (set) and nulls (remove), whatever a JavaScript caller passed. */
function checkMetadataChanges(ref: ObjectRef, field: 'labels' | 'annotations', changes: unknown): void {
  const bad = (message: string): never => {
    throw new SimError({ code: 'INVALID_FIELD', object: describeRef(ref), path: `metadata.${field}`, message });
  };
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes))
    bad(`expected an object of KEY: VALUE (null removes), received ${describeValue(changes)}`);
  for (const [key, value] of Object.entries(changes as object))
    if (value !== null && typeof value !== 'string')
      bad(`${JSON.stringify(key)}: expected a string or null, received ${describeValue(value)}`);
}

/** `kubectl scale deployment|statefulset NAME --replicas=N`: the verb is `scaled`. */
export function scaleDeployment(state: K8sState, ref: ObjectRef, replicas: number, ctx: ApplyContext): Outcome {
  return command(state, ctx, (tx) => {
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new SimError({
        code: 'INVALID_FLAG',
        path: '--replicas',
        message: `must be a whole number of 0 or more, received ${replicas}`,
      });
    }
    if (replicas > MAX_REPLICAS) {
      throw new SimError({
        code: 'LIMIT_EXCEEDED',
        path: '--replicas',
        message: `cilium-sim runs at most ${MAX_REPLICAS} replicas of a Deployment, received ${replicas}`,
      });
    }
    if (ref.kind !== 'Deployment' && ref.kind !== 'StatefulSet')
      throw new SimError({
        code: 'INVALID_FIELD',
        object: describeRef(ref),
        path: 'kind',
        message: `a ${ref.kind} has no replicas to scale; scale a Deployment or a StatefulSet`,
      });
    const d = found(tx, ref);
    if (d.kind !== 'Deployment' && d.kind !== 'StatefulSet') throw new Error('invariant violated: not a Deployment');
    if (d.spec.replicas !== replicas) {
      const metadata = { ...d.metadata, generation: d.metadata.generation + 1 };
      tx.put(
        d.kind === 'Deployment' ? { ...d, metadata, spec: { ...d.spec, replicas } } : { ...d, metadata, spec: { ...d.spec, replicas } },
      );
    }
    return success(ref, 'scaled');
  });
}

export interface RunPodOptions {
  readonly namespace?: string;
  /** `--labels`; default `run=<name>` as kubectl run sets it. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `--port`: a TCP container port. */
  readonly port?: number;
}

/** `kubectl run NAME --image=IMAGE`: one pod whose single container is named after it. */
export function runPod(state: K8sState, name: string, image: string, opts: RunPodOptions, ctx: ApplyContext): Outcome {
  const ref: ObjectRef = { kind: 'Pod', namespace: opts.namespace ?? 'default', name };
  return command(state, ctx, (tx) => {
    if (typeof name !== 'string' || name === '')
      throw new SimError({
        code: 'INVALID_FIELD',
        object: 'Pod',
        path: 'metadata.name',
        message: 'Required value: name or generateName is required',
      });
    if (typeof image !== 'string' || image === '')
      throw new SimError({
        code: 'INVALID_FIELD',
        object: `Pod ${opts.namespace ?? 'default'}/${name}`,
        path: 'spec.containers[0].image',
        message: 'Required value: every container needs an image (--image)',
      });
    if (tx.get({ kind: 'Namespace', name: ref.namespace! }) === undefined) {
      throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Namespace', name: ref.namespace! }, message: 'not found' });
    }
    if (tx.get(ref) !== undefined) throw new SimError({ code: 'ALREADY_EXISTS', ref, message: 'already exists' });
    if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535)) {
      throw new SimError({ code: 'INVALID_PORT', path: '--port', message: `must be between 1 and 65535, received ${opts.port}` });
    }
    const nameProblem = dnsSubdomainProblem(name);
    if (nameProblem !== undefined)
      throw new SimError({
        code: 'INVALID_FIELD',
        object: describeRef(ref),
        path: 'metadata.name',
        message: `Invalid value: ${JSON.stringify(name)}: ${nameProblem}`,
      });
    const label = Object.entries(opts.labels ?? {})
      .map(([k, v]) => ({ k, problem: labelKeyProblem(k) ?? labelValueProblem(v) }))
      .find((l) => l.problem !== undefined);
    if (label !== undefined)
      throw new SimError({
        code: 'INVALID_FIELD',
        object: describeRef(ref),
        path: `metadata.labels`,
        message: `invalid label ${JSON.stringify(label.k)}: ${label.problem}`,
      });
    checkServiceAccount(storeLookup(tx.base), ref, 'default');
    const container = { name, image, ...(opts.port === undefined ? {} : { ports: [{ containerPort: opts.port }] }) };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: ref.namespace!,
        uid: tx.env.streams.uids.uuid(),
        labels: { ...(opts.labels ?? { run: name }) },
        creationTimestamp: tx.env.now,
        resourceVersion: '',
        generation: 1,
      },
      spec: admitPodSpec({ containers: [container] }),
      status: { phase: 'Pending' },
    };
    tx.put(pod);
    return { ok: true, ref, verb: 'created' };
  });
}

function found(tx: Tx, ref: ObjectRef): K8sObject {
  const obj = tx.get(ref);
  if (obj === undefined) throw new SimError({ code: 'NOT_FOUND', ref, message: 'not found' });
  return obj;
}

/** One command = one transaction; a SimError leaves the state as it was. */
function command(state: K8sState, ctx: ApplyContext, fn: (tx: Tx) => ObjectResult): Outcome {
  const tx = new Tx(state, txEnv(ctx));
  try {
    const result = fn(tx);
    if (tx.changed) runControllers(tx);
    return { state: tx.commit(), result };
  } catch (e) {
    if (!(e instanceof SimError)) throw e;
    return { state, result: { ok: false, error: e } };
  }
}
