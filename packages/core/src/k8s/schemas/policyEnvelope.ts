import { z } from 'zod';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';

const ruleBody = z.record(z.string(), z.unknown(), { error: 'must be a mapping of rule fields' });

/** NetworkPolicy: the envelope only; the policy module validates `spec` through the hook. */
export const networkPolicySchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('NetworkPolicy'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: ruleBody,
  status: z.unknown().optional(),
});

/**
 * CNP and CCNP: exactly one of `spec` / `specs`. A top-level `description` (as in the Star Wars
 * sw_l3_l4_policy.yaml) is accepted and pruned, as the API server prunes unknown CRD fields.
 */
function ciliumPolicySchema(kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy') {
  return z
    .strictObject({
      apiVersion: apiVersionSchema,
      kind: z.literal(kind),
      metadata: metadataSchema(dnsSubdomainProblem),
      spec: ruleBody.optional(),
      specs: z.array(ruleBody).optional(),
      description: z.string().optional(),
      status: z.unknown().optional(),
    })
    .superRefine((obj, ctx) => {
      if ((obj.spec === undefined) === (obj.specs === undefined)) {
        const message =
          obj.spec === undefined
            ? 'Required value: give the rule under `spec` (one rule) or `specs` (a list of rules)'
            : 'Invalid value: give either `spec` or `specs`, not both';
        ctx.addIssue({ code: 'custom', path: ['spec'], message, input: obj.spec });
      }
    });
}

export const ciliumNetworkPolicySchema = ciliumPolicySchema('CiliumNetworkPolicy');
export const ciliumClusterwideNetworkPolicySchema = ciliumPolicySchema('CiliumClusterwideNetworkPolicy');
