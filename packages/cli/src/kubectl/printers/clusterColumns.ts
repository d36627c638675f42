import { AGE, NAME, columns } from './column.ts';
import type { ConfigMap, Namespace, Node, ServiceAccount } from '../objects.ts';

/**
 * Namespaces, nodes, service accounts and config maps, as kubectl's printers.go prints them.
 * A node's ROLES come from its `node-role.kubernetes.io/<role>` labels (`control-plane`).
 */
function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const states = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable === true) states.push('SchedulingDisabled');
  return states.join(',');
}

function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/') && key.length > 'node-role.kubernetes.io/'.length)
      roles.add(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role' && value !== '') roles.add(value);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

function orUnknown(value: string | undefined): string {
  return value === undefined || value === '' ? '<unknown>' : value;
}

export const NAMESPACE_COLUMNS = columns<Namespace>(NAME, { header: 'STATUS', cell: (n) => n.status?.phase ?? 'Active' }, AGE);

export const NODE_COLUMNS = columns<Node>(
  NAME,
  { header: 'STATUS', cell: nodeStatus },
  { header: 'ROLES', cell: nodeRoles },
  AGE,
  { header: 'VERSION', cell: (n) => n.status?.nodeInfo?.kubeletVersion ?? '' },
  { header: 'INTERNAL-IP', wide: true, cell: (n) => nodeAddress(n, 'InternalIP') },
  { header: 'EXTERNAL-IP', wide: true, cell: (n) => nodeAddress(n, 'ExternalIP') },
  { header: 'OS-IMAGE', wide: true, cell: (n) => orUnknown(n.status?.nodeInfo?.osImage) },
  { header: 'KERNEL-VERSION', wide: true, cell: (n) => orUnknown(n.status?.nodeInfo?.kernelVersion) },
  { header: 'CONTAINER-RUNTIME', wide: true, cell: (n) => orUnknown(n.status?.nodeInfo?.containerRuntimeVersion) },
);

export const SERVICEACCOUNT_COLUMNS = columns<ServiceAccount>(
  NAME,
  { header: 'SECRETS', cell: (s) => String(s.secrets?.length ?? 0) },
  AGE,
);

export const CONFIGMAP_COLUMNS = columns<ConfigMap>(
  NAME,
  { header: 'DATA', cell: (c) => String(Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length) },
  AGE,
);
