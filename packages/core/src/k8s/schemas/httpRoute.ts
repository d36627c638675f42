import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';
import { backendRefSchema, hostnameSchema, oneOfValues, parentRefSchema, portNumberSchema, statusSchema } from './gatewayApiShared.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;

const nameValue = z.strictObject({ name: z.string().min(1), value: z.string() });
const headerModifierSchema = z.strictObject({
  set: z.array(nameValue).max(16).optional(),
  add: z.array(nameValue).max(16).optional(),
  remove: z.array(z.string()).max(16).optional(),
});
const pathModifierSchema = z.strictObject({
  type: oneOfValues(['ReplaceFullPath', 'ReplacePrefixMatch']),
  replaceFullPath: z.string().optional(),
  replacePrefixMatch: z.string().optional(),
});

const filterSchema = z.strictObject({
  type: oneOfValues(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror', 'ExtensionRef']),
  requestHeaderModifier: headerModifierSchema.optional(),
  responseHeaderModifier: headerModifierSchema.optional(),
  requestRedirect: z
    .strictObject({
      scheme: oneOfValues(['http', 'https']).optional(),
      hostname: hostnameSchema.optional(),
      path: pathModifierSchema.optional(),
      port: portNumberSchema.optional(),
      statusCode: z.union([z.literal(301), z.literal(302)], { error: 'Unsupported value: supported values: "301", "302"' }).optional(),
    })
    .optional(),
  urlRewrite: z.strictObject({ hostname: hostnameSchema.optional(), path: pathModifierSchema.optional() }).optional(),
  requestMirror: z.strictObject({ backendRef: backendRefSchema }).optional(),
  extensionRef: z.strictObject({ group: z.string(), kind: z.string(), name: z.string() }).optional(),
});

const matchSchema = z.strictObject({
  path: z
    .strictObject({ type: oneOfValues(['Exact', 'PathPrefix', 'RegularExpression']).optional(), value: z.string().optional() })
    .optional(),
  headers: z
    .array(z.strictObject({ type: oneOfValues(['Exact', 'RegularExpression']).optional(), name: z.string().min(1), value: z.string() }))
    .max(16)
    .optional(),
  queryParams: z
    .array(z.strictObject({ type: oneOfValues(['Exact', 'RegularExpression']).optional(), name: z.string().min(1), value: z.string() }))
    .max(16)
    .optional(),
  method: oneOfValues(METHODS).optional(),
});

const ruleSchema = z
  .strictObject({
    matches: z.array(matchSchema).max(8, { error: 'Too many: must have at most 8 items' }).optional(),
    filters: z.array(filterSchema).max(16).optional(),
    backendRefs: z
      .array(backendRefSchema.extend({ filters: z.array(filterSchema).max(16).optional() }))
      .max(16)
      .optional(),
    timeouts: z.strictObject({ request: z.string().optional(), backendRequest: z.string().optional() }).optional(),
  })
  .superRefine((rule, ctx) => {
    const kinds = (rule.filters ?? []).map((f) => f.type);
    if (kinds.includes('RequestRedirect') && (rule.backendRefs ?? []).length > 0)
      ctx.addIssue({
        code: 'custom',
        message: 'Invalid value: "object": RequestRedirect filter must not be used together with backendRefs',
        input: undefined,
      });
    if (kinds.includes('RequestRedirect') && kinds.includes('URLRewrite'))
      ctx.addIssue({
        code: 'custom',
        path: ['filters'],
        message: 'Invalid value: "array": May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
        input: undefined,
      });
  });

/**
 * An HTTPRoute (gateway.networking.k8s.io/v1, Gateway API v1.1.0): the Gateways it attaches to,
 * hostnames, and up to 16 rules of matches (path, headers, query parameters, method), filters
 * and weighted Service backends, with the CRD's limits and CEL rules.
 */
export const httpRouteSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('HTTPRoute'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z.strictObject({
    parentRefs: z.array(parentRefSchema).max(32).optional(),
    hostnames: z.array(hostnameSchema).max(16, { error: 'Too many: must have at most 16 items' }).optional(),
    rules: z.array(ruleSchema).max(16, { error: 'Too many: must have at most 16 items' }).optional(),
  }),
  status: statusSchema,
});

export type HttpRoute = ObjectOfSchema<typeof httpRouteSchema>;
export type HttpRouteRule = NonNullable<HttpRoute['spec']['rules']>[number];
export type HttpRouteMatch = NonNullable<HttpRouteRule['matches']>[number];
export type HttpRouteFilter = NonNullable<HttpRouteRule['filters']>[number];
