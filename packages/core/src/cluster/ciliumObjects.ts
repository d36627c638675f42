import type { Endpoint } from '../agent/endpoint.ts';
import type { AllocatedIdentity } from '../identity/allocator.ts';
import { NAMESPACE_KEY } from '../identity/endpointLabels.ts';
import { formatLabel } from '../identity/labels.ts';
import { rfc3339 } from '../k8s/context.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { Clock } from '../sim/clock.ts';

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

/** How an endpoint's policy applies in one direction, as a CiliumEndpoint's `status.policy` names it. */
export type EnforcementState = 'enforcing' | 'non-enforcing' | 'audit';

/** An endpoint's policy enforcement per direction (`cilium endpoint list`'s POLICY columns). */
export interface EndpointEnforcement {
  readonly ingress: EnforcementState;
  readonly egress: EnforcementState;
}

/** Whether each direction of `ep` is enforced, and whether drops are only audited (cluster-wide or per endpoint). */
export function endpointEnforcement(rt: Runtime, ep: Endpoint): EndpointEnforcement {
  const map = rt.policy.policyMap(ep.identity);
  const audit = rt.config.get('policy-audit-mode') || rt.endpoints.policyAuditMode(ep);
  const state = (on: boolean): EnforcementState => (on ? (audit ? 'audit' : 'enforcing') : 'non-enforcing');
  return Object.freeze({ ingress: state(map.ingressEnforced), egress: state(map.egressEnforced) });
}

export function ciliumEndpointObject(ep: Endpoint, nodeIp: string, enforcement: EndpointEnforcement, clock: Clock): CiliumEndpointObject {
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
        ingress: { enforcing: enforcement.ingress !== 'non-enforcing', state: enforcement.ingress },
        egress: { enforcing: enforcement.egress !== 'non-enforcing', state: enforcement.egress },
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
  const ns = identity.labels.find((l) => l.key === NAMESPACE_KEY)?.value;
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumIdentity',
    metadata: {
      name: String(identity.id),
      creationTimestamp: rfc3339(clock.epochMs(identity.createdAtNs)),
      labels: ns === undefined ? {} : { [NAMESPACE_KEY]: ns },
    },
    'security-labels': Object.fromEntries(identity.labels.map((l) => [`${l.source}:${l.key}`, l.value])),
  };
}

/** Every endpoint of `namespace` (all when undefined) as a CiliumEndpoint object. */
export function ciliumEndpointObjects(rt: Runtime, namespace?: string): CiliumEndpointObject[] {
  return rt.endpoints
    .list()
    .filter((ep) => namespace === undefined || ep.namespace === namespace)
    .map((ep) => ciliumEndpointObject(ep, rt.agents.node(ep.nodeName)?.ip ?? '', endpointEnforcement(rt, ep), rt.clock));
}

/** CiliumIdentity objects: the global identities endpoints use (not CIDR/FQDN ones). */
export function ciliumIdentityObjects(rt: Runtime): CiliumIdentityObject[] {
  return rt.identities
    .list()
    .filter((i) => i.cidr === undefined && i.id < 16777216)
    .map((i) => ciliumIdentityObject(i, rt.clock));
}
