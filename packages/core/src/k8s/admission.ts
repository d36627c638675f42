import { assert } from '../errors.ts';
import type { TxEnv } from './context.ts';
import type { ObjectLookup } from './kindDefinition.ts';
import { KINDS, type KindInfo } from './kinds.ts';
import {
  describeRef,
  objectKey,
  type K8sObject,
  type Kind,
  type ObjectMeta,
  type ObjectRef,
  type OwnerReference,
  type Pod,
} from './objects.ts';
import { podKeyByIp } from './podIndex.ts';
import { getByKey, listObjects, type K8sState } from './state.ts';

type Manifest = Readonly<Record<string, unknown>>;

/**
 * Turns a validated manifest into the object the API server would store: the server's metadata
 * set (uid, creationTimestamp), then the kind's admission hook of the registry (defaults filled,
 * allocations made, checks against `existing` and the rest of the store). `existing` is the
 * stored object on update. Throws a SimError on bad input. The result keeps `existing`'s
 * resourceVersion and generation; the store bumps them.
 */
export function admit(state: K8sState, ref: ObjectRef, manifest: Manifest, existing: K8sObject | undefined, env: TxEnv): K8sObject {
  const info: KindInfo = KINDS[ref.kind];
  assert(info.admit !== undefined, `${ref.kind} is not stored, so it cannot be admitted`);
  const metadata = admitMetadata(ref, manifest, existing, env);
  return info.admit({ ref, object: describeRef(ref), manifest, metadata, existing, env, store: storeLookup(state) });
}

function admitMetadata(ref: ObjectRef, manifest: Manifest, existing: K8sObject | undefined, env: TxEnv): ObjectMeta {
  const written = (manifest['metadata'] ?? {}) as Record<string, unknown>;
  const annotations = written['annotations'] as Record<string, string> | undefined;
  const owners = (written['ownerReferences'] as OwnerReference[] | undefined) ?? existing?.metadata.ownerReferences;
  const finalizers = written['finalizers'] as string[] | undefined;
  const deleting = existing?.metadata.deletionTimestamp;
  return {
    name: ref.name,
    ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
    uid: existing?.metadata.uid ?? env.streams.uids.uuid(),
    labels: (written['labels'] as Record<string, string> | undefined) ?? {},
    ...(annotations === undefined ? {} : { annotations }),
    creationTimestamp: existing?.metadata.creationTimestamp ?? env.now,
    resourceVersion: existing?.metadata.resourceVersion ?? '',
    generation: existing?.metadata.generation ?? 1,
    ...(owners === undefined || owners.length === 0 ? {} : { ownerReferences: owners }),
    ...(finalizers === undefined || finalizers.length === 0 ? {} : { finalizers: [...new Set(finalizers)] }),
    ...(deleting === undefined ? {} : { deletionTimestamp: deleting, deletionGracePeriodSeconds: 0 }),
  };
}

/** The store as admission hooks read it. */
export function storeLookup(state: K8sState): ObjectLookup {
  return {
    // The hooks name the kind they ask for and the type it has; the store keys objects by kind.
    get: (ref) => getByKey(state, objectKey(ref as ObjectRef)) as never,
    list: (kind, namespace) => listObjects(state, kind as Kind, namespace) as never,
    podAt: (ip) => {
      const key = podKeyByIp(state, ip);
      return key === undefined ? undefined : (getByKey(state, key) as Pod | undefined);
    },
  };
}
