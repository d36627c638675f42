import { assert } from '../errors.ts';
import type { DaemonSet, StatefulSet } from './builtinObjects.ts';
import { admitPodSpec } from './podAdmission.ts';
import { derivedUid } from './randomStreams.ts';
import type { SystemPod } from './systemWorkloads.ts';

/** Labels the controller sets on each pod, not part of its template or selector. */
const PER_POD_LABELS = new Set(['pod-template-generation', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);

/**
 * The DaemonSet or StatefulSet the install created for a system pod (the cilium, kube-proxy,
 * spire-agent, Envoy and Tetragon DaemonSets, the spire-server StatefulSet): the owner its pods
 * name, stored so that deleting it (`kubectl delete ds cilium -n kube-system`) takes its pods
 * with it and nothing makes them again until it is applied anew. Its uid is derived from its
 * name, as the pods' owner references have it, so storing it draws nothing from the Rng.
 */
export function systemOwner(p: SystemPod, created: string): DaemonSet | StatefulSet {
  const kind = p.owner.kind;
  assert(kind !== 'Node', `static pod ${p.name} has no controller object`);
  const labels = Object.fromEntries(Object.entries(p.labels).filter(([k]) => !PER_POD_LABELS.has(k)));
  const metadata = {
    name: p.owner.name,
    namespace: p.namespace,
    uid: derivedUid(`${p.namespace}/${kind}/${p.owner.name}`),
    labels,
    creationTimestamp: created,
    resourceVersion: '',
    generation: 1,
  };
  const template = { metadata: { labels }, spec: systemPodSpec(p, undefined) };
  // The charts select their pods by their first label (`k8s-app: cilium`, `app: spire-server`).
  const [key, value] = Object.entries(labels)[0]!;
  const selector = { matchLabels: { [key]: value } };
  return kind === 'DaemonSet'
    ? { apiVersion: 'apps/v1', kind, metadata, spec: { selector, template } }
    : { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: 1, serviceName: p.owner.name, selector, template } };
}

/** The pod spec of a system pod, bound to `nodeName` when given. */
export function systemPodSpec(p: SystemPod, nodeName: string | undefined): ReturnType<typeof admitPodSpec> {
  return admitPodSpec({
    containers: p.containers,
    serviceAccountName: p.serviceAccountName,
    ...(p.hostNetwork ? { hostNetwork: true, tolerations: [{ operator: 'Exists' }] } : {}),
    ...(nodeName === undefined ? {} : { nodeName }),
  });
}
