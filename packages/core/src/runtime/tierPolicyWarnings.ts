import type { AgentConfig } from '../agent/agentConfig.ts';
import { isTierPolicyKind } from '../policy/policyKinds.ts';
import { behaviourIn, type CiliumVersion } from '../version/ciliumVersion.ts';

/**
 * What applying a ClusterNetworkPolicy (or a v1alpha1 AdminNetworkPolicy or
 * BaselineAdminNetworkPolicy) tells the user while the agents do not enforce them: Cilium 1.20
 * only watches these kinds with `enable-k8s-cluster-network-policy=true`, so the object is stored
 * and nothing else happens.
 */
export function tierPolicyWarnings(kind: string, config: AgentConfig, version: CiliumVersion): string[] {
  if (!isTierPolicyKind(kind)) return [];
  if (!tiersImplemented(version))
    return [`${kind} is stored but not enforced: Cilium ${version.release} does not implement ClusterNetworkPolicy (Cilium 1.20 does)`];
  if (config.get('enable-k8s-cluster-network-policy')) return [];
  return [
    `${kind} is stored but not enforced: the Cilium agents run with enable-k8s-cluster-network-policy=false (cilium config set enable-k8s-cluster-network-policy true; Helm: k8sClusterNetworkPolicy.enabled=true)`,
  ];
}

/** Whether the version's agents enforce the tiers at all: before 1.20 the switch does nothing. */
export function tiersImplemented(version: CiliumVersion): boolean {
  return behaviourIn(version, 'cluster-network-policy');
}

/** Whether the agents enforce the Admin and Baseline tiers now. */
export function tiersEnforced(config: AgentConfig, version: CiliumVersion): boolean {
  return tiersImplemented(version) && config.get('enable-k8s-cluster-network-policy');
}
