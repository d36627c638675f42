import { SimError } from '../errors.ts';
import type { Container, Node, Pod, PodSpec, ServiceAccount } from './builtinObjects.ts';
import { podSpecIssues } from './immutableFields.ts';
import { cidrContains, ipToInt, parseIpv4 } from '../ipv4.ts';
import { POD_CIDR } from './ipam.ts';
import { quoteValue } from './quoteValue.ts';
import type { AdmissionRequest, ObjectLookup } from './kindDefinition.ts';

/**
 * A Pod as the API server stores it: its spec defaulted (the `default` service account, TCP
 * ports) and fixed once created but for what ValidatePodUpdate lets change (immutableFields.ts:
 * images, deadlines, added tolerations); on
 * create its service account and node must exist, and an IP pinned through `status.podIP` must
 * be free.
 */
export function admitPod({ object, ref, manifest, metadata, existing, store }: AdmissionRequest<Pod>): Pod {
  let spec = admitPodSpec(manifest['spec'] as Record<string, unknown>);
  if (existing !== undefined) {
    // The scheduler's choice is part of the stored spec; an unchanged manifest must not undo it.
    if (spec.nodeName === undefined && existing.spec.nodeName !== undefined) spec = { ...spec, nodeName: existing.spec.nodeName };
    const issues = podSpecIssues({ object, ref }, spec, existing.spec);
    if (issues.length > 0) throw SimError.of(issues);
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: restartedFor(spec, existing.status) };
  }
  checkServiceAccount(store, ref, spec.serviceAccountName);
  if (spec.nodeName !== undefined && store.get<Node>({ kind: 'Node', name: spec.nodeName }) === undefined) {
    throw new SimError({
      code: 'NOT_FOUND',
      object,
      path: 'spec.nodeName',
      message: `node "${spec.nodeName}" not found; use one of the cluster's nodes (kubectl get nodes) or omit nodeName`,
    });
  }
  const pinned = ((manifest['status'] ?? {}) as { podIP?: string }).podIP;
  if (pinned !== undefined && spec.hostNetwork !== true) checkPinnedIp(store, object, pinned);
  const status =
    pinned === undefined || spec.hostNetwork === true ? { phase: 'Pending' as const } : { phase: 'Pending' as const, podIP: pinned };
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status };
}

/** Defaults of a PodSpec: the `default` service account, TCP container ports. */
export function admitPodSpec(spec: Record<string, unknown>): PodSpec {
  const { serviceAccount, ...rest } = spec;
  const containers = (spec['containers'] as Container[]).map((c) =>
    c.ports === undefined ? c : { ...c, ports: c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })) },
  );
  const sa = (spec['serviceAccountName'] ?? serviceAccount ?? 'default') as string;
  return { ...rest, containers, serviceAccountName: sa } as PodSpec;
}

/** The ServiceAccount admission plugin refuses pods whose account does not exist. */
export function checkServiceAccount(store: ObjectLookup, ref: AdmissionRequest<Pod>['ref'], sa: string): void {
  if (store.get<ServiceAccount>({ kind: 'ServiceAccount', namespace: ref.namespace ?? 'default', name: sa }) !== undefined) return;
  // The API server refuses the pod (Forbidden) because the account it names is not found.
  throw new SimError({
    code: 'NOT_FOUND',
    reason: 'Forbidden',
    ref,
    message: `error looking up service account ${ref.namespace}/${sa}: serviceaccount "${sa}" not found`,
  });
}

/**
 * A pinned `status.podIP` (the simulator's way to fix a pod's address; the API server ignores
 * status on create) must be a pod address of the cluster's pod CIDR, never a node's pod CIDR's
 * network, router (.1) or broadcast address, nor a node's, a Service's or the world's address,
 * and free.
 */
function checkPinnedIp(store: ObjectLookup, object: string, ip: unknown): void {
  const bad = (why: string): never => {
    throw new SimError({ code: 'INVALID_FIELD', object, path: 'status.podIP', message: `Invalid value: ${quoteValue(ip)}: ${why}` });
  };
  if (typeof ip !== 'string' || parseIpv4(ip) === undefined) bad('must be an IPv4 address');
  if (!cidrContains(POD_CIDR, ip as string)) bad(`not in the cluster's pod CIDR ${POD_CIDR}; omit status.podIP or pin an address of it`);
  const reserved = store
    .list<Node>('Node')
    .find((n) => cidrContains(n.spec.podCIDR, ip as string) && !podCidrHost(n.spec.podCIDR, ip as string));
  if (reserved !== undefined)
    bad(`is the network, router or broadcast address of node ${reserved.metadata.name}'s pod CIDR ${reserved.spec.podCIDR}`);
  const p = store.podAt(ip as string);
  if (p === undefined) return;
  throw new SimError({
    code: 'INVALID_FIELD',
    object,
    path: 'status.podIP',
    message: `Invalid value: ${quoteValue(ip)}: already in use by pod ${p.metadata.namespace}/${p.metadata.name}; pick a free address`,
  });
}

/** True when `ip`, inside `cidr`, is a pod address of it: not its network, router (.1) or broadcast address. */
function podCidrHost(cidr: string, ip: string): boolean {
  const [net, bits] = cidr.split('/');
  const offset = ipToInt(ip) - ipToInt(net!);
  return offset >= 2 && offset < 2 ** (32 - Number(bits)) - 1;
}

/**
 * The kubelet restarts a running container whose image changed: it runs the new image, one
 * restart more. A stopped or waiting container is not restarted (the image is taken when it is made).
 */
function restartedFor(spec: PodSpec, status: Pod['status']): Pod['status'] {
  const statuses = status.containerStatuses;
  if (statuses === undefined) return status;
  const next = statuses.map((c) => {
    const image = spec.containers.find((sc) => sc.name === c.name)?.image;
    return image === undefined || image === c.image || !('running' in c.state) ? c : { ...c, image, restartCount: c.restartCount + 1 };
  });
  return next.every((c, i) => c === statuses[i]) ? status : { ...status, containerStatuses: next };
}
