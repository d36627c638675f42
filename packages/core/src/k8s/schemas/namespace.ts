import { z } from 'zod';
import { dnsLabelProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema, passthrough } from './envelope.ts';

export const namespaceSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Namespace'),
  metadata: metadataSchema(dnsLabelProblem),
  spec: z.strictObject(passthrough(['finalizers'])).optional(),
  status: z.unknown().optional(),
});
