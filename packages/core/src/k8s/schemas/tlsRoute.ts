import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { backendRefSchema, hostnameSchema, parentRefSchema, statusSchema } from './gatewayApiShared.ts';

const ruleSchema = z.strictObject({
  backendRefs: z
    .array(backendRefSchema, { error: 'Required value' })
    .min(1, { error: 'Invalid value: should have at least 1 items' })
    .max(16, { error: 'Too many: must have at most 16 items' }),
});

/**
 * A TLSRoute (gateway.networking.k8s.io/v1alpha2, Gateway API v1.1.0 experimental): the
 * Gateways it attaches to (their TLS listeners), the SNI hostnames it takes, and one rule of
 * weighted Service backends that receive the TLS stream as it came.
 */
export const tlsRouteSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('TLSRoute'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    parentRefs: z.array(parentRefSchema).max(32).optional(),
    hostnames: z.array(hostnameSchema).max(16, { error: 'Too many: must have at most 16 items' }).optional(),
    rules: z
      .array(ruleSchema, { error: 'Required value' })
      .min(1, { error: 'Invalid value: should have at least 1 items' })
      .max(16, { error: 'Too many: must have at most 16 items' }),
  }),
  status: statusSchema,
});

export type TlsRoute = ObjectOfSchema<typeof tlsRouteSchema>;
