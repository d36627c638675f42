import { AGE_COLUMN, type PrinterColumn } from './printerColumn.ts';

/**
 * Cilium's custom resources print the columns their CRDs declare (additionalPrinterColumns in
 * pkg/k8s/apis/cilium.io/v2). The policies' VALID column came with Cilium 1.17 (behaviour
 * `cnp-valid-column`; `columnsIn` drops it before):
 *   CiliumNetworkPolicy            NAME   AGE   VALID     (before 1.17: NAME   AGE)
 *   CiliumClusterwideNetworkPolicy NAME   VALID           (its CRD declares no Age column; before 1.17: NAME   AGE)
 *   CiliumEndpoint                 NAME   SECURITY IDENTITY   [INGRESS/EGRESS ENFORCEMENT]   ENDPOINT STATE   IPV4   IPV6
 *   CiliumIdentity                 NAME   NAMESPACE   AGE
 * A field the object lacks prints as an empty cell, as kubectl prints a missing CRD column.
 */
const VALID: PrinterColumn = {
  name: 'Valid',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Valid")].status',
  inVersions: 'cnp-valid-column',
};

export const CNP_COLUMNS: readonly PrinterColumn[] = [AGE_COLUMN, VALID];

export const CCNP_COLUMNS: readonly PrinterColumn[] = [VALID];

export const CEP_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Security Identity', type: 'integer', jsonPath: '.status.identity.id' },
  { name: 'Ingress Enforcement', type: 'string', priority: 1, jsonPath: '.status.policy.ingress.state' },
  { name: 'Egress Enforcement', type: 'string', priority: 1, jsonPath: '.status.policy.egress.state' },
  { name: 'Endpoint State', type: 'string', jsonPath: '.status.state' },
  { name: 'IPv4', type: 'string', jsonPath: '.status.networking.addressing[0].ipv4' },
  { name: 'IPv6', type: 'string', jsonPath: '.status.networking.addressing[0].ipv6' },
];

export const CILIUMIDENTITY_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Namespace', type: 'string', jsonPath: '.metadata.labels.io\\.kubernetes\\.pod\\.namespace' },
  AGE_COLUMN,
];
