import type { AgentConfig } from '../agent/agentConfig.ts';
import { isTierPolicyKind } from '../policy/policyKinds.ts';

/**
 * What applying a ClusterNetworkPolicy (or a v1alpha1 AdminNetworkPolicy or
 * BaselineAdminNetworkPolicy) tells the user while the agents do not enforce them: Cilium 1.20
 * only watches these kinds with `enable-k8s-cluster-network-policy=true`, so the object is stored
 * and nothing else happens.
 */
export function tierPolicyWarnings(kind: string, config: AgentConfig): string[] {
  if (!isTierPolicyKind(kind) || config.get('enable-k8s-cluster-network-policy')) return [];
  return [
    `${kind} is stored but not enforced: the Cilium agents run with enable-k8s-cluster-network-policy=false (cilium config set enable-k8s-cluster-network-policy true; Helm: k8sClusterNetworkPolicy.enabled=true)`,
  ];
}
