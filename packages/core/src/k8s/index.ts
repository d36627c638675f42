/**
 * The Kubernetes model: API objects, manifest parsing and validation, the object store with
 * kubectl's apply/create/delete/label/scale/run semantics, controllers (Deployments, scheduling,
 * IPAM), Service endpoints, CoreDNS names and the bootstrap of a kind cluster with Cilium.
 * Everything is a pure function over an immutable `K8sState`.
 */
export type {
  Container,
  ContainerPort,
  Deployment,
  K8sObject,
  Kind,
  LabelSelector,
  LabelSelectorRequirement,
  Namespace,
  NetworkPolicy,
  CiliumNetworkPolicy,
  CiliumClusterwideNetworkPolicy,
  Node,
  ObjectMeta,
  ObjectOfKind,
  ObjectRef,
  OwnerReference,
  Pod,
  PodSpec,
  PodStatus,
  PolicyObject,
  Protocol,
  Service,
  ServiceAccount,
  ServicePort,
  ServiceType,
  Taint,
  Toleration,
} from './objects.ts';
export { objectKey, parseObjectKey, refOf, describeRef } from './objects.ts';
export { KINDS, API_KINDS, APPLICABLE_KINDS, isKind, isApiKind, type KindInfo, type ApiKind, type DerivedKind } from './kinds.ts';
export { columnsIn, type PrinterColumn, type PrintContext, type ColumnType } from './columns/printerColumn.ts';
export { age } from './columns/humanDuration.ts';
export { formatLabels } from './columns/formatLabels.ts';
export { MAX_MANIFEST_CHARS, MAX_MANIFEST_OBJECTS, parseManifest, type ManifestDocument } from './manifest.ts';
export { validateDocument, formatPath, type ValidateOptions, type ValidatedDocument } from './validate.ts';
export { EMPTY_K8S_STATE, getObject, listObjects, type K8sState } from './state.ts';
export { rfc3339, type ApplyContext } from './context.ts';
export {
  applyDocuments,
  createDocuments,
  deleteDocuments,
  deleteObject,
  type ObjectResult,
  type StoreResult,
  type Verb,
} from './store.ts';
export { labelObject, scaleDeployment, runPod, type RunPodOptions } from './imperative.ts';
export { reconcile } from './controllers/reconcile.ts';
export { podTemplateHash, NAME_ALPHABET } from './controllers/podTemplateHash.ts';
export {
  formatRequirement,
  makeSelector,
  objectSelector,
  objectSelectorRequirements,
  parseLabelSelector,
  selectorMatches,
  type LabelMap,
  type ParsedSelector,
  type Requirement,
  type Selector,
  type SelectorDialect,
  type SelectorOperator,
} from './labelSelector.ts';
export {
  cidrContains,
  nodeInternalIp,
  nodeIp,
  nodePodCidr,
  nodeRouterIp,
  KUBE_DNS_SERVICE_IP,
  KUBERNETES_SERVICE_IP,
  SERVICE_CIDR,
} from './ipam.ts';
export { scheduleNode, CONTROL_PLANE_TAINT } from './scheduler.ts';
export { serviceEndpoints, targetPortOf, type ServiceBackend } from './endpoints.ts';
export { resolveName, searchPath, CLUSTER_DOMAIN, type ResolvedName } from './dns.ts';
export { bootstrapCluster, nodeNames, BOOTSTRAP_AGE_MS, type BootstrapOptions } from './bootstrap.ts';
export { labelKeyProblem, labelValueProblem, dnsSubdomainProblem, dnsLabelProblem, isIPv4 } from './names.ts';
