/**
 * What the datapath knows of a local endpoint, as Cilium's lxc map holds it (bpf/lib/eps.h
 * `endpoint_info`): its ID, security identity, address and node. Pod names, labels and named
 * ports stay with the agent; the datapath needs none of them to enforce policy.
 */
export interface LxcEndpoint {
  /** Agent-local endpoint ID. */
  readonly id: number;
  /** The security identity its packets carry. */
  readonly identity: number;
  readonly ip: string;
  /** The node whose agent and policy enforce for it. */
  readonly nodeName: string;
}
