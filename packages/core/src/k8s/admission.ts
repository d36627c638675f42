import { SimError } from '../errors.ts';
import { canonicalJson } from './canonicalJson.ts';
import type { TxEnv } from './context.ts';
import type {
  Container,
  Deployment,
  K8sObject,
  Namespace,
  ObjectMeta,
  ObjectRef,
  Pod,
  PodSpec,
  PolicyObject,
  ServiceAccount,
} from './objects.ts';
import { describeRef } from './objects.ts';
import { admitService } from './serviceAdmission.ts';
import { podKeyByIp } from './podIndex.ts';
import { getByKey, getObject, type K8sState } from './state.ts';

type Manifest = Readonly<Record<string, unknown>>;

/**
 * Turns a validated manifest into the object the API server would store: defaults filled,
 * server fields set (uid, creationTimestamp), allocations made (ClusterIP, NodePort), and the
 * checks that need the rest of the cluster (service account exists, pinned IP free, immutable
 * fields kept). `existing` is the stored object on update. Throws a SimError on bad input.
 * The result keeps `existing`'s resourceVersion and generation; the store bumps them.
 */
export function admit(state: K8sState, ref: ObjectRef, manifest: Manifest, existing: K8sObject | undefined, env: TxEnv): K8sObject {
  const metadata = admitMetadata(ref, manifest, existing, env);
  const base = { apiVersion: manifest['apiVersion'], kind: ref.kind, metadata };
  switch (ref.kind) {
    case 'Namespace':
      return {
        ...base,
        metadata: { ...metadata, labels: { ...metadata.labels, 'kubernetes.io/metadata.name': ref.name } },
        status: { phase: 'Active' },
      } as Namespace;
    case 'ServiceAccount': {
      const automount = manifest['automountServiceAccountToken'];
      return (typeof automount === 'boolean' ? { ...base, automountServiceAccountToken: automount } : base) as ServiceAccount;
    }
    case 'Pod':
      return admitPod(state, ref, manifest, metadata, existing as Pod | undefined);
    case 'Deployment':
      return admitDeployment(manifest, metadata, existing as Deployment | undefined);
    case 'Service':
      return admitService(state, ref, manifest, metadata, existing, env);
    case 'NetworkPolicy':
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      return admitPolicy(ref, manifest, metadata, env);
    case 'Node':
      throw new SimError({
        code: 'INVALID_OBJECT',
        object: describeRef(ref),
        message: 'nodes are created by the simulator (--nodes N), not by manifests',
      });
  }
}

function admitMetadata(ref: ObjectRef, manifest: Manifest, existing: K8sObject | undefined, env: TxEnv): ObjectMeta {
  const written = (manifest['metadata'] ?? {}) as Record<string, unknown>;
  const annotations = written['annotations'] as Record<string, string> | undefined;
  return {
    name: ref.name,
    ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
    uid: existing?.metadata.uid ?? env.streams.uids.uuid(),
    labels: (written['labels'] as Record<string, string> | undefined) ?? {},
    ...(annotations === undefined ? {} : { annotations }),
    creationTimestamp: existing?.metadata.creationTimestamp ?? env.now,
    resourceVersion: existing?.metadata.resourceVersion ?? '',
    generation: existing?.metadata.generation ?? 1,
    ...(existing?.metadata.ownerReferences === undefined ? {} : { ownerReferences: existing.metadata.ownerReferences }),
  };
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

function admitPod(state: K8sState, ref: ObjectRef, manifest: Manifest, metadata: ObjectMeta, existing: Pod | undefined): Pod {
  const object = describeRef(ref);
  let spec = admitPodSpec(manifest['spec'] as Record<string, unknown>);
  if (existing !== undefined) {
    // The scheduler's choice is part of the stored spec; an unchanged manifest must not undo it.
    if (spec.nodeName === undefined && existing.spec.nodeName !== undefined) spec = { ...spec, nodeName: existing.spec.nodeName };
    if (canonicalJson(spec) !== canonicalJson(existing.spec)) {
      throw new SimError({
        code: 'INVALID_FIELD',
        object,
        path: 'spec',
        message: 'Forbidden: pod updates may not change fields other than labels and annotations; delete the pod and create it again',
      });
    }
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: existing.status };
  }
  checkServiceAccount(state, ref, spec.serviceAccountName);
  if (spec.nodeName !== undefined && getObject(state, { kind: 'Node', name: spec.nodeName }) === undefined) {
    throw new SimError({
      code: 'NOT_FOUND',
      object,
      path: 'spec.nodeName',
      message: `node "${spec.nodeName}" not found; use one of the cluster's nodes (kubectl get nodes) or omit nodeName`,
    });
  }
  const pinned = ((manifest['status'] ?? {}) as { podIP?: string }).podIP;
  if (pinned !== undefined && spec.hostNetwork !== true) checkPinnedIp(state, object, pinned);
  const status =
    pinned === undefined || spec.hostNetwork === true ? { phase: 'Pending' as const } : { phase: 'Pending' as const, podIP: pinned };
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status };
}

/** The ServiceAccount admission plugin refuses pods whose account does not exist. */
export function checkServiceAccount(state: K8sState, ref: ObjectRef, sa: string): void {
  if (getObject(state, { kind: 'ServiceAccount', namespace: ref.namespace ?? 'default', name: sa }) !== undefined) return;
  // The API server refuses the pod (Forbidden) because the account it names is not found.
  throw new SimError({
    code: 'NOT_FOUND',
    reason: 'Forbidden',
    ref,
    message: `error looking up service account ${ref.namespace}/${sa}: serviceaccount "${sa}" not found`,
  });
}

function checkPinnedIp(state: K8sState, object: string, ip: string): void {
  const key = podKeyByIp(state, ip);
  const p = key === undefined ? undefined : getByKey(state, key);
  if (p === undefined) return;
  throw new SimError({
    code: 'INVALID_FIELD',
    object,
    path: 'status.podIP',
    message: `Invalid value: "${ip}": already in use by pod ${p.metadata.namespace}/${p.metadata.name}; pick a free address`,
  });
}

function admitDeployment(manifest: Manifest, metadata: ObjectMeta, existing: Deployment | undefined): Deployment {
  const spec = manifest['spec'] as Record<string, unknown>;
  const template = spec['template'] as {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
  };
  const tplAnnotations = template.metadata?.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      ...spec,
      replicas: (spec['replicas'] as number | undefined) ?? 1,
      selector: spec['selector'] as Deployment['spec']['selector'],
      template: {
        metadata: { labels: template.metadata?.labels ?? {}, ...(tplAnnotations === undefined ? {} : { annotations: tplAnnotations }) },
        spec: admitPodSpec(template.spec),
      },
    },
    status: existing?.status ?? { observedGeneration: 0, replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0 },
  };
}

function admitPolicy(ref: ObjectRef, manifest: Manifest, metadata: ObjectMeta, env: TxEnv): PolicyObject {
  const { metadata: _ignored, ...body } = manifest;
  const policy = { ...body, kind: ref.kind, metadata } as PolicyObject;
  const issues = env.ctx.validatePolicy?.(policy) ?? [];
  if (issues.length > 0) throw SimError.of(issues.map((i) => ({ ...i, object: i.object ?? describeRef(ref) })));
  return policy;
}
