import type { LabelSet } from '../identity/labels.ts';
import type { NamedPort } from '../policy/namedPorts.ts';

/**
 * A Cilium endpoint: one pod's network presence on its node, with its security identity.
 * Host-network pods have none (they use the node's host identity).
 */
export interface Endpoint {
  /** Agent-local endpoint ID (`cilium endpoint list`'s ENDPOINT column), unique per node. */
  readonly id: number;
  readonly namespace: string;
  readonly podName: string;
  readonly ip: string;
  readonly nodeName: string;
  readonly identity: number;
  /** Every label of the endpoint (source `k8s`), identity-relevant or not. */
  readonly labels: LabelSet;
  /** The identity's labels, as Hubble shows them on flows. */
  readonly identityLabels: LabelSet;
  readonly namedPorts: readonly NamedPort[];
  readonly serviceAccount: string;
  /** The owning workload (`deathstar`, kind Deployment), as Hubble's `workloads`. */
  readonly workload?: { readonly name: string; readonly kind: string };
  readonly createdAtNs: number;
}
