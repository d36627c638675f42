import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Pod } from '../k8s/objects.ts';
import type { ContainerImage } from './runtimeEvent.ts';

/** What Tetragon's pod watcher knows of a container, fixed for the container's life. */
export interface PodContext {
  readonly namespace: string;
  readonly name: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly workload: string;
  readonly workloadKind: string;
  readonly containerId: string;
  readonly containerName: string;
  readonly image: ContainerImage;
  readonly containerStartTime: string;
}

/**
 * The context of `container` (the pod's first when omitted) in `pod`, or undefined when the pod
 * has no such container. Container and image IDs are digests of the pod's UID and the image
 * name, so they stay the same for the pod's life and differ between pods.
 */
export function podContext(pod: Pod, container?: string): PodContext | undefined {
  const spec = container === undefined ? pod.spec.containers[0] : pod.spec.containers.find((c) => c.name === container);
  if (spec === undefined) return undefined;
  // Stored pods are immutable and a new version is a new object, so a context computed for one
  // holds for as long as it does: every exec into a pod would otherwise hash its IDs again.
  let byContainer = CONTEXTS.get(pod);
  const known = byContainer?.get(spec.name);
  if (known !== undefined) return known;
  const ctx = computeContext(pod, spec);
  if (byContainer === undefined) CONTEXTS.set(pod, (byContainer = new Map()));
  byContainer.set(spec.name, ctx);
  return ctx;
}

const CONTEXTS = new WeakMap<Pod, Map<string, PodContext>>();

function computeContext(pod: Pod, spec: Pod['spec']['containers'][number]): PodContext {
  const status = pod.status.containerStatuses?.find((s) => s.name === spec.name);
  const { workload, workloadKind } = workloadOf(pod);
  const image = normalizeImage(spec.image);
  return {
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    podLabels: pod.metadata.labels,
    workload,
    workloadKind,
    containerId: `containerd://${hex(`${pod.metadata.uid}/${spec.name}`)}`,
    containerName: spec.name,
    image: { id: imageId(image), name: image },
    containerStartTime: status !== undefined && 'running' in status.state ? status.state.running.startedAt : pod.metadata.creationTimestamp,
  };
}

/**
 * Tetragon's heuristic (pkg/process/workload.go): a pod a controller made names that controller,
 * a ReplicaSet whose name ends in the pod's template hash its Deployment; a pod without one (or a
 * static pod, which its Node owns) names itself, kind `Pod`.
 */
function workloadOf(pod: Pod): { workload: string; workloadKind: string } {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller === true && o.kind !== 'Node');
  if (owner === undefined) return { workload: pod.metadata.name, workloadKind: 'Pod' };
  const hash = pod.metadata.labels['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash !== undefined && owner.name.endsWith(`-${hash}`))
    return { workload: owner.name.slice(0, -(hash.length + 1)), workloadKind: 'Deployment' };
  return { workload: owner.name, workloadKind: owner.kind };
}

/**
 * An image reference as containerd reports it: registry and tag always spelled out
 * (`cilium/json-mock:v1.3.8` is `docker.io/cilium/json-mock:v1.3.8`, `busybox` is
 * `docker.io/library/busybox:latest`).
 */
export function normalizeImage(image: string): string {
  const first = image.split('/')[0]!;
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let ref = hasRegistry ? image : image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  if (!last.includes(':') && !last.includes('@')) ref = `${ref}:latest`;
  return ref;
}

/** The image's repository and digest: the digest written in the reference, else one made from it. */
function imageId(image: string): string {
  const at = image.indexOf('@');
  if (at !== -1) return `${image.slice(0, at).replace(/:[^:/]+$/, '')}${image.slice(at)}`;
  return `${image.replace(/:[^:/]+$/, '')}@sha256:${hex(image)}`;
}

function hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
