import type { Kind, ObjectRef } from './objects.ts';

export interface KindInfo {
  readonly kind: Kind;
  readonly apiVersions: readonly string[];
  readonly namespaced: boolean;
  /** kubectl's `resource.group` for success lines: `deployment.apps/x created`. */
  readonly singular: string;
  /** kubectl's plural for server errors: `deployments.apps "x" not found`. */
  readonly plural: string;
}

/** The kinds a manifest may carry. Node is listed so refs work, but users cannot apply nodes. */
export const KINDS: Readonly<Record<Kind, KindInfo>> = {
  Namespace: { kind: 'Namespace', apiVersions: ['v1'], namespaced: false, singular: 'namespace', plural: 'namespaces' },
  ServiceAccount: { kind: 'ServiceAccount', apiVersions: ['v1'], namespaced: true, singular: 'serviceaccount', plural: 'serviceaccounts' },
  Pod: { kind: 'Pod', apiVersions: ['v1'], namespaced: true, singular: 'pod', plural: 'pods' },
  Deployment: { kind: 'Deployment', apiVersions: ['apps/v1'], namespaced: true, singular: 'deployment.apps', plural: 'deployments.apps' },
  Service: { kind: 'Service', apiVersions: ['v1'], namespaced: true, singular: 'service', plural: 'services' },
  NetworkPolicy: {
    kind: 'NetworkPolicy',
    apiVersions: ['networking.k8s.io/v1'],
    namespaced: true,
    singular: 'networkpolicy.networking.k8s.io',
    plural: 'networkpolicies.networking.k8s.io',
  },
  CiliumNetworkPolicy: {
    kind: 'CiliumNetworkPolicy',
    apiVersions: ['cilium.io/v2'],
    namespaced: true,
    singular: 'ciliumnetworkpolicy.cilium.io',
    plural: 'ciliumnetworkpolicies.cilium.io',
  },
  CiliumClusterwideNetworkPolicy: {
    kind: 'CiliumClusterwideNetworkPolicy',
    apiVersions: ['cilium.io/v2'],
    namespaced: false,
    singular: 'ciliumclusterwidenetworkpolicy.cilium.io',
    plural: 'ciliumclusterwidenetworkpolicies.cilium.io',
  },
  Node: { kind: 'Node', apiVersions: ['v1'], namespaced: false, singular: 'node', plural: 'nodes' },
};

/** Kinds a user may apply, in the order an error message lists them. */
export const APPLICABLE_KINDS: readonly Kind[] = [
  'Namespace',
  'ServiceAccount',
  'Pod',
  'Deployment',
  'Service',
  'NetworkPolicy',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
];

export function isKind(text: string): text is Kind {
  return Object.hasOwn(KINDS, text);
}

/** `pod/xwing`, `deployment.apps/deathstar`: the subject of kubectl's success lines. */
export function kubectlName(ref: ObjectRef): string {
  return `${KINDS[ref.kind].singular}/${ref.name}`;
}

/** `pods "xwing"`: the subject of kubectl's server errors. */
export function serverName(ref: ObjectRef): string {
  return `${KINDS[ref.kind].plural} "${ref.name}"`;
}
