import { behaviourIn, type CiliumVersion, type k8s } from '@cilium-sim/core';
import type { Column } from './column.ts';
import type { ResourceType } from '../resources.ts';
import { CCNP_COLUMNS, CEP_COLUMNS, CILIUMIDENTITY_COLUMNS, CNP_COLUMNS, POLICY_COLUMNS_BEFORE_VALID } from './ciliumColumns.ts';
import { CONFIGMAP_COLUMNS, NAMESPACE_COLUMNS, NODE_COLUMNS, SERVICEACCOUNT_COLUMNS } from './clusterColumns.ts';
import { ENDPOINTS_COLUMNS, NETWORKPOLICY_COLUMNS, SERVICE_COLUMNS, SERVICE_WIDE_COLUMNS } from './serviceColumns.ts';
import { DAEMONSET_COLUMNS, DEPLOYMENT_COLUMNS, POD_COLUMNS, REPLICASET_COLUMNS, STATEFULSET_COLUMNS } from './workloadColumns.ts';

/** Every kind of the registry has its table, so a new kind cannot be listed without columns. */
const BY_KIND: Readonly<Record<k8s.ApiKind, readonly Column[]>> = {
  Pod: POD_COLUMNS,
  Service: SERVICE_COLUMNS,
  Endpoints: ENDPOINTS_COLUMNS,
  Namespace: NAMESPACE_COLUMNS,
  Node: NODE_COLUMNS,
  ServiceAccount: SERVICEACCOUNT_COLUMNS,
  ConfigMap: CONFIGMAP_COLUMNS,
  DaemonSet: DAEMONSET_COLUMNS,
  Deployment: DEPLOYMENT_COLUMNS,
  ReplicaSet: REPLICASET_COLUMNS,
  StatefulSet: STATEFULSET_COLUMNS,
  NetworkPolicy: NETWORKPOLICY_COLUMNS,
  CiliumNetworkPolicy: CNP_COLUMNS,
  CiliumClusterwideNetworkPolicy: CCNP_COLUMNS,
  CiliumEndpoint: CEP_COLUMNS,
  CiliumIdentity: CILIUMIDENTITY_COLUMNS,
};

/**
 * The visible columns of a type's table: wide-only columns are dropped unless `wide`. Cilium's
 * CRDs print the columns of the cluster's version (`version`; the newest when absent).
 */
export function columnsFor(type: ResourceType, wide: boolean, version?: CiliumVersion): readonly Column[] {
  const policy = type.kind === 'CiliumNetworkPolicy' || type.kind === 'CiliumClusterwideNetworkPolicy';
  const all =
    wide && type.kind === 'Service'
      ? SERVICE_WIDE_COLUMNS
      : policy && version !== undefined && !behaviourIn(version, 'cnp-valid-column')
        ? POLICY_COLUMNS_BEFORE_VALID
        : BY_KIND[type.kind];
  return all.filter((c) => wide || c.wide !== true);
}
