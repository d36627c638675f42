import type { k8s } from '@cilium-sim/core';

/**
 * The Kubernetes object shapes kubectl's printers read, as the API serves them (field names and
 * nesting of the real API), so objects from the simulator's store and real manifests both fit.
 * Only the fields a printer reads are declared; everything else passes through untouched to
 * `-o yaml` / `-o json`.
 */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** RFC 3339, second precision: `2024-01-01T00:00:00Z`. */
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
}

export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

export interface ContainerState {
  readonly running?: { readonly startedAt?: string };
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly terminated?: { readonly reason?: string; readonly exitCode?: number; readonly signal?: number; readonly finishedAt?: string };
}

export interface ContainerStatus {
  readonly name: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerState;
  readonly lastState?: ContainerState;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
}

export interface Condition {
  readonly type: string;
  readonly status: string;
}

export interface Pod extends KubeObject {
  readonly spec?: {
    readonly nodeName?: string;
    readonly containers?: readonly Container[];
    readonly readinessGates?: readonly { readonly conditionType: string }[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly podIP?: string;
    readonly podIPs?: readonly { readonly ip: string }[];
    readonly nominatedNodeName?: string;
    readonly conditions?: readonly Condition[];
    readonly containerStatuses?: readonly ContainerStatus[];
  };
}

/** Selectors as the API serves them: core's object form. */
export type LabelSelector = k8s.LabelSelector;

export interface PodTemplate {
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: { readonly containers?: readonly Container[]; readonly nodeSelector?: Readonly<Record<string, string>> };
}

export interface Deployment extends KubeObject {
  readonly spec?: { readonly replicas?: number; readonly selector?: LabelSelector; readonly template?: PodTemplate };
  readonly status?: {
    readonly replicas?: number;
    readonly readyReplicas?: number;
    readonly updatedReplicas?: number;
    readonly availableReplicas?: number;
  };
}

export interface ReplicaSet extends KubeObject {
  readonly spec?: { readonly replicas?: number; readonly selector?: LabelSelector; readonly template?: PodTemplate };
  readonly status?: { readonly replicas?: number; readonly readyReplicas?: number };
}

export interface StatefulSet extends KubeObject {
  readonly spec?: { readonly replicas?: number; readonly template?: PodTemplate };
  readonly status?: { readonly readyReplicas?: number };
}

export interface DaemonSet extends KubeObject {
  readonly spec?: { readonly selector?: LabelSelector; readonly template?: PodTemplate };
  readonly status?: {
    readonly desiredNumberScheduled?: number;
    readonly currentNumberScheduled?: number;
    readonly numberReady?: number;
    readonly updatedNumberScheduled?: number;
    readonly numberAvailable?: number;
  };
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol?: string;
  readonly targetPort?: number | string;
  readonly nodePort?: number;
}

export interface Service extends KubeObject {
  readonly spec?: {
    readonly type?: string;
    readonly clusterIP?: string;
    readonly clusterIPs?: readonly string[];
    readonly externalIPs?: readonly string[];
    readonly externalName?: string;
    readonly ports?: readonly ServicePort[];
    readonly selector?: Readonly<Record<string, string>>;
  };
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[] } };
}

export interface Endpoints extends KubeObject {
  readonly subsets?: readonly {
    readonly addresses?: readonly { readonly ip: string }[];
    readonly ports?: readonly { readonly name?: string; readonly port: number; readonly protocol?: string }[];
  }[];
}

export interface Namespace extends KubeObject {
  readonly status?: { readonly phase?: string };
}

export interface Node extends KubeObject {
  readonly spec?: { readonly unschedulable?: boolean };
  readonly status?: {
    readonly conditions?: readonly Condition[];
    readonly addresses?: readonly { readonly type: string; readonly address: string }[];
    readonly nodeInfo?: {
      readonly kubeletVersion?: string;
      readonly osImage?: string;
      readonly kernelVersion?: string;
      readonly containerRuntimeVersion?: string;
    };
  };
}

export interface ServiceAccount extends KubeObject {
  readonly secrets?: readonly unknown[];
}

export interface ConfigMap extends KubeObject {
  readonly data?: Readonly<Record<string, string>>;
  readonly binaryData?: Readonly<Record<string, string>>;
}

export interface NetworkPolicy extends KubeObject {
  readonly spec?: { readonly podSelector?: LabelSelector };
}

/** CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy: only the status condition is printed. */
export interface CiliumPolicy extends KubeObject {
  readonly status?: { readonly conditions?: readonly Condition[] };
}

export interface CiliumEndpoint extends KubeObject {
  readonly status?: {
    readonly id?: number;
    readonly identity?: { readonly id?: number; readonly labels?: readonly string[] };
    readonly state?: string;
    readonly networking?: { readonly addressing?: readonly { readonly ipv4?: string; readonly ipv6?: string }[]; readonly node?: string };
    readonly policy?: { readonly ingress?: { readonly state?: string }; readonly egress?: { readonly state?: string } };
  };
}

export type CiliumIdentity = KubeObject;
