/**
 * The objects of the built-in kinds as the store holds them, in the API's standard shape
 * (apiVersion, kind, metadata, spec, status), so printers read the fields they would read from a
 * real API server. Objects in the store are frozen; change them only through the store's pure
 * operations. A kind added later infers its type from its schema instead (k8s/schemas/); the
 * union of every stored kind's type, `K8sObject`, comes from the kind registry (kinds.ts).
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  /** Absent on cluster-scoped kinds (Node, Namespace, CiliumClusterwideNetworkPolicy). */
  readonly namespace?: string;
  readonly uid: string;
  /** Always present, possibly empty, so selectors never special-case a missing map. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** RFC 3339 with seconds, as the API server stamps it: `2024-07-04T17:58:00Z`. */
  readonly creationTimestamp: string;
  /** An opaque string, as in Kubernetes; here the store's revision when the object last changed. */
  readonly resourceVersion: string;
  /** Bumped when `spec` changes (not on label or status changes). */
  readonly generation: number;
  readonly ownerReferences?: readonly OwnerReference[];
  /** Qualified names; while any is left, a deleted object stays, marked by `deletionTimestamp`. */
  readonly finalizers?: readonly string[];
  /** Set when the object was deleted and waits for its finalizers (RFC 3339). */
  readonly deletionTimestamp?: string;
  readonly deletionGracePeriodSeconds?: number;
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
  readonly hostPort?: number;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly ports?: readonly ContainerPort[];
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** Kept as written; the simulator does not run processes. */
  readonly env?: unknown;
  readonly [passthrough: string]: unknown;
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly nodeName?: string;
  /** `default` when the manifest names none, as the ServiceAccount admission plugin sets it. */
  readonly serviceAccountName: string;
  readonly hostNetwork?: boolean;
  readonly tolerations?: readonly Toleration[];
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly [passthrough: string]: unknown;
}

/** A pod condition as the kubelet and the scheduler write it (`lastProbeTime` is always null: no probes run). */
export interface PodCondition {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly lastProbeTime: null;
  readonly lastTransitionTime: string;
  readonly reason?: string;
  readonly message?: string;
}

/** A Deployment's Available or Progressing condition, as the deployment controller writes it. */
export interface DeploymentCondition {
  readonly type: 'Available' | 'Progressing';
  readonly status: 'True' | 'False';
  readonly lastUpdateTime: string;
  readonly lastTransitionTime: string;
  readonly reason: string;
  readonly message: string;
}

export interface ContainerStatus {
  readonly name: string;
  readonly image: string;
  readonly ready: boolean;
  readonly started: boolean;
  readonly restartCount: number;
  /**
   * Running, waiting for the kubelet (`ContainerCreating` while the network plugin cannot set up
   * the pod), or terminated (the kubelet stopped it: its pod was deleted but is held by finalizers).
   */
  readonly state:
    | { readonly running: { readonly startedAt: string } }
    | { readonly waiting: { readonly reason: string } }
    | { readonly terminated: ContainerTerminated };
}

