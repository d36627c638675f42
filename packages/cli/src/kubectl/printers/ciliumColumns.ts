import { AGE, NAME, columns } from './column.ts';
import type { CiliumEndpoint, CiliumIdentity, CiliumPolicy } from '../objects.ts';

/**
 * Cilium's custom resources print the columns their CRDs declare (additionalPrinterColumns in
 * pkg/k8s/apis/cilium.io/v2). The policies' VALID column came with Cilium 1.17 (cilium/cilium#34585,
 * behaviour `cnp-valid-column`):
 *   CiliumNetworkPolicy            NAME   AGE   VALID     (before 1.17: NAME   AGE)
 *   CiliumClusterwideNetworkPolicy NAME   VALID           (its CRD declares no Age column; before 1.17: NAME   AGE)
 *   CiliumEndpoint                 NAME   SECURITY IDENTITY   [INGRESS/EGRESS ENFORCEMENT]   ENDPOINT STATE   IPV4   IPV6
 *   CiliumIdentity                 NAME   NAMESPACE   AGE
 * A field the object lacks prints as an empty cell, as kubectl prints a missing CRD column.
 */
function validCondition(p: CiliumPolicy): string {
  return p.status?.conditions?.find((c) => c.type === 'Valid')?.status ?? '';
}

export const CNP_COLUMNS = columns<CiliumPolicy>(NAME, AGE, { header: 'VALID', cell: validCondition });

export const CCNP_COLUMNS = columns<CiliumPolicy>(NAME, { header: 'VALID', cell: validCondition });

/** A CRD without printer columns: kubectl prints NAME and AGE (the policies before Cilium 1.17). */
export const POLICY_COLUMNS_BEFORE_VALID = columns<CiliumPolicy>(NAME, AGE);

function optional(n: number | string | undefined): string {
  return n === undefined ? '' : String(n);
}

export const CEP_COLUMNS = columns<CiliumEndpoint>(
  NAME,
  { header: 'SECURITY IDENTITY', cell: (e) => optional(e.status?.identity?.id) },
  { header: 'INGRESS ENFORCEMENT', wide: true, cell: (e) => optional(e.status?.policy?.ingress?.state) },
  { header: 'EGRESS ENFORCEMENT', wide: true, cell: (e) => optional(e.status?.policy?.egress?.state) },
  { header: 'ENDPOINT STATE', cell: (e) => optional(e.status?.state) },
  { header: 'IPV4', cell: (e) => optional(e.status?.networking?.addressing?.[0]?.ipv4) },
  { header: 'IPV6', cell: (e) => optional(e.status?.networking?.addressing?.[0]?.ipv6) },
);

export const CILIUMIDENTITY_COLUMNS = columns<CiliumIdentity>(
  NAME,
  { header: 'NAMESPACE', cell: (i) => i.metadata.labels?.['io.kubernetes.pod.namespace'] ?? '' },
  AGE,
);
