import type {
  CiliumClusterwideNetworkPolicy,
  CiliumNetworkPolicy,
  DaemonSet,
  Deployment,
  Namespace,
  NetworkPolicy,
  Node,
  Pod,
  Service,
  ServiceAccount,
  StatefulSet,
} from './builtinObjects.ts';
import { AGE_COLUMN } from './columns/printerColumn.ts';
import { CCNP_COLUMNS, CEP_COLUMNS, CILIUMIDENTITY_COLUMNS, CNP_COLUMNS } from './columns/ciliumColumns.ts';
import { CONFIGMAP_COLUMNS, NAMESPACE_COLUMNS, NODE_COLUMNS, SERVICEACCOUNT_COLUMNS } from './columns/clusterColumns.ts';
import { ENDPOINTS_COLUMNS, NETWORKPOLICY_COLUMNS, SERVICE_COLUMNS } from './columns/serviceColumns.ts';
import { DAEMONSET_COLUMNS, DEPLOYMENT_COLUMNS, POD_COLUMNS, REPLICASET_COLUMNS, STATEFULSET_COLUMNS } from './columns/workloadColumns.ts';
import { admitDeployment } from './deploymentAdmission.ts';
import { admitGatewayClass } from './gatewayClassAdmission.ts';
import { derivedKind, type KindDefinition, storedKind } from './kindDefinition.ts';
import { admitNamespace } from './namespaceAdmission.ts';
import { admitPod } from './podAdmission.ts';
import { admitPolicyObject } from './policyObjectAdmission.ts';
import { deploymentSchema } from './schemas/deployment.ts';
import { daemonSetSchema } from './schemas/daemonSet.ts';
import { statefulSetSchema } from './schemas/statefulSet.ts';
import { admitDaemonSet, admitStatefulSet } from './workloadAdmission.ts';
import { namespaceSchema } from './schemas/namespace.ts';
import { podSchema } from './schemas/pod.ts';
import { ciliumClusterwideNetworkPolicySchema, ciliumNetworkPolicySchema, networkPolicySchema } from './schemas/policyEnvelope.ts';
import { type AdminNetworkPolicy, adminNetworkPolicySchema } from './schemas/adminNetworkPolicy.ts';
import { type BaselineAdminNetworkPolicy, baselineAdminNetworkPolicySchema } from './schemas/baselineAdminNetworkPolicy.ts';
import { type ClusterNetworkPolicy, clusterNetworkPolicySchema } from './schemas/clusterNetworkPolicy.ts';
import { type CiliumEgressGatewayPolicy, ciliumEgressGatewayPolicySchema } from './schemas/ciliumEgressGatewayPolicy.ts';
import { type Gateway, gatewaySchema } from './schemas/gateway.ts';
import { type GatewayClass, gatewayClassSchema } from './schemas/gatewayClass.ts';
import { type HttpRoute, httpRouteSchema } from './schemas/httpRoute.ts';
import { type Ingress, ingressSchema } from './schemas/ingress.ts';
import { type ReferenceGrant, referenceGrantSchema } from './schemas/referenceGrant.ts';
import { type TlsRoute, tlsRouteSchema } from './schemas/tlsRoute.ts';
import { type Secret, secretSchema } from './schemas/secret.ts';
import { serviceSchema } from './schemas/service.ts';
import { serviceAccountSchema } from './schemas/serviceAccount.ts';
import { admitSecret } from './secretAdmission.ts';
import { admitService } from './serviceAdmission.ts';
import { admitServiceAccount } from './serviceAccountAdmission.ts';
import { admitKeepingStatus, admitWithPendingStatus } from './statusAdmission.ts';
import { INGRESS_COLUMNS } from './columns/ingressColumns.ts';

const core = { group: '', versions: ['v1'] } as const;
const apps = { group: 'apps', versions: ['v1'] } as const;
const cilium = { group: 'cilium.io', versions: ['v2'] } as const;
const policyApi = { group: 'policy.networking.k8s.io' } as const;
const gatewayApi = { group: 'gateway.networking.k8s.io', versions: ['v1', 'v1beta1'], categories: ['gateway-api'] } as const;
const networking = { group: 'networking.k8s.io', versions: ['v1'] } as const;
const condition = (type: string) => `.status.conditions[?(@.type=="${type}")].status`;

