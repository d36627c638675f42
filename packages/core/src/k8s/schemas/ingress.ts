import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { oneOfValues, portNumberSchema, statusSchema } from './gatewayApiShared.ts';

const serviceBackendSchema = z.strictObject({
  service: z.strictObject({
    name: z.string().min(1, { error: 'Required value' }),
    port: z.strictObject({ number: portNumberSchema.optional(), name: z.string().optional() }).superRefine((p, ctx) => {
      if ((p.number === undefined) === (p.name === undefined))
        ctx.addIssue({ code: 'custom', message: 'Invalid value: cannot set both port name & port number', input: undefined });
    }),
  }),
});

const pathSchema = z
  .strictObject({
    path: z.string().optional(),
    pathType: oneOfValues(['Exact', 'Prefix', 'ImplementationSpecific']),
    backend: serviceBackendSchema,
  })
  .superRefine((p, ctx) => {
    if (p.pathType !== 'ImplementationSpecific' && !(p.path ?? '').startsWith('/'))
      ctx.addIssue({
        code: 'custom',
        path: ['path'],
        message: `Invalid value: "${p.path ?? ''}": must be an absolute path`,
        input: undefined,
      });
  });

/** An Ingress (networking.k8s.io/v1) as the API server validates it. */
export const ingressSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Ingress'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    ingressClassName: z.string().optional(),
    defaultBackend: serviceBackendSchema.optional(),
    tls: z.array(z.strictObject({ hosts: z.array(z.string()).optional(), secretName: z.string().optional() })).optional(),
    rules: z
      .array(
        z.strictObject({
          host: z.string().optional(),
          http: z.strictObject({ paths: z.array(pathSchema).min(1, { error: 'Required value' }) }).optional(),
        }),
      )
      .optional(),
  }),
  status: statusSchema,
});

export type Ingress = ObjectOfSchema<typeof ingressSchema>;
