import { AGE_COLUMN, columns } from './printerColumn.ts';
import type { ConfigMap, Namespace, Node, ServiceAccount } from './printerObjects.ts';

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

export const NAMESPACE_COLUMNS = columns<Namespace>(
  { name: 'Status', type: 'string', cell: (n) => n.status?.phase ?? 'Active' },
  AGE_COLUMN,
);

export const NODE_COLUMNS = columns<Node>(
  { name: 'Status', type: 'string', cell: nodeStatus },
  { name: 'Roles', type: 'string', cell: nodeRoles },
  AGE_COLUMN,
  { name: 'Version', type: 'string', cell: (n) => n.status?.nodeInfo?.kubeletVersion ?? '' },
  { name: 'Internal-IP', type: 'string', priority: 1, cell: (n) => nodeAddress(n, 'InternalIP') },
  { name: 'External-IP', type: 'string', priority: 1, cell: (n) => nodeAddress(n, 'ExternalIP') },
  { name: 'OS-Image', type: 'string', priority: 1, cell: (n) => orUnknown(n.status?.nodeInfo?.osImage) },
  { name: 'Kernel-Version', type: 'string', priority: 1, cell: (n) => orUnknown(n.status?.nodeInfo?.kernelVersion) },
  { name: 'Container-Runtime', type: 'string', priority: 1, cell: (n) => orUnknown(n.status?.nodeInfo?.containerRuntimeVersion) },
);

export const SERVICEACCOUNT_COLUMNS = columns<ServiceAccount>(
  { name: 'Secrets', type: 'integer', cell: (s) => String(s.secrets?.length ?? 0) },
  AGE_COLUMN,
);

export const CONFIGMAP_COLUMNS = columns<ConfigMap>(
  { name: 'Data', type: 'integer', cell: (c) => String(Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length) },
  AGE_COLUMN,
);
