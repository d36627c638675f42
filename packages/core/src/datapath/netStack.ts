import type { Packet } from './packet.ts';

/**
 * Anything with an IP that sends and receives packets: a pod's network namespace, a node's host
 * namespace, or a host outside the cluster. The datapath hands packets to `receive`; the
 * workload layer (sockets, servers, clients) lives behind it.
 */
export interface NetStack {
  readonly ip: string;
  readonly kind: 'pod' | 'host' | 'world';
  /** The node a pod or host stack lives on; undefined outside the cluster. */
  readonly nodeName: string | undefined;
  receive(p: Packet): void;
}
