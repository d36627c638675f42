import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { labelSelectorSchema } from './labels.ts';
import {
  cidrSchema,
  crdEnum,
  crdInt,
  crdList,
  crdPortSchema,
  domainNameSchema,
  exactlyOne,
  ingressPeerSchema,
  namespacedPodSchema,
  ruleNameSchema,
  subjectSchema,
} from './policyApiPeers.ts';

/**
 * ClusterNetworkPolicy (`policy.networking.k8s.io/v1alpha2`, network-policy-api bundle v0.2.0,
 * experimental channel: node and domain-name peers, named ports), validated as its CRD does:
 * OpenAPI enums, bounds and list sizes, "exactly one of" objects, and the CEL rules with their
 * messages (`Start port must be less than End port`, `Invalid CIDR format provided`, named ports
 * with networks/nodes/domainNames peers). What Cilium makes of it is the policy module's.
 */

/** `destinationPort`: exactly one of a number or a range; CEL `self.start < self.end` on the range. */
const portSchema = z
  .strictObject({
    number: crdPortSchema.optional(),
    range: z
      .strictObject({ start: crdPortSchema, end: crdPortSchema })
      .superRefine((r, ctx) => {
        if (!(r.start < r.end))
          ctx.addIssue({ code: 'custom', message: 'Invalid value: "object": Start port must be less than End port', input: undefined });
      })
      .optional(),
  })
  .superRefine(exactlyOne(['number', 'range']));

/** `tcp`, `udp`, `sctp`: at least one property (the port). */
const protocolPortSchema = z.strictObject({ destinationPort: portSchema.optional() }).superRefine((p, ctx) => {
  if (p.destinationPort === undefined)
    ctx.addIssue({ code: 'custom', message: 'Required value: should have at least 1 properties; set destinationPort', input: undefined });
});

const protocolSchema = z
  .strictObject({
    tcp: protocolPortSchema.optional(),
    udp: protocolPortSchema.optional(),
    sctp: protocolPortSchema.optional(),
    destinationNamedPort: z.string().optional(),
  })
  .superRefine(exactlyOne(['tcp', 'udp', 'sctp', 'destinationNamedPort']));

const egressPeerSchema = z
  .strictObject({
    namespaces: labelSelectorSchema.optional(),
    pods: namespacedPodSchema.optional(),
    nodes: labelSelectorSchema.optional(),
    networks: crdList(cidrSchema, 1, 25, true).optional(),
    domainNames: crdList(domainNameSchema, 1, 25, true).optional(),
  })
  .superRefine(exactlyOne(['namespaces', 'pods', 'nodes', 'networks', 'domainNames']));

const actionSchema = crdEnum(['Accept', 'Deny', 'Pass']);

const ingressRuleSchema = z.strictObject({
  name: ruleNameSchema.optional(),
  action: actionSchema,
  from: crdList(ingressPeerSchema, 1, 25),
  protocols: crdList(protocolSchema, 1, 25).optional(),
});

const NAMED_PORT_MESSAGE =
  'Invalid value: "object": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames';

const egressRuleSchema = z
  .strictObject({
    name: ruleNameSchema.optional(),
    action: actionSchema,
    to: crdList(egressPeerSchema, 1, 25),
    protocols: crdList(protocolSchema, 1, 25).optional(),
  })
  .superRefine((rule, ctx) => {
    const addressPeer = rule.to.some((p) => p.networks !== undefined || p.nodes !== undefined || p.domainNames !== undefined);
    if (addressPeer && (rule.protocols ?? []).some((p) => p.destinationNamedPort !== undefined))
      ctx.addIssue({ code: 'custom', message: NAMED_PORT_MESSAGE, input: undefined });
  });

export const clusterNetworkPolicySchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('ClusterNetworkPolicy'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    tier: crdEnum(['Admin', 'Baseline']),
    priority: crdInt(0, 1000),
    subject: subjectSchema,
    ingress: crdList(ingressRuleSchema, 0, 25).optional(),
    egress: crdList(egressRuleSchema, 0, 25).optional(),
  }),
  status: z.unknown().optional(),
});

export type ClusterNetworkPolicy = ObjectOfSchema<typeof clusterNetworkPolicySchema>;
export type ClusterNetworkPolicySpec = ClusterNetworkPolicy['spec'];
