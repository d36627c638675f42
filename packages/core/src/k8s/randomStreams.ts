import { hash32, type Rng } from '../sim/rng.ts';

/** The independent random streams of the Kubernetes model, one per concern. */
export interface K8sStreams {
  readonly uids: Rng;
  readonly podNames: Rng;
  readonly podIps: Rng;
  readonly clusterIps: Rng;
  readonly nodePorts: Rng;
  readonly scheduling: Rng;
}

const cache = new WeakMap<Rng, K8sStreams>();

/**
 * Forks the context's Rng once per concern and keeps the forks with it, so a new uid draw never
 * shifts a pod IP. Forks are cached because `Rng.fork` restarts a stream from its seed.
 */
export function streamsOf(rng: Rng): K8sStreams {
  let streams = cache.get(rng);
  if (streams === undefined) {
    streams = {
      uids: rng.fork('uids'),
      podNames: rng.fork('pod-names'),
      podIps: rng.fork('pod-ips'),
      clusterIps: rng.fork('cluster-ips'),
      nodePorts: rng.fork('node-ports'),
      scheduling: rng.fork('scheduling'),
    };
    cache.set(rng, streams);
  }
  return streams;
}

/**
 * A UUID-shaped id derived from text, for objects the simulator implies but does not store (a
 * Deployment's ReplicaSet, a DaemonSet): the same owner always gets the same uid.
 */
export function derivedUid(text: string): string {
  const h = [0, 1, 2, 3].map((i) => hash32(`${i}/${text}`).toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
