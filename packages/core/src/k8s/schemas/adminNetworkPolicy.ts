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
 * AdminNetworkPolicy (`policy.networking.k8s.io/v1alpha1`, network-policy-api v0.1.x), the
 * Admin tier before ClusterNetworkPolicy merged it with the baseline: actions Allow, Deny and
 * Pass, up to 100 rules and peers, and `ports` of `portNumber`, `namedPort` or `portRange`
 * (protocol TCP unless written). Validated as its CRD does, CEL rule and message included.
 */

const protocolSchema = crdEnum(['TCP', 'UDP', 'SCTP']);

/** One `ports` entry: exactly one of a port, a container port name or a range. */
export const anpPortSchema = z
  .strictObject({
    portNumber: z.strictObject({ protocol: protocolSchema.default('TCP'), port: crdPortSchema }).optional(),
    namedPort: z.string().optional(),
    portRange: z.strictObject({ protocol: protocolSchema.default('TCP'), start: crdPortSchema, end: crdPortSchema }).optional(),
  })
  .superRefine(exactlyOne(['portNumber', 'namedPort', 'portRange']));

/** The CEL rule on egress rules: a named port is a pod's, so it cannot go with address peers. */
export function namedPortRule(peerFields: readonly string[]) {
  const names = peerFields.join('/');
  const message = `Invalid value: "object": ${names} peer cannot be set with namedPorts since there are no namedPorts for ${names}`;
  return (
    rule: {
      readonly to: readonly Readonly<Record<string, unknown>>[];
      readonly ports?: readonly { readonly namedPort?: string | undefined }[] | undefined;
    },
    ctx: z.RefinementCtx,
  ) => {
    const addressPeer = rule.to.some((p) => peerFields.some((f) => p[f] !== undefined));
    if (addressPeer && (rule.ports ?? []).some((p) => p.namedPort !== undefined))
      ctx.addIssue({ code: 'custom', message, input: undefined });
  };
}

const egressPeerSchema = z
  .strictObject({
    namespaces: labelSelectorSchema.optional(),
    pods: namespacedPodSchema.optional(),
    nodes: labelSelectorSchema.optional(),
    networks: crdList(cidrSchema, 1, 25, true).optional(),
    domainNames: crdList(domainNameSchema, 1, 25, true).optional(),
  })
  .superRefine(exactlyOne(['namespaces', 'pods', 'nodes', 'networks', 'domainNames']));

const actionSchema = crdEnum(['Allow', 'Deny', 'Pass']);

const ingressRuleSchema = z.strictObject({
  name: ruleNameSchema.optional(),
  action: actionSchema,
  from: crdList(ingressPeerSchema, 1, 100),
  ports: crdList(anpPortSchema, 1, 100).optional(),
});

const egressRuleSchema = z
  .strictObject({
    name: ruleNameSchema.optional(),
    action: actionSchema,
    to: crdList(egressPeerSchema, 1, 100),
    ports: crdList(anpPortSchema, 1, 100).optional(),
  })
  .superRefine(namedPortRule(['networks', 'nodes', 'domainNames']));

export const adminNetworkPolicySchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('AdminNetworkPolicy'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    priority: crdInt(0, 1000),
    subject: subjectSchema,
    ingress: crdList(ingressRuleSchema, 0, 100).optional(),
    egress: crdList(egressRuleSchema, 0, 100).optional(),
  }),
  status: z.unknown().optional(),
});

export type AdminNetworkPolicy = ObjectOfSchema<typeof adminNetworkPolicySchema>;
