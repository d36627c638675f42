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

/**
 * The context's Rng split once per concern, so a new uid draw never shifts a pod IP. The streams
 * belong to the Rng (`Rng.stream`), which lives as long as the cluster's Kubernetes model and is
 * handed to every transaction: each transaction continues the draws of the one before, and a dry
 * run, given a fork of its own, shifts nothing in the cluster's streams.
 */
export function streamsOf(rng: Rng): K8sStreams {
  return {
    uids: rng.stream('uids'),
    podNames: rng.stream('pod-names'),
    podIps: rng.stream('pod-ips'),
    clusterIps: rng.stream('cluster-ips'),
    nodePorts: rng.stream('node-ports'),
    scheduling: rng.stream('scheduling'),
  };
}

/**
 * A UUID-shaped id derived from text, for objects the simulator implies but does not store (a
 * Deployment's ReplicaSet, a DaemonSet): the same owner always gets the same uid.
 */
export function derivedUid(text: string): string {
  const h = [0, 1, 2, 3].map((i) => hash32(`${i}/${text}`).toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
