import { type Cluster, k8s, type Pod, type Service } from '@cilium-sim/core';
import type { DescribeRequest } from '../kubectl/getArgs.ts';
import type { KubeObject } from '../kubectl/objects.ts';
import { describePod } from '../kubectl/printers/describePod.ts';
import { describeService } from '../kubectl/printers/describeService.ts';
import { describeUnstructured } from '../kubectl/printers/describeUnstructured.ts';
import { notFoundMessage, type ResourceType } from '../kubectl/resources.ts';
import type { CommandResult } from '../shell/command.ts';
import { withTypeMeta } from '../kubectl/printers/serialize.ts';
import { listObjectsOf, matchingLabels } from './kubectlObjects.ts';

/**
 * `kubectl describe TYPE [NAME_PREFIX...] [-l SEL]`: pods and services by kubectl's own
 * describers, custom resources (Cilium's policies and the rest) by its generic one. As kubectl
 * does, a name that matches no object exactly describes every object whose name starts with it.
 */
export function describe(cluster: Cluster, req: DescribeRequest): CommandResult {
  const texts: string[] = [];
  let stderr = '';
  for (const target of req.targets) {
    const printer = describerFor(cluster, target.type);
    if (printer === undefined) {
      return {
        stdout: '',
        stderr: `error: kubectl describe ${target.type.plural} is not modelled in cilium-sim; use kubectl get ${target.type.plural} -o yaml\n`,
        exitCode: 1,
      };
    }
    const all = matchingLabels(listObjectsOf(cluster, target.type, req.allNamespaces ? undefined : req.namespace), req.selector);
    if (target.names.length === 0) {
      texts.push(...all.map(printer));
      continue;
    }
    for (const name of target.names) {
      const exact = all.filter((o) => o.metadata.name === name);
      const found = exact.length > 0 ? exact : all.filter((o) => o.metadata.name.startsWith(name));
      if (found.length === 0) stderr += `${notFoundMessage(target.type, name)}\n`;
      texts.push(...found.map(printer));
    }
  }
  if (texts.length === 0 && stderr === '') {
    const where = req.allNamespaces ? '' : ` in ${req.namespace} namespace`;
    return { stdout: '', stderr: `No resources found${where}.\n`, exitCode: 0 };
  }
  return { stdout: texts.join('\n\n'), stderr, exitCode: stderr === '' ? 0 : 1 };
}

function describerFor(cluster: Cluster, type: ResourceType): ((obj: KubeObject) => string) | undefined {
  const nowMs = cluster.now().epochMs;
  if (type.kind === 'Pod') return (obj) => describePod(obj as unknown as Pod, nowMs);
  if (type.kind === 'Service') {
    const endpoints = k8s.KINDS.Endpoints;
    return (obj) =>
      describeService(
        obj as unknown as Service,
        listObjectsOf(cluster, endpoints, obj.metadata.namespace).find((e) => e.metadata.name === obj.metadata.name),
      );
  }
  // Custom resources have no describer of their own in kubectl: its generic one prints them.
  if (type.group !== '' && !BUILTIN_GROUPS.has(type.group)) return (obj) => describeUnstructured(withTypeMeta(type, obj));
  return undefined;
}

/** The API groups of Kubernetes itself, whose kinds kubectl describes with describers of their own. */
const BUILTIN_GROUPS = new Set(['apps', 'networking.k8s.io', 'discovery.k8s.io', 'batch', 'policy', 'rbac.authorization.k8s.io']);
