import { z } from 'zod';
import { dnsSubdomainProblem, isIPv4 } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { podSpecSchema } from './podSpec.ts';

/**
 * The simulator lets a Pod pin its IP through `status.podIP` (so CIDR policies can be tested);
 * other status fields are ignored, as the API server ignores status on create.
 */
const podStatusSchema = z.looseObject({
  podIP: z.string().refine(isIPv4, { error: 'Invalid value: must be an IPv4 address such as 10.244.1.23' }).optional(),
});

export const podSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Pod'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: podSpecSchema,
  status: podStatusSchema.optional(),
});
