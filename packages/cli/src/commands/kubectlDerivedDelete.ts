import type { Cluster } from '@cilium-sim/core';
import type { KubeObject } from '../kubectl/objects.ts';
import { kindPrefix, type ResourceType } from '../kubectl/resources.ts';
import type { CommandResult } from '../shell/command.ts';

/**
 * `kubectl delete` of a kind the simulator derives instead of storing (k8s/kinds.ts), as the
 * cluster's controllers answer it:
 * - a ReplicaSet goes with its pods, and its Deployment makes it again (same name, as the
 *   template is unchanged) with new pods: here its pods are deleted and the Deployment's
 *   controller makes the new ones;
 * - Endpoints, a CiliumEndpoint, a CiliumIdentity are made again at once, the same, by the
 *   endpoints controller and the Cilium agents: deleted, nothing changes;
 * - the `cilium-config` ConfigMap holds the agents' configuration, which the simulator changes
 *   only through `cilium config`: refused with what to use instead.
 * A dry run (`dryRunSuffix` set) changes nothing and says what would be deleted.
 */
export function deleteDerived(cluster: Cluster, type: ResourceType, obj: KubeObject, dryRunSuffix = ''): CommandResult {
  const name = obj.metadata.name;
  const namespace = obj.metadata.namespace;
  if (type.kind === 'ConfigMap') {
    return {
      stdout: '',
      stderr: `error: cilium-sim does not model deleting the ${name} ConfigMap; change the agents' configuration with cilium config set or cilium config delete\n`,
      exitCode: 1,
    };
  }
  if (type.kind === 'ReplicaSet' && dryRunSuffix === '') {
    for (const pod of cluster.list('Pod', namespace)) {
      if (pod.metadata.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === name) === true)
        cluster.delete({ kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default' });
    }
  }
  return { stdout: `${kindPrefix(type)} "${name}" deleted${dryRunSuffix}\n`, stderr: '', exitCode: 0 };
}

/** `kubectl label` or `annotate` of a derived kind: the simulator keeps no metadata of its own for it. */
export function labelDerived(type: ResourceType, verb: 'label' | 'annotate'): CommandResult {
  return {
    stdout: '',
    stderr: `error: cilium-sim derives ${type.plural} from other objects and cannot ${verb} them; ${verb} the object they come from\n`,
    exitCode: 1,
  };
}
