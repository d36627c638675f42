import { z } from 'zod';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema, passthrough } from './envelope.ts';

export const serviceAccountSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('ServiceAccount'),
  metadata: metadataSchema(dnsSubdomainProblem),
  automountServiceAccountToken: z.boolean().optional(),
  ...passthrough(['secrets', 'imagePullSecrets']),
});
