import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { statusSchema } from './gatewayApiShared.ts';

/** A GatewayClass (gateway.networking.k8s.io/v1, cluster-scoped): which controller runs its Gateways. */
export const gatewayClassSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('GatewayClass'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    controllerName: z.string({ error: 'Required value' }).min(1, { error: 'Required value' }),
    description: z.string().optional(),
    parametersRef: z.strictObject({ group: z.string(), kind: z.string(), name: z.string(), namespace: z.string().optional() }).optional(),
  }),
  status: statusSchema,
});

export type GatewayClass = ObjectOfSchema<typeof gatewayClassSchema>;
