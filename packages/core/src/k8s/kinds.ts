import type { Kind } from './objects.ts';

/**
 * Kinds the simulator serves but does not store: it derives them from other state (Endpoints
 * from Services and pods, ReplicaSets from Deployments, CiliumEndpoints from the agents, ...).
 * They can be read, never applied.
 */
export type DerivedKind = 'Endpoints' | 'ConfigMap' | 'DaemonSet' | 'ReplicaSet' | 'StatefulSet' | 'CiliumEndpoint' | 'CiliumIdentity';

/** Every kind of API object the simulated API server knows: stored (`Kind`) or derived. */
export type ApiKind = Kind | DerivedKind;

/**
 * One API kind as the API server's discovery describes it. Tools take their names from here:
 * kubectl resolves `po`, `deploy` and `deployments.apps` with `plural`, `singular`,
 * `shortNames` and `group`, and names objects in its messages with them.
 */
export interface KindInfo {
  readonly kind: ApiKind;
  /** API group; '' for the core group (`Pod`, `Service`). */
  readonly group: string;
  /** Served versions, preferred first: `v1`, `v2`. */
  readonly versions: readonly string[];
  /** The `apiVersion` values a manifest may carry: `v1`, `apps/v1`, `cilium.io/v2`. */
  readonly apiVersions: readonly string[];
  /** Plural resource name, without group: `pods`, `deployments`, `ciliumnetworkpolicies`. */
  readonly plural: string;
  /** Singular resource name: `pod`, `deployment`, `endpoints`. */
  readonly singular: string;
  /** The short names discovery lists: `po`, `svc`, `cnp`. */
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  /** True when the store holds objects of this kind; false for a `DerivedKind`. */
  readonly stored: boolean;
  /** True when a manifest may carry it (apply, create, delete -f). Nodes are stored but not applicable. */
  readonly applicable: boolean;
}

type Entry = Omit<KindInfo, 'kind' | 'apiVersions' | 'singular'>;

function info(kind: ApiKind, e: Entry): KindInfo {
  const apiVersions = e.versions.map((v) => (e.group === '' ? v : `${e.group}/${v}`));
  return Object.freeze({ kind, ...e, apiVersions, singular: kind.toLowerCase() });
}

const core = { group: '', versions: ['v1'] } as const;
const apps = { group: 'apps', versions: ['v1'] } as const;
const cilium = { group: 'cilium.io', versions: ['v2'] } as const;
const user = { stored: true, applicable: true } as const;
const derived = { stored: false, applicable: false } as const;

/**
 * The kind registry: every kind the simulator knows, with its discovery names. The applicable
 * kinds come first, in the order an error lists them; adding an API kind starts here.
 */
export const KINDS: Readonly<Record<ApiKind, KindInfo>> = Object.freeze({
  Namespace: info('Namespace', { ...core, ...user, plural: 'namespaces', shortNames: ['ns'], namespaced: false }),
  ServiceAccount: info('ServiceAccount', { ...core, ...user, plural: 'serviceaccounts', shortNames: ['sa'], namespaced: true }),
  Pod: info('Pod', { ...core, ...user, plural: 'pods', shortNames: ['po'], namespaced: true }),
  Deployment: info('Deployment', { ...apps, ...user, plural: 'deployments', shortNames: ['deploy'], namespaced: true }),
  Service: info('Service', { ...core, ...user, plural: 'services', shortNames: ['svc'], namespaced: true }),
  NetworkPolicy: info('NetworkPolicy', {
    group: 'networking.k8s.io',
    versions: ['v1'],
    ...user,
    plural: 'networkpolicies',
    shortNames: ['netpol'],
    namespaced: true,
  }),
  CiliumNetworkPolicy: info('CiliumNetworkPolicy', {
    ...cilium,
    ...user,
    plural: 'ciliumnetworkpolicies',
    shortNames: ['cnp', 'ciliumnp'],
    namespaced: true,
  }),
  CiliumClusterwideNetworkPolicy: info('CiliumClusterwideNetworkPolicy', {
    ...cilium,
    ...user,
    plural: 'ciliumclusterwidenetworkpolicies',
    shortNames: ['ccnp'],
    namespaced: false,
  }),
  Node: info('Node', { ...core, stored: true, applicable: false, plural: 'nodes', shortNames: ['no'], namespaced: false }),
  Endpoints: info('Endpoints', { ...core, ...derived, plural: 'endpoints', shortNames: ['ep'], namespaced: true }),
  ConfigMap: info('ConfigMap', { ...core, ...derived, plural: 'configmaps', shortNames: ['cm'], namespaced: true }),
  DaemonSet: info('DaemonSet', { ...apps, ...derived, plural: 'daemonsets', shortNames: ['ds'], namespaced: true }),
  ReplicaSet: info('ReplicaSet', { ...apps, ...derived, plural: 'replicasets', shortNames: ['rs'], namespaced: true }),
  StatefulSet: info('StatefulSet', { ...apps, ...derived, plural: 'statefulsets', shortNames: ['sts'], namespaced: true }),
  CiliumEndpoint: info('CiliumEndpoint', {
    ...cilium,
    ...derived,
    plural: 'ciliumendpoints',
    shortNames: ['cep', 'ciliumep'],
    namespaced: true,
  }),
  CiliumIdentity: info('CiliumIdentity', {
    ...cilium,
    ...derived,
    plural: 'ciliumidentities',
    shortNames: ['ciliumid'],
    namespaced: false,
  }),
});

/** Every kind of the registry, in its order. */
export const API_KINDS: readonly KindInfo[] = Object.freeze(Object.values(KINDS));

/** Kinds a user may apply, in the order an error message lists them. */
export const APPLICABLE_KINDS: readonly Kind[] = Object.freeze(API_KINDS.flatMap((k) => (k.applicable && isKind(k.kind) ? [k.kind] : [])));

/** True for a kind the store holds (`Pod`, `Node`); false for derived kinds and unknown text. */
export function isKind(text: string): text is Kind {
  return Object.hasOwn(KINDS, text) && KINDS[text as ApiKind].stored;
}

/** True for any kind of the registry, stored or derived. */
export function isApiKind(text: string): text is ApiKind {
  return Object.hasOwn(KINDS, text);
}
