import type { Endpoint } from '../agent/endpoint.ts';
import type { AllocatedIdentity } from '../identity/allocator.ts';
import { formatLabel } from '../identity/labels.ts';
import { rfc3339 } from '../k8s/context.ts';
import type { Clock } from '../sim/clock.ts';
import type { Cluster } from './cluster.ts';

/** A CiliumEndpoint object as `kubectl get cep -o yaml` shows it (fields under `status`). */
export interface CiliumEndpointObject {
  readonly apiVersion: 'cilium.io/v2';
  readonly kind: 'CiliumEndpoint';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly creationTimestamp: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  readonly status: {
    readonly id: number;
    readonly identity: { readonly id: number; readonly labels: readonly string[] };
    readonly networking: { readonly addressing: readonly { readonly ipv4: string }[]; readonly node: string };
    readonly policy: {
      readonly ingress: { readonly enforcing: boolean; readonly state: string };
      readonly egress: { readonly enforcing: boolean; readonly state: string };
    };
    readonly state: 'ready';
    readonly 'named-ports'?: readonly { readonly name: string; readonly port: number; readonly protocol: string }[];
    readonly 'service-account': string;
    readonly encryption: Readonly<Record<string, never>>;
  };
}

/** A CiliumIdentity object: named by its number, labels at the top level (`security-labels`). */
export interface CiliumIdentityObject {
  readonly apiVersion: 'cilium.io/v2';
  readonly kind: 'CiliumIdentity';
  readonly metadata: { readonly name: string; readonly creationTimestamp: string; readonly labels: Readonly<Record<string, string>> };
  readonly 'security-labels': Readonly<Record<string, string>>;
}

export function ciliumEndpointObject(
  ep: Endpoint,
  nodeIp: string,
  enforcement: { ingress: boolean; egress: boolean; audit: boolean },
  clock: Clock,
): CiliumEndpointObject {
  const state = (on: boolean): string => (on ? (enforcement.audit ? 'audit' : 'enforcing') : 'non-enforcing');
  const podLabels = Object.fromEntries(
    ep.labels.filter((l) => l.source === 'k8s' && !l.key.startsWith('io.')).map((l) => [l.key, l.value]),
  );
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumEndpoint',
    metadata: { name: ep.podName, namespace: ep.namespace, creationTimestamp: rfc3339(clock.epochMs(ep.createdAtNs)), labels: podLabels },
    status: {
      id: ep.id,
      identity: { id: ep.identity, labels: ep.identityLabels.map(formatLabel) },
      networking: { addressing: [{ ipv4: ep.ip }], node: nodeIp },
      policy: {
        ingress: { enforcing: enforcement.ingress, state: state(enforcement.ingress) },
        egress: { enforcing: enforcement.egress, state: state(enforcement.egress) },
      },
      state: 'ready',
      ...(ep.namedPorts.length === 0
        ? {}
        : { 'named-ports': ep.namedPorts.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })) }),
      'service-account': ep.serviceAccount,
      encryption: {},
    },
  };
}

export function ciliumIdentityObject(identity: AllocatedIdentity, clock: Clock): CiliumIdentityObject {
  const ns = identity.labels.find((l) => l.key === 'io.kubernetes.pod.namespace')?.value;
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumIdentity',
    metadata: {
      name: String(identity.id),
      creationTimestamp: rfc3339(clock.epochMs(identity.createdAtNs)),
      labels: ns === undefined ? {} : { 'io.kubernetes.pod.namespace': ns },
    },
    'security-labels': Object.fromEntries(identity.labels.map((l) => [`${l.source}:${l.key}`, l.value])),
  };
}

/** Every endpoint of `namespace` (all when undefined) as a CiliumEndpoint object. */
export function ciliumEndpointObjects(cluster: Cluster, namespace?: string): CiliumEndpointObject[] {
  return cluster.endpoints
    .list()
    .filter((ep) => namespace === undefined || ep.namespace === namespace)
    .map((ep) => {
      const map = cluster.policy.policyMap(ep.identity);
      const enforcement = { ingress: map.ingressEnforced, egress: map.egressEnforced, audit: cluster.endpointAuditMode(ep) };
      return ciliumEndpointObject(ep, cluster.network.node(ep.nodeName)?.ip ?? '', enforcement, cluster.clock);
    });
}