/**
 * The kind registry: every kind of API object the simulated API server knows, once. Its entry
 * says everything the API server, the store and the tools need: discovery's names, the schema
 * that validates manifests, what admission does, the `kubectl get` columns. The applicable kinds
 * come first, in the order an error lists them; adding an API kind means adding its entry here
 * (docs/architecture.md, "Add an API kind").
 */
const ENTRIES = [
  storedKind<Namespace>({
    kind: 'Namespace',
    ...core,
    plural: 'namespaces',
    shortNames: ['ns'],
    namespaced: false,
    schema: namespaceSchema,
    admit: admitNamespace,
    columns: NAMESPACE_COLUMNS,
  }),
  storedKind<ServiceAccount>({
    kind: 'ServiceAccount',
    ...core,
    plural: 'serviceaccounts',
    shortNames: ['sa'],
    namespaced: true,
    schema: serviceAccountSchema,
    admit: admitServiceAccount,
    columns: SERVICEACCOUNT_COLUMNS,
  }),
  storedKind<Pod>({
    kind: 'Pod',
    ...core,
    plural: 'pods',
    shortNames: ['po'],
    namespaced: true,
    categories: ['all'],
    schema: podSchema,
    admit: admitPod,
    columns: POD_COLUMNS,
    fieldSelectors: ['spec.nodeName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP'],
  }),
  storedKind<Deployment>({
    kind: 'Deployment',
    ...apps,
    plural: 'deployments',
    shortNames: ['deploy'],
    namespaced: true,
    categories: ['all'],
    schema: deploymentSchema,
    admit: admitDeployment,
    columns: DEPLOYMENT_COLUMNS,
  }),
  storedKind<Service>({
    kind: 'Service',
    ...core,
    plural: 'services',
    shortNames: ['svc'],
    namespaced: true,
    categories: ['all'],
    schema: serviceSchema,
    admit: admitService,
    columns: SERVICE_COLUMNS,
  }),
  storedKind<NetworkPolicy>({
    kind: 'NetworkPolicy',
    group: 'networking.k8s.io',
    versions: ['v1'],
    plural: 'networkpolicies',
    shortNames: ['netpol'],
    namespaced: true,
    schema: networkPolicySchema,
    admit: admitPolicyObject,
    columns: NETWORKPOLICY_COLUMNS,
  }),
  storedKind<CiliumNetworkPolicy>({
    kind: 'CiliumNetworkPolicy',
    ...cilium,
    plural: 'ciliumnetworkpolicies',
    shortNames: ['cnp', 'ciliumnp'],
    namespaced: true,
    schema: ciliumNetworkPolicySchema,
    admit: admitPolicyObject,
    columns: CNP_COLUMNS,
  }),
  storedKind<CiliumClusterwideNetworkPolicy>({
    kind: 'CiliumClusterwideNetworkPolicy',
    ...cilium,
    plural: 'ciliumclusterwidenetworkpolicies',
    shortNames: ['ccnp'],
    namespaced: false,
    schema: ciliumClusterwideNetworkPolicySchema,
    admit: admitPolicyObject,
    columns: CCNP_COLUMNS,
  }),
  storedKind<Secret>({
    kind: 'Secret',
    ...core,
    plural: 'secrets',
    namespaced: true,
    schema: secretSchema,
    admit: admitSecret,
    columns: [
      { name: 'Type', type: 'string', jsonPath: '.type' },
      { name: 'Data', type: 'string', cell: (s) => String(Object.keys(s['data'] ?? {}).length) },
      AGE_COLUMN,
    ],
    fieldSelectors: ['type'],
  }),
  // The network-policy-api's tiers (its CRDs' printer columns). Discovery lists policy.networking.k8s.io
  // after cilium.io, so `cnp` stays CiliumNetworkPolicy's short name for kubectl.
  storedKind<ClusterNetworkPolicy>({
    kind: 'ClusterNetworkPolicy',
    ...policyApi,
    versions: ['v1alpha2'],
    plural: 'clusternetworkpolicies',
    shortNames: ['cnp'],
    namespaced: false,
    schema: clusterNetworkPolicySchema,
    admit: admitPolicyObject,
    columns: [
      { name: 'Tier', type: 'string', jsonPath: '.spec.tier' },
      { name: 'Priority', type: 'string', jsonPath: '.spec.priority' },
      AGE_COLUMN,
    ],
  }),
  storedKind<AdminNetworkPolicy>({
    kind: 'AdminNetworkPolicy',
    ...policyApi,
    versions: ['v1alpha1'],
    plural: 'adminnetworkpolicies',
    shortNames: ['anp'],
    namespaced: false,
    schema: adminNetworkPolicySchema,
    admit: admitPolicyObject,
    columns: [{ name: 'Priority', type: 'string', jsonPath: '.spec.priority' }, AGE_COLUMN],
  }),
  storedKind<BaselineAdminNetworkPolicy>({
    kind: 'BaselineAdminNetworkPolicy',
    ...policyApi,
    versions: ['v1alpha1'],
    plural: 'baselineadminnetworkpolicies',
    shortNames: ['banp'],
    namespaced: false,
    schema: baselineAdminNetworkPolicySchema,
    admit: admitPolicyObject,
  }),
  storedKind<CiliumEgressGatewayPolicy>({
    kind: 'CiliumEgressGatewayPolicy',
    ...cilium,
    plural: 'ciliumegressgatewaypolicies',
    shortNames: ['cegp'],
    namespaced: false,
    categories: ['cilium', 'ciliumpolicy'],
    schema: ciliumEgressGatewayPolicySchema,
  }),
  storedKind<GatewayClass>({
    kind: 'GatewayClass',
    ...gatewayApi,
    plural: 'gatewayclasses',
    shortNames: ['gc'],
    namespaced: false,
    schema: gatewayClassSchema,
    admit: admitGatewayClass,
    columns: [
      { name: 'Controller', type: 'string', jsonPath: '.spec.controllerName' },
      { name: 'Accepted', type: 'string', jsonPath: condition('Accepted') },
      AGE_COLUMN,
      { name: 'Description', type: 'string', priority: 1, jsonPath: '.spec.description' },
    ],
  }),
  storedKind<Gateway>({
    kind: 'Gateway',
    ...gatewayApi,
    plural: 'gateways',
    shortNames: ['gtw'],
    namespaced: true,
    schema: gatewaySchema,
    admit: admitWithPendingStatus(['Accepted', 'Programmed']),
    columns: [
      { name: 'Class', type: 'string', jsonPath: '.spec.gatewayClassName' },
      { name: 'Address', type: 'string', jsonPath: '.status.addresses[*].value' },
      { name: 'Programmed', type: 'string', jsonPath: condition('Programmed') },
      AGE_COLUMN,
    ],
  }),
  storedKind<HttpRoute>({
    kind: 'HTTPRoute',
    ...gatewayApi,
    plural: 'httproutes',
    namespaced: true,
    schema: httpRouteSchema,
    admit: admitKeepingStatus,
    columns: [{ name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames' }, AGE_COLUMN],
  }),
  storedKind<TlsRoute>({
    kind: 'TLSRoute',
    ...gatewayApi,
    versions: ['v1alpha2'],
    plural: 'tlsroutes',
    namespaced: true,
    schema: tlsRouteSchema,
    admit: admitKeepingStatus,
  }),
  storedKind<ReferenceGrant>({
    kind: 'ReferenceGrant',
    ...gatewayApi,
    versions: ['v1beta1'],
    plural: 'referencegrants',
    shortNames: ['refgrant'],
    namespaced: true,
    schema: referenceGrantSchema,
  }),
  storedKind<Ingress>({
    kind: 'Ingress',
    ...networking,
    plural: 'ingresses',
    shortNames: ['ing'],
    namespaced: true,
    schema: ingressSchema,
    admit: admitKeepingStatus,
    columns: INGRESS_COLUMNS,
  }),
  // Stored, but only the simulator makes nodes (--nodes N): no schema, so no manifest carries one.
  storedKind<Node>({ kind: 'Node', ...core, plural: 'nodes', shortNames: ['no'], namespaced: false, columns: NODE_COLUMNS }),
  // Served but not stored: cluster/apiViews.ts derives them from other objects and the agents.
  derivedKind({ kind: 'Endpoints', ...core, plural: 'endpoints', shortNames: ['ep'], namespaced: true, columns: ENDPOINTS_COLUMNS }),
  derivedKind({ kind: 'ConfigMap', ...core, plural: 'configmaps', shortNames: ['cm'], namespaced: true, columns: CONFIGMAP_COLUMNS }),
  // Stored as the owners their pods name: the install makes its own, users may apply and delete them.
  storedKind<DaemonSet>({
    kind: 'DaemonSet',
    ...apps,
    plural: 'daemonsets',
    shortNames: ['ds'],
    namespaced: true,
    categories: ['all'],
    schema: daemonSetSchema,
    admit: admitDaemonSet,
    columns: DAEMONSET_COLUMNS,
  }),
  derivedKind({
    kind: 'ReplicaSet',
    ...apps,
    plural: 'replicasets',
    shortNames: ['rs'],
    namespaced: true,
    categories: ['all'],
    columns: REPLICASET_COLUMNS,
  }),
  storedKind<StatefulSet>({
    kind: 'StatefulSet',
    ...apps,
    plural: 'statefulsets',
    shortNames: ['sts'],
    namespaced: true,
    categories: ['all'],
    schema: statefulSetSchema,
    admit: admitStatefulSet,
    columns: STATEFULSET_COLUMNS,
  }),
  derivedKind({
    kind: 'CiliumEndpoint',
    ...cilium,
    plural: 'ciliumendpoints',
    shortNames: ['cep', 'ciliumep'],
    namespaced: true,
    columns: CEP_COLUMNS,
  }),
  derivedKind({
    kind: 'CiliumIdentity',
    ...cilium,
    plural: 'ciliumidentities',
    shortNames: ['ciliumid'],
    namespaced: false,
    columns: CILIUMIDENTITY_COLUMNS,
  }),
] as const;

type Entry = (typeof ENTRIES)[number];

/** The registry by kind. */
export const KINDS: { readonly [E in Entry as E['kind']]: E } = Object.freeze(Object.fromEntries(ENTRIES.map((e) => [e.kind, e]))) as never;

/** Every kind of API object the simulated API server knows: stored or derived. */
export type ApiKind = Entry['kind'];

/** Every stored object: the union of the stored kinds' object types, one member per registry entry. */
export type K8sObject = Entry extends infer E ? (E extends KindDefinition<string, infer O> ? O : never) : never;

/** A kind the store holds (`Pod`, `Node`). */
export type Kind = K8sObject['kind'];

/**
 * Kinds the simulator serves but does not store: it derives them from other state (Endpoints
 * from Services and pods, ReplicaSets from Deployments, CiliumEndpoints from the agents, ...).
 * They can be read, never applied.
 */
export type DerivedKind = Exclude<ApiKind, Kind>;

/** One kind as tools read it, whatever the kind. */
export type KindInfo = KindDefinition<ApiKind, K8sObject>;

/** Every kind of the registry, in its order. */
export const API_KINDS: readonly KindInfo[] = ENTRIES;

/** Kinds a user may apply, in the order an error message lists them. */
export const APPLICABLE_KINDS: readonly Kind[] = Object.freeze(API_KINDS.flatMap((k) => (k.applicable && isKind(k.kind) ? [k.kind] : [])));

/** True for a kind the store holds (`Pod`, `Node`); false for derived kinds and unknown text. */
export function isKind(text: string): text is Kind {
  return isApiKind(text) && KINDS[text].stored;
}

/** True for any kind of the registry, stored or derived. */
export function isApiKind(text: string): text is ApiKind {
  return Object.hasOwn(KINDS, text);
}
