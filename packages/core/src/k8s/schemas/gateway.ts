import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { hostnameSchema, oneOfValues, portNumberSchema, secretRefSchema, statusSchema } from './gatewayApiShared.ts';
import { labelSelectorSchema } from './labels.ts';

const listenerSchema = z.strictObject({
  name: z.string().min(1, { error: 'Required value' }),
  hostname: hostnameSchema.optional(),
  port: portNumberSchema,
  protocol: z.string().min(1, { error: 'Required value' }),
  tls: z
    .strictObject({
      mode: oneOfValues(['Terminate', 'Passthrough']).optional(),
      certificateRefs: z.array(secretRefSchema).max(64).optional(),
      options: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  allowedRoutes: z
    .strictObject({
      namespaces: z
        .strictObject({ from: oneOfValues(['All', 'Same', 'Selector']).optional(), selector: labelSelectorSchema.optional() })
        .optional(),
      kinds: z
        .array(z.strictObject({ group: z.string().optional(), kind: z.string() }))
        .max(8)
        .optional(),
    })
    .optional(),
});

/**
 * A Gateway (gateway.networking.k8s.io/v1): a class and 1 to 64 listeners with unique names;
 * an HTTPS listener terminating TLS needs a certificate reference (the CRD's CEL rules).
 */
export const gatewaySchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Gateway'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    gatewayClassName: z.string({ error: 'Required value' }).min(1, { error: 'Required value' }),
    listeners: z
      .array(listenerSchema)
      .min(1, { error: 'Invalid value: should have at least 1 items' })
      .max(64, { error: 'Too many: must have at most 64 items' })
      .superRefine((listeners, ctx) => {
        const names = listeners.map((l) => l.name);
        if (new Set(names).size !== names.length)
          ctx.addIssue({
            code: 'custom',
            message: 'Invalid value: "array": Listener name must be unique within the Gateway',
            input: undefined,
          });
        listeners.forEach((l, i) => {
          if (l.protocol === 'HTTPS' && (l.tls?.mode ?? 'Terminate') === 'Terminate' && (l.tls?.certificateRefs ?? []).length === 0)
            ctx.addIssue({
              code: 'custom',
              path: [i, 'tls'],
              message: 'Invalid value: "object": certificateRefs or options must be specified when mode is Terminate',
              input: undefined,
            });
        });
      }),
    addresses: z
      .array(z.strictObject({ type: z.string().optional(), value: z.string() }))
      .max(16)
      .optional(),
    infrastructure: z
      .strictObject({ labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional() })
      .optional(),
  }),
  status: statusSchema,
});

export type Gateway = ObjectOfSchema<typeof gatewaySchema>;
export type GatewayListener = Gateway['spec']['listeners'][number];
