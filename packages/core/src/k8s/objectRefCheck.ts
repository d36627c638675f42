import { SimError } from '../errors.ts';
import { APPLICABLE_KINDS, isKind, KINDS } from './kinds.ts';
import type { ObjectRef } from './objects.ts';

/**
 * Checks an ObjectRef handed to the library (`cluster.delete({ kind, namespace, name })`):
 * a JavaScript caller can pass anything, and a bad reference must be a SimError naming the
 * field, not a TypeError from deep inside the store.
 */
export function checkObjectRef(ref: unknown): asserts ref is ObjectRef {
  const fail = (path: string, message: string): never => {
    throw new SimError({ code: 'INVALID_FIELD', object: 'ObjectRef', path, message });
  };
  if (typeof ref !== 'object' || ref === null || Array.isArray(ref))
    fail(
      '',
      `expected { kind, namespace, name } such as { kind: 'Pod', namespace: 'default', name: 'web' }, received ${JSON.stringify(ref) ?? String(ref)}`,
    );
  const { kind, namespace, name } = ref as Record<string, unknown>;
  if (typeof kind !== 'string' || !isKind(kind))
    fail('kind', `unknown kind ${JSON.stringify(kind) ?? String(kind)}; supported kinds: ${APPLICABLE_KINDS.join(', ')}`);
  if (typeof name !== 'string' || name === '')
    fail('name', `Required value: a name (a non-empty string), received ${JSON.stringify(name) ?? String(name)}`);
  if (namespace !== undefined && typeof namespace !== 'string')
    fail('namespace', `must be a string, received ${JSON.stringify(namespace)}`);
}

/**
 * A checked reference as kubectl resolves it: the namespace of a cluster-scoped kind (a Node, a
 * Namespace) is ignored, and a namespaced kind without one is in `default`, or in the one a
 * `NAMESPACE/NAME` name gives (names never hold a slash), as `exec('default/xwing')` reads a pod.
 */
export function resolveObjectRef<R extends ObjectRef>(ref: R): R {
  checkObjectRef(ref);
  if (!KINDS[ref.kind].namespaced) return ref.namespace === undefined ? ref : ({ kind: ref.kind, name: ref.name } as R);
  if (ref.namespace !== undefined) return ref;
  const slash = ref.name.indexOf('/');
  if (slash > 0 && slash === ref.name.lastIndexOf('/') && slash < ref.name.length - 1)
    return { ...ref, namespace: ref.name.slice(0, slash), name: ref.name.slice(slash + 1) };
  return { ...ref, namespace: 'default' };
}
