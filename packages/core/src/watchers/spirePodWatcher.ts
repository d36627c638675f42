import type { SpireHealth } from '../agent/spireHealth.ts';
import type { Pod } from '../k8s/objects.ts';
import { listObjects } from '../k8s/state.ts';
import { NS_PER_S } from '../sim/duration.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import type { Watcher } from './watcher.ts';

/** The namespace Cilium's SPIRE install runs in. */
export const SPIRE_NAMESPACE = 'cilium-spire';
/** From a new spire-server pod to a server that answers (datastore opened, CA loaded). */
export const SPIRE_SERVER_START_NS = 10 * NS_PER_S;
/** From a new spire-agent pod to an agent that attested and serves its socket. */
export const SPIRE_AGENT_START_NS = 5 * NS_PER_S;

/**
 * SPIRE is its pods: the server serves while the spire-server StatefulSet's pod runs, and a
 * node's SPIRE agent while the spire-agent DaemonSet's pod on that node runs. A pod deleted takes
 * its process down at once (the symptoms of the server-down or agent-down fault); the pod its
 * controller makes again brings it back once it has started. Deleting the namespace takes them
 * all down for good.
 */
export function spirePodWatcher(health: SpireHealth, scheduler: Scheduler): Watcher {
  let dirty = false;
  let booted = false;
  let server: string | undefined;
  const agents = new Map<string, string>();

  /**
   * One process whose running pod was `was` and is `now` (uids): another pod, or none, takes it
   * down; a new pod brings it up once started, if it is still the running one then (`up` checks).
   */
  const follow = (was: string | undefined, now: string | undefined, down: () => void, up: () => void, startNs: number): void => {
    if (was === now || !booted) return;
    down();
    if (now !== undefined) scheduler.after(startNs, 'spire-pod-started', up, { background: true });
  };

  return {
    changed(ref) {
      if (ref.kind === 'Pod' && ref.namespace === SPIRE_NAMESPACE) dirty = true;
    },
    flush(batch) {
      if (!dirty) return;
      dirty = false;
      const pods = listObjects(batch.state, 'Pod', SPIRE_NAMESPACE).filter((p) => p.status.phase === 'Running');
      const nextServer = pods.find((p) => ownedBy(p, 'StatefulSet', 'spire-server'))?.metadata.uid;
      const nextAgents = new Map<string, string>();
      for (const p of pods)
        if (ownedBy(p, 'DaemonSet', 'spire-agent') && p.spec.nodeName !== undefined) nextAgents.set(p.spec.nodeName, p.metadata.uid);
      follow(
        server,
        nextServer,
        () => health.serverDown('pod'),
        () => {
          if (server === nextServer) health.serverUp('pod');
        },
        SPIRE_SERVER_START_NS,
      );
      server = nextServer;
      for (const node of new Set([...agents.keys(), ...nextAgents.keys()])) {
        const uid = nextAgents.get(node);
        follow(
          agents.get(node),
          uid,
          () => health.agentDown(node, 'pod'),
          () => {
            if (agents.get(node) === uid) health.agentUp(node, 'pod');
          },
          SPIRE_AGENT_START_NS,
        );
        if (uid === undefined) agents.delete(node);
        else agents.set(node, uid);
      }
      booted = true;
    },
  };
}

function ownedBy(pod: Pod, kind: string, name: string): boolean {
  return pod.metadata.ownerReferences?.some((o) => o.controller === true && o.kind === kind && o.name === name) === true;
}
