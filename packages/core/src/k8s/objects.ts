/**
 * Kubernetes API objects and the references that name them. Every stored kind's object type is
 * one member of `K8sObject`, which the kind registry (kinds.ts) derives from its entries; the
 * built-in kinds' shapes are in builtinObjects.ts, a later kind's type is inferred from its
 * schema (k8s/schemas/).
 */
import type { K8sObject, Kind } from './kinds.ts';

export type { K8sObject, Kind } from './kinds.ts';
export type {
  CiliumClusterwideNetworkPolicy,
  CiliumNetworkPolicy,
  Container,
  ContainerPort,
  ContainerStatus,
  DaemonSet,
  Deployment,
  LabelSelector,
  LabelSelectorRequirement,
  Namespace,
  NetworkPolicy,
  Node,
  ObjectMeta,
  OwnerReference,
  Pod,
  PodSpec,
  PodStatus,
  PodTemplate,
  PolicyObject,
  Protocol,
  Service,
  ServiceAccount,
  ServicePort,
  ServiceType,
  StatefulSet,
  Taint,
  Toleration,
} from './builtinObjects.ts';

export type ObjectOfKind<K extends Kind> = Extract<K8sObject, { kind: K }>;

/** Names one object: `{ kind: 'Pod', namespace: 'default', name: 'xwing' }`. */
export interface ObjectRef {
  readonly kind: Kind;
  /** Omit for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
}

/**
 * The store key of an object: `Pod/default/xwing`, `Namespace/kube-system`. Stable and unique
 * because Kubernetes names never contain a slash.
 */
export function objectKey(ref: ObjectRef): string {
  return ref.namespace === undefined ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The reference a store key names: `Pod/default/xwing` -> `{ kind: 'Pod', namespace: 'default', name: 'xwing' }`. */
export function parseObjectKey(key: string): ObjectRef {
  const first = key.indexOf('/');
  const second = key.indexOf('/', first + 1);
  const kind = key.slice(0, first) as Kind;
  return second === -1
    ? { kind, name: key.slice(first + 1) }
    : { kind, namespace: key.slice(first + 1, second), name: key.slice(second + 1) };
}

export function refOf(obj: K8sObject): ObjectRef {
  const { name, namespace } = obj.metadata;
  return namespace === undefined ? { kind: obj.kind, name } : { kind: obj.kind, namespace, name };
}

/** `Pod default/xwing`, `Namespace sock-shop`: how errors name an object. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace === undefined ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}
