import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem, isIPv4 } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { labelSelectorSchema } from './labels.ts';

/** The pattern Cilium 1.16's CRD gives an `IPv4CIDR` (pkg/k8s/apis/cilium.io/v2/cegp_types.go). */
const IPV4_CIDR_PATTERN =
  '^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\\/([0-9]|[1-2][0-9]|3[0-2])$';
const IPV4_CIDR = new RegExp(IPV4_CIDR_PATTERN);

/** One CIDR of `destinationCIDRs` / `excludedCIDRs`: IPv4 only in 1.16, as the CRD's pattern says. */
const ipv4Cidr = z.string().superRefine((cidr, ctx) => {
  if (!IPV4_CIDR.test(cidr))
    ctx.addIssue({ code: 'custom', message: `Invalid value: "${cidr}": in body should match '${IPV4_CIDR_PATTERN}'`, input: undefined });
});

/** `{namespaceSelector, podSelector}`: which pods' traffic the policy takes; at least one of the two. */
const egressRuleSchema = z
  .strictObject({ namespaceSelector: labelSelectorSchema.optional(), podSelector: labelSelectorSchema.optional() })
  .superRefine((rule, ctx) => {
    if (rule.namespaceSelector === undefined && rule.podSelector === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'Required value: a selector needs a podSelector, a namespaceSelector or both (an empty one selects every pod)',
        input: undefined,
      });
  });

/** Which node SNATs the traffic, and to which address: `egressIP`, or the first IPv4 of `interface`. */
const egressGatewaySchema = z.strictObject({
  nodeSelector: labelSelectorSchema,
  interface: z.string().optional(),
  egressIP: z
    .string()
    .superRefine((ip, ctx) => {
      if (!isIPv4(ip)) ctx.addIssue({ code: 'custom', message: `Invalid value: "${ip}": in body must be of type ipv4`, input: undefined });
    })
    .optional(),
});

/**
 * A CiliumEgressGatewayPolicy (cilium.io/v2, cluster-scoped) as Cilium 1.16's CRD validates it:
 * `selectors`, `destinationCIDRs` and `egressGateway.nodeSelector` required, CIDRs IPv4, the
 * egress IP an IPv4 address. What the API server accepts but the agent refuses (an interface and
 * an egress IP both given) is the egress gateway manager's to report, in its log.
 */
export const ciliumEgressGatewayPolicySchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('CiliumEgressGatewayPolicy'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    selectors: z.array(egressRuleSchema).min(1, { error: 'Required value: at least one selector' }),
    destinationCIDRs: z.array(ipv4Cidr).min(1, { error: 'Required value: at least one destination CIDR' }),
    excludedCIDRs: z.array(ipv4Cidr).optional(),
    egressGateway: egressGatewaySchema,
  }),
  status: z.unknown().optional(),
});

export type CiliumEgressGatewayPolicy = ObjectOfSchema<typeof ciliumEgressGatewayPolicySchema>;
