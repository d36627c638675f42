import { z } from 'zod';

/** The Gateway API's group: parentRefs, ReferenceGrants and routes' kinds are named in it. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * Pieces the Gateway API kinds share (gateway-api v1.1.0 apis/v1/shared_types.go), with the
 * CRD's limits and the API server's wording of an enum or a bound it breaks.
 */
export function oneOfValues<const V extends readonly [string, ...string[]]>(values: V) {
  const listed = [...values]
    .sort()
    .map((v) => `"${v}"`)
    .join(', ');
  return z.enum(values, { error: `Unsupported value: supported values: ${listed}` });
}

export const portNumberSchema = z
  .number({ error: 'Invalid value: must be an integer' })
  .int({ error: 'Invalid value: must be an integer' })
  .min(1, { error: 'Invalid value: should be greater than or equal to 1' })
  .max(65535, { error: 'Invalid value: should be less than or equal to 65535' });

/** A hostname as a listener or route names it: lower-case DNS, `*.` allowed first; no IP address. */
export const hostnameSchema = z.string().superRefine((h, ctx) => {
  if (!/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h))
    ctx.addIssue({
      code: 'custom',
      message: `Invalid value: "${h}": in body should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'`,
      input: undefined,
    });
});

/** A reference to a Gateway a route attaches to (ParentReference). */
export const parentRefSchema = z.strictObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().min(1, { error: 'Required value' }),
  sectionName: z.string().optional(),
  port: portNumberSchema.optional(),
});

/** A reference to a Service backend (BackendObjectReference), with its traffic weight. */
export const backendRefSchema = z.strictObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().min(1, { error: 'Required value' }),
  namespace: z.string().optional(),
  port: portNumberSchema.optional(),
  weight: z
    .number()
    .int()
    .min(0, { error: 'Invalid value: should be greater than or equal to 0' })
    .max(1_000_000, { error: 'Invalid value: should be less than or equal to 1000000' })
    .optional(),
});

/** A reference to a Secret holding a certificate (SecretObjectReference). */
export const secretRefSchema = z.strictObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().min(1, { error: 'Required value' }),
  namespace: z.string().optional(),
});

/** `status` as a controller writes it; a manifest's own is ignored. */
export const statusSchema = z.unknown().optional();
