import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { anpPortSchema, namedPortRule } from './adminNetworkPolicy.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { labelSelectorSchema } from './labels.ts';
import {
  cidrSchema,
  crdEnum,
  crdList,
  exactlyOne,
  ingressPeerSchema,
  namespacedPodSchema,
  ruleNameSchema,
  subjectSchema,
} from './policyApiPeers.ts';

/**
 * BaselineAdminNetworkPolicy (`policy.networking.k8s.io/v1alpha1`): the one Baseline tier policy
 * of a cluster (its CEL rule: the name must be `default`), actions Allow and Deny, no priority,
 * and no domain-name peers. Validated as its CRD does.
 */

const BANP_NAME_MESSAGE =
  'Invalid value: "object": Only one baseline admin network policy with metadata.name="default" can be created in the cluster';

const egressPeerSchema = z
  .strictObject({
    namespaces: labelSelectorSchema.optional(),
    pods: namespacedPodSchema.optional(),
    nodes: labelSelectorSchema.optional(),
    networks: crdList(cidrSchema, 1, 25, true).optional(),
  })
  .superRefine(exactlyOne(['namespaces', 'pods', 'nodes', 'networks']));

const actionSchema = crdEnum(['Allow', 'Deny']);

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
  .superRefine(namedPortRule(['networks', 'nodes']));

export const baselineAdminNetworkPolicySchema = z
  .strictObject({
    apiVersion: apiVersionSchema,
    kind: z.literal('BaselineAdminNetworkPolicy'),
    metadata: metadataSchema(dnsSubdomainProblem),
    spec: z.strictObject({
      subject: subjectSchema,
      ingress: crdList(ingressRuleSchema, 0, 100).optional(),
      egress: crdList(egressRuleSchema, 0, 100).optional(),
    }),
    status: z.unknown().optional(),
  })
  .superRefine((banp, ctx) => {
    if (banp.metadata.name !== 'default') ctx.addIssue({ code: 'custom', message: BANP_NAME_MESSAGE, input: undefined });
  });

export type BaselineAdminNetworkPolicy = ObjectOfSchema<typeof baselineAdminNetworkPolicySchema>;
