import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { backendRefSchema, hostnameSchema, oneOfValues, parentRefSchema, statusSchema } from './gatewayApiShared.ts';

const nameValue = z.strictObject({ name: z.string().min(1), value: z.string() });
const headerModifierSchema = z.strictObject({
  set: z.array(nameValue).max(16).optional(),
  add: z.array(nameValue).max(16).optional(),
  remove: z.array(z.string()).max(16).optional(),
});

const filterSchema = z.strictObject({
  type: oneOfValues(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef']),
  requestHeaderModifier: headerModifierSchema.optional(),
  responseHeaderModifier: headerModifierSchema.optional(),
  requestMirror: z.strictObject({ backendRef: backendRefSchema }).optional(),
  extensionRef: z.strictObject({ group: z.string(), kind: z.string(), name: z.string() }).optional(),
});

/**
 * A method match: service, method or both; an Exact one names them without `/` (the CRD's
 * patterns and CEL rule, worded as the API server words them).
 */
const methodMatchSchema = z
  .strictObject({
    type: oneOfValues(['Exact', 'RegularExpression']).optional(),
    service: z.string().max(1024).optional(),
    method: z.string().max(1024).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.service === undefined && m.method === undefined)
      ctx.addIssue({
        code: 'custom',
        message: "Invalid value: \"object\": One or both of 'service' or 'method' must be specified",
        input: undefined,
      });
    if ((m.type ?? 'Exact') !== 'Exact') return;
    for (const key of ['service', 'method'] as const) {
      const value = m[key];
      if (value !== undefined && !/^[^/]+$/.test(value))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `Invalid value: "${value}": ${key} in body should match '^[^/]+$'`,
          input: undefined,
        });
    }
  });

const matchSchema = z.strictObject({
  method: methodMatchSchema.optional(),
  headers: z
    .array(z.strictObject({ type: oneOfValues(['Exact', 'RegularExpression']).optional(), name: z.string().min(1), value: z.string() }))
    .max(16)
    .optional(),
});

const ruleSchema = z.strictObject({
  name: z.string().optional(),
  matches: z.array(matchSchema).max(8, { error: 'Too many: must have at most 8 items' }).optional(),
  filters: z.array(filterSchema).max(16).optional(),
  backendRefs: z
    .array(backendRefSchema.extend({ filters: z.array(filterSchema).max(16).optional() }))
    .max(16)
    .optional(),
});

/**
 * A GRPCRoute (gateway.networking.k8s.io/v1 since Gateway API v1.1.0): the Gateways it attaches
 * to, hostnames, and up to 16 rules of matches (a gRPC service and method, Exact or
 * RegularExpression, and headers), filters and weighted Service backends.
 */
export const grpcRouteSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('GRPCRoute'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    parentRefs: z.array(parentRefSchema).max(32).optional(),
    hostnames: z.array(hostnameSchema).max(16, { error: 'Too many: must have at most 16 items' }).optional(),
    rules: z.array(ruleSchema).max(16, { error: 'Too many: must have at most 16 items' }).optional(),
  }),
  status: statusSchema,
});

export type GrpcRoute = ObjectOfSchema<typeof grpcRouteSchema>;
export type GrpcRouteMatch = NonNullable<NonNullable<GrpcRoute['spec']['rules']>[number]['matches']>[number];
