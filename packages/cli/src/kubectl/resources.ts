import { UsageError } from '../tools/usageError.ts';

/**
 * The API resource types kubectl knows in the simulated cluster, with the names and short names
 * the real API server's discovery gives them, so `kubectl get po`, `svc`, `deploy`, `cnp`,
 * `ciliumid` and `deployments.apps` all resolve as they do against a real cluster.
 */
export interface ResourceType {
  /** Plural resource name: `pods`, `ciliumnetworkpolicies`. */
  readonly resource: string;
  readonly singular: string;
  readonly kind: string;
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
}

function rt(
  resource: string,
  kind: string,
  group: string,
  version: string,
  namespaced: boolean,
  shortNames: readonly string[],
): ResourceType {
  return Object.freeze({ resource, singular: kind.toLowerCase(), kind, group, version, namespaced, shortNames });
}

export const RESOURCE_TYPES: readonly ResourceType[] = Object.freeze([
  rt('pods', 'Pod', '', 'v1', true, ['po']),
  rt('services', 'Service', '', 'v1', true, ['svc']),
  rt('endpoints', 'Endpoints', '', 'v1', true, ['ep']),
  rt('namespaces', 'Namespace', '', 'v1', false, ['ns']),
  rt('nodes', 'Node', '', 'v1', false, ['no']),
  rt('serviceaccounts', 'ServiceAccount', '', 'v1', true, ['sa']),
  rt('configmaps', 'ConfigMap', '', 'v1', true, ['cm']),
  rt('daemonsets', 'DaemonSet', 'apps', 'v1', true, ['ds']),
  rt('deployments', 'Deployment', 'apps', 'v1', true, ['deploy']),
  rt('replicasets', 'ReplicaSet', 'apps', 'v1', true, ['rs']),
  rt('statefulsets', 'StatefulSet', 'apps', 'v1', true, ['sts']),
  rt('networkpolicies', 'NetworkPolicy', 'networking.k8s.io', 'v1', true, ['netpol']),
  rt('ciliumnetworkpolicies', 'CiliumNetworkPolicy', 'cilium.io', 'v2', true, ['cnp', 'ciliumnp']),
  rt('ciliumclusterwidenetworkpolicies', 'CiliumClusterwideNetworkPolicy', 'cilium.io', 'v2', false, ['ccnp']),
  rt('ciliumendpoints', 'CiliumEndpoint', 'cilium.io', 'v2', true, ['cep', 'ciliumep']),
  rt('ciliumidentities', 'CiliumIdentity', 'cilium.io', 'v2', false, ['ciliumid']),
]);

/** What `kubectl get all` expands to, in kubectl's order (of the types the simulator models). */
export const ALL_CATEGORY: readonly string[] = ['pods', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'];

/**
 * Resolves a name as typed (`po`, `Pods`, `deployment.apps`, `cnp`) to its type. Names are
 * case-insensitive, as kubectl's REST mapper lowercases them. Throws kubectl's error otherwise.
 */
export function resolveResourceType(typed: string, command: string): ResourceType {
  const found = lookupResourceType(typed);
  if (found !== undefined) return found;
  throw new UsageError({
    code: 'INVALID_COMMAND',
    object: command,
    path: typed,
    message: `error: the server doesn't have a resource type "${typed}"`,
  });
}

export function lookupResourceType(typed: string): ResourceType | undefined {
  const lower = typed.toLowerCase();
  const dot = lower.indexOf('.');
  const name = dot === -1 ? lower : lower.slice(0, dot);
  const group = dot === -1 ? undefined : lower.slice(dot + 1);
  return RESOURCE_TYPES.find(
    (t) =>
      (group === undefined || group === t.group || group === `${t.version}.${t.group}`) &&
      (name === t.resource || name === t.singular || t.shortNames.includes(name)),
  );
}

/** `pod`, `deployment.apps`, `ciliumnetworkpolicy.cilium.io`: the prefix of `-o name` and of multi-type tables. */
export function kindPrefix(type: ResourceType): string {
  return type.group === '' ? type.singular : `${type.singular}.${type.group}`;
}

/** `pods`, `deployments.apps`: how the API server names a resource in its errors. */
export function qualifiedResource(type: ResourceType): string {
  return type.group === '' ? type.resource : `${type.resource}.${type.group}`;
}

/** `Error from server (NotFound): pods "x" not found`, for the caller to print on stderr (exit 1). */
export function notFoundMessage(type: ResourceType, name: string): string {
  return `Error from server (NotFound): ${qualifiedResource(type)} "${name}" not found`;
}

/** The apiVersion of objects of a type: `v1`, `apps/v1`, `cilium.io/v2`. */
export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}
