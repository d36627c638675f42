import type { Namespace, Pod } from '../k8s/objects.ts';
import { getByKey, listObjects, type K8sState } from '../k8s/state.ts';
import { coreDnsApp } from '../workload/coreDnsApp.ts';
import { appForImage, implicitPorts } from '../workload/demoApps.ts';
import { udpEcho } from '../workload/serverApp.ts';
import type { Watcher, WatcherDeps } from './watcher.ts';

/** Pods, and re-syncing them all for changes the API server does not see. */
export interface PodWatcher extends Watcher {
  /**
   * Re-syncs every pod's endpoint against `state`, for changes the API server does not see
   * (SPIRE entries that give or take a pod's SPIFFE ID). Unchanged endpoints stay as they are;
   * a changed label set moves the endpoint to another identity, as a relabel does.
   */
  resync(state: K8sState): void;
}

/**
 * Pods into endpoints, as the agent's pod watcher does: the endpoint and its identity, the named
 * ports policies resolve, and the pod's servers listening on its IP. A changed pod also marks
 * its namespace's Services, whose backends it may be.
 */
export function podWatcher(d: WatcherDeps): PodWatcher {
  const nodeIp = (node: string): string => d.nodeIp(node);
  const sync = (key: string, state: K8sState): void => syncPod(d, key, state, nodeIp);
  return {
    changed(ref, batch, key) {
      batch.pods.add(key);
      batch.serviceNamespaces.add(ref.namespace ?? 'default');
    },
    flush(batch) {
      for (const key of [...batch.pods].sort()) sync(key, batch.state);
    },
    resync(state) {
      const keys = listObjects(state, 'Pod').map((p) => `Pod/${p.metadata.namespace ?? 'default'}/${p.metadata.name}`);
      for (const key of keys.sort()) sync(key, state);
    },
  };
}

function syncPod(d: WatcherDeps, key: string, state: K8sState, nodeIp: (node: string) => string): void {
  const pod = getByKey(state, key) as Pod | undefined;
  const ns = key.slice('Pod/'.length, key.indexOf('/', 'Pod/'.length));
  const namespace = getByKey(state, `Namespace/${ns}`) as Namespace | undefined;
  // A pod whose containers the kubelet stopped (held by finalizers after a delete) has no sandbox, so no endpoint.
  const running = pod?.status.phase === 'Succeeded' ? undefined : pod;
  const change = d.endpoints.sync(
    key.slice('Pod/'.length),
    running,
    { namespaceLabels: namespace?.metadata.labels ?? {}, clusterName: d.clusterName, nowNs: d.nowNs() },
    nodeIp,
  );
  const namedPortsChanged = d.namedPorts.update(change.before, change.after);
  for (const id of change.createdIdentities) d.engine.upsertIdentity({ id: id.id, labels: id.labels });
  if (change.createdIdentities.length > 0) d.identitiesCreated(change.createdIdentities);
  const { before, after } = change;
  if (before !== undefined && (after === undefined || after.ip !== before.ip)) d.stacks.removeStack(before.ip);
  if (
    after !== undefined &&
    running !== undefined &&
    (before === undefined || before.ip !== after.ip || before.nodeName !== after.nodeName)
  ) {
    listen(d, running, after.ip, after.nodeName);
  }
  // Named ports resolve per endpoint (ingress) and cluster-wide (egress): maps using them rebuild.
  d.engine.namedPortsChanged(namedPortsChanged.identities, namedPortsChanged.global);
}

/** Starts the pod's servers: one per declared container port, CoreDNS on 53. */
function listen(d: WatcherDeps, pod: Pod, ip: string, node: string): void {
  const stack = d.stacks.addPodStack(ip, node);
  const isDns = pod.metadata.labels['k8s-app'] === 'kube-dns';
  for (const c of pod.spec.containers) {
    for (const port of implicitPorts(c.image)) stack.listen('TCP', port, appForImage(c.image));
    for (const p of c.ports ?? []) {
      if (isDns && p.containerPort === 53) stack.listen(p.protocol, 53, coreDnsApp(d.zone));
      else stack.listen(p.protocol, p.containerPort, p.protocol === 'UDP' ? udpEcho : appForImage(c.image));
    }
  }
}
