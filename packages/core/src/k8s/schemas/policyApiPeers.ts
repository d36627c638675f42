import { z } from 'zod';
import { labelSelectorSchema } from './labels.ts';

/**
 * The building blocks the network-policy-api CRDs share (ClusterNetworkPolicy v1alpha2,
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1): subjects and peers, CIDRs and
 * domain names, and the OpenAPI checks every field carries (enums, bounds, list sizes, "exactly
 * one of"), worded as the API server words a CRD's OpenAPI and CEL validation. Each CEL rule's
 * message is the CRD's own.
 */

/** `Unsupported value: supported values: "Admin", "Baseline"`; the value follows as `(received ...)`. */
export function crdEnum<const V extends readonly [string, ...string[]]>(values: V) {
  return z.enum(values, { error: `Unsupported value: supported values: ${values.map((v) => `"${v}"`).join(', ')}` });
}

/** An int32 field with `Minimum`/`Maximum`. */
export function crdInt(min: number, max: number) {
  return z
    .number({ error: 'Invalid value: must be an integer' })
    .int({ error: 'Invalid value: must be an integer' })
    .min(min, { error: `Invalid value: should be greater than or equal to ${min}` })
    .max(max, { error: `Invalid value: should be less than or equal to ${max}` });
}

/** A list with `MinItems`/`MaxItems` (and `listType=set` when `set`: no value twice). */
export function crdList<T extends z.ZodType>(item: T, min: number, max: number, set = false) {
  return z
    .array(item)
    .min(min, { error: `Required value: should have at least ${min} item${min === 1 ? '' : 's'}` })
    .max(max, { error: `Too many: must have at most ${max} items` })
    .superRefine((list, ctx) => {
      if (!set) return;
      list.forEach((v, i) => {
        if (list.indexOf(v) !== i)
          ctx.addIssue({ code: 'custom', path: [i], message: `Duplicate value: ${JSON.stringify(v)}`, input: undefined });
      });
    });
}

/** `name` of a rule: optional, at most 100 characters. */
export const ruleNameSchema = z.string().max(100, { error: 'Too long: may not be more than 100 bytes' });

/**
 * `MinProperties=1, MaxProperties=1`: exactly one of `fields` is set. The message says which
 * fields there are, as the CRD's description does.
 */
export function exactlyOne(fields: readonly string[]) {
  return (obj: Readonly<Record<string, unknown>>, ctx: z.RefinementCtx): void => {
    const set = fields.filter((f) => obj[f] !== undefined);
    if (set.length === 1) return;
    const which = fields.map((f) => `"${f}"`).join(', ');
    const message =
      set.length === 0
        ? `Required value: should have at least 1 properties; set exactly one of ${which}`
        : `Too many: ${set.length}: must have at most 1 items; set exactly one of ${which}`;
    ctx.addIssue({ code: 'custom', message, input: undefined });
  };
}

/** NamespacedPod: pods by label in namespaces by label; `namespaceSelector` may be left out (every namespace). */
export const namespacedPodSchema = z.strictObject({
  namespaceSelector: labelSelectorSchema.optional(),
  podSelector: labelSelectorSchema,
});

/** The pods a policy applies to: all pods of some namespaces, or some pods of some namespaces. */
export const subjectSchema = z
  .strictObject({ namespaces: labelSelectorSchema.optional(), pods: namespacedPodSchema.optional() })
  .superRefine(exactlyOne(['namespaces', 'pods']));

/** A peer of an ingress rule: namespaces or pods. */
export const ingressPeerSchema = z
  .strictObject({ namespaces: labelSelectorSchema.optional(), pods: namespacedPodSchema.optional() })
  .superRefine(exactlyOne(['namespaces', 'pods']));

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** CEL's `isCIDR`: an IPv4 or IPv6 prefix (host bits may be set, as netip.ParsePrefix allows). */
export function isCidr(text: string): boolean {
  const v4 = IPV4_CIDR.exec(text);
  if (v4 !== null) return v4.slice(1, 5).every((o) => Number(o) <= 255 && !/^0\d/.test(o)) && Number(v4[5]) <= 32;
  const slash = text.lastIndexOf('/');
  if (slash === -1) return false;
  const bits = text.slice(slash + 1);
  return /^\d{1,3}$/.test(bits) && Number(bits) <= 128 && isIpv6(text.slice(0, slash));
}

function isIpv6(addr: string): boolean {
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

/** One CIDR of `networks`: at most 43 characters, and CEL `isCIDR(self)`. */
export const cidrSchema = z
  .string()
  .max(43, { error: 'Too long: may not be more than 43 bytes' })
  .superRefine((text, ctx) => {
    if (!isCidr(text)) ctx.addIssue({ code: 'custom', message: 'Invalid value: "string": Invalid CIDR format provided', input: undefined });
  });

const DOMAIN_NAME = /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/** One domain name: exact, or `*.` for one or more labels before the rest; the CRD's own pattern. */
export const domainNameSchema = z.string().superRefine((name, ctx) => {
  if (!DOMAIN_NAME.test(name))
    ctx.addIssue({ code: 'custom', message: `Invalid value: should match '${DOMAIN_NAME.source}'`, input: name });
});

/** A port number field (1..65535). */
export const crdPortSchema = crdInt(1, 65535);
