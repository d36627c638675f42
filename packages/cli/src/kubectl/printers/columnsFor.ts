import type { Column } from './column.ts';
import { AGE, NAME } from './column.ts';
import type { ResourceType } from '../resources.ts';
import { CCNP_COLUMNS, CEP_COLUMNS, CILIUMIDENTITY_COLUMNS, CNP_COLUMNS } from './ciliumColumns.ts';
import { CONFIGMAP_COLUMNS, NAMESPACE_COLUMNS, NODE_COLUMNS, SERVICEACCOUNT_COLUMNS } from './clusterColumns.ts';
import { ENDPOINTS_COLUMNS, NETWORKPOLICY_COLUMNS, SERVICE_COLUMNS, SERVICE_WIDE_COLUMNS } from './serviceColumns.ts';
import { DAEMONSET_COLUMNS, DEPLOYMENT_COLUMNS, POD_COLUMNS, REPLICASET_COLUMNS, STATEFULSET_COLUMNS } from './workloadColumns.ts';

const BY_RESOURCE: Readonly<Record<string, readonly Column[]>> = {
  pods: POD_COLUMNS,
  services: SERVICE_COLUMNS,
  endpoints: ENDPOINTS_COLUMNS,
  namespaces: NAMESPACE_COLUMNS,
  nodes: NODE_COLUMNS,
  serviceaccounts: SERVICEACCOUNT_COLUMNS,
  configmaps: CONFIGMAP_COLUMNS,
  daemonsets: DAEMONSET_COLUMNS,
  deployments: DEPLOYMENT_COLUMNS,
  replicasets: REPLICASET_COLUMNS,
  statefulsets: STATEFULSET_COLUMNS,
  networkpolicies: NETWORKPOLICY_COLUMNS,
  ciliumnetworkpolicies: CNP_COLUMNS,
  ciliumclusterwidenetworkpolicies: CCNP_COLUMNS,
  ciliumendpoints: CEP_COLUMNS,
  ciliumidentities: CILIUMIDENTITY_COLUMNS,
};

/** The visible columns of a type's table: wide-only columns are dropped unless `wide`. */
export function columnsFor(type: ResourceType, wide: boolean): readonly Column[] {
  const all = wide && type.resource === 'services' ? SERVICE_WIDE_COLUMNS : (BY_RESOURCE[type.resource] ?? [NAME, AGE]);
  return all.filter((c) => wide || c.wide !== true);
}