export interface ContainerTerminated {
  readonly exitCode: number;
  readonly reason: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export interface PodStatus {
  /** Succeeded once the kubelet has stopped the containers of a deleted pod (as kubelet 1.27+ does before it goes). */
  readonly phase: 'Pending' | 'Running' | 'Succeeded';
  readonly podIP?: string;
  readonly podIPs?: readonly { readonly ip: string }[];
  readonly hostIP?: string;
  readonly startTime?: string;
  /** The kubelet's (and, for a pod no node fits, the scheduler's) conditions, times on the virtual clock. */
  readonly conditions?: readonly PodCondition[];
  readonly containerStatuses?: readonly ContainerStatus[];
}

export interface Pod {
  readonly apiVersion: 'v1';
  readonly kind: 'Pod';
  readonly metadata: ObjectMeta;
  readonly spec: PodSpec;
  readonly status: PodStatus;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface PodTemplate {
  readonly metadata: { readonly labels: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec: PodSpec;
}

export interface Deployment {
  readonly apiVersion: 'apps/v1';
  readonly kind: 'Deployment';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly replicas: number;
    readonly selector: LabelSelector;
    readonly template: PodTemplate;
    readonly [passthrough: string]: unknown;
  };
  readonly status: {
    readonly observedGeneration: number;
    readonly replicas: number;
    readonly readyReplicas: number;
    readonly availableReplicas: number;
    readonly updatedReplicas: number;
    readonly conditions?: readonly DeploymentCondition[];
  };
}

/**
 * A DaemonSet or StatefulSet as the store holds it: the owner its pods name. The system ones are
 * the install's (the cilium, spire-agent and Envoy DaemonSets, the spire-server StatefulSet);
 * their status is derived from the pods they own when read (cluster/apiViews.ts).
 */
export interface DaemonSet {
  readonly apiVersion: 'apps/v1';
  readonly kind: 'DaemonSet';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly selector: LabelSelector;
    readonly template: PodTemplate;
    readonly [passthrough: string]: unknown;
  };
}

export interface StatefulSet {
  readonly apiVersion: 'apps/v1';
  readonly kind: 'StatefulSet';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly replicas: number;
    readonly serviceName: string;
    readonly selector: LabelSelector;
    readonly template: PodTemplate;
    readonly [passthrough: string]: unknown;
  };
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  /** A number, or the name of a container port in the selected pods. */
  readonly targetPort: number | string;
  readonly protocol: Protocol;
  readonly nodePort?: number;
}

export interface Service {
  readonly apiVersion: 'v1';
  readonly kind: 'Service';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly type: ServiceType;
    /** An address in 10.96.0.0/12, or `None` for a headless service. */
    readonly clusterIP: string;
    readonly clusterIPs: readonly string[];
    readonly ports: readonly ServicePort[];
    /** Absent or empty: the service has no endpoints managed by Kubernetes. */
    readonly selector?: Readonly<Record<string, string>>;
    readonly [passthrough: string]: unknown;
  };
}

export interface Namespace {
  readonly apiVersion: 'v1';
  readonly kind: 'Namespace';
  readonly metadata: ObjectMeta;
  readonly status: { readonly phase: 'Active' | 'Terminating' };
}

export interface ServiceAccount {
  readonly apiVersion: 'v1';
  readonly kind: 'ServiceAccount';
  readonly metadata: ObjectMeta;
  readonly automountServiceAccountToken?: boolean;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface Node {
  readonly apiVersion: 'v1';
  readonly kind: 'Node';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly podCIDR: string;
    readonly podCIDRs: readonly string[];
    readonly providerID: string;
    readonly taints?: readonly Taint[];
  };
  readonly status: {
    readonly addresses: readonly { readonly type: 'InternalIP' | 'Hostname'; readonly address: string }[];
    readonly conditions: readonly { readonly type: 'Ready'; readonly status: 'True' | 'False'; readonly reason: string }[];
    readonly nodeInfo: { readonly kubeletVersion: string; readonly containerRuntimeVersion: string; readonly osImage: string };
  };
}

/**
 * The policy kinds keep their rule bodies raw: the policy module validates and compiles them
 * (through the `validatePolicy` hook at apply time), so the store never second-guesses them.
 */
export interface NetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec: Readonly<Record<string, unknown>>;
}

export interface CiliumNetworkPolicy {
  readonly apiVersion: 'cilium.io/v2';
  readonly kind: 'CiliumNetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly specs?: readonly Readonly<Record<string, unknown>>[];
}

export interface CiliumClusterwideNetworkPolicy {
  readonly apiVersion: 'cilium.io/v2';
  readonly kind: 'CiliumClusterwideNetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly specs?: readonly Readonly<Record<string, unknown>>[];
}

/**
 * The network-policy-api kinds (ClusterNetworkPolicy, AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy) as policy admission reads them: their types are inferred from their
 * schemas (k8s/schemas/), this is the envelope every one of them has.
 */
export interface TierPolicyObject {
  readonly apiVersion: string;
  readonly kind: 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec: object;
}

export type PolicyObject = NetworkPolicy | CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy | TierPolicyObject;
