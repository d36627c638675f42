import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';

const fromSchema = z.strictObject({
  group: z.string({ error: 'Required value' }),
  kind: z.string({ error: 'Required value' }).min(1, { error: 'Required value' }),
  namespace: z.string({ error: 'Required value' }).min(1, { error: 'Required value' }),
});

const toSchema = z.strictObject({
  group: z.string({ error: 'Required value' }),
  kind: z.string({ error: 'Required value' }).min(1, { error: 'Required value' }),
  name: z.string().optional(),
});

/**
 * A ReferenceGrant (gateway.networking.k8s.io/v1beta1): lets objects of the `from` kinds in the
 * `from` namespaces refer to the `to` objects of its own namespace (all of a kind, or one by
 * name). 1 to 16 entries each, as the CRD bounds them.
 */
export const referenceGrantSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('ReferenceGrant'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    from: z
      .array(fromSchema, { error: 'Required value' })
      .min(1, { error: 'Invalid value: should have at least 1 items' })
      .max(16, { error: 'Too many: must have at most 16 items' }),
    to: z
      .array(toSchema, { error: 'Required value' })
      .min(1, { error: 'Invalid value: should have at least 1 items' })
      .max(16, { error: 'Too many: must have at most 16 items' }),
  }),
});

export type ReferenceGrant = ObjectOfSchema<typeof referenceGrantSchema>;
