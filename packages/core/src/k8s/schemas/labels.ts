import { z } from 'zod';
import { labelKeyProblem, labelValueProblem } from '../names.ts';
import { utf8Length } from '../../utf8.ts';

/**
 * `metadata.labels`: every key and value checked, every problem reported. Values are checked
 * here rather than by a string schema so a non-string value does not hide the other problems.
 */
export const labelsSchema = rawRecord('labels').superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    const scalar = value === null || typeof value === 'number' || typeof value === 'boolean';
    const keyProblem = labelKeyProblem(key);
    // The API server quotes what is wrong: the key when it is the key.
    const offending = keyProblem === undefined ? value : key;
    const problem =
      typeof value === 'string'
        ? (keyProblem ?? labelValueProblem(value))
        : scalar
          ? `label values must be strings; quote the value (e.g. ${key}: "${String(value)}")`
          : `label values must be strings, not ${Array.isArray(value) ? 'a list' : 'a mapping'}; write ${key}: VALUE`;
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `Invalid value: ${problem}`, input: offending });
  }
}) as unknown as z.ZodType<Record<string, string>>;

/** The API server's limit on all of an object's annotations together (keys and values, in bytes). */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Annotations only need string values; their keys follow label key syntax; 256 KiB in all. */
export const annotationsSchema = rawRecord('annotations').superRefine((annotations, ctx) => {
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const problem = labelKeyProblem(key);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `Invalid value: ${problem}`, input: key });
    if (typeof value !== 'string')
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'Invalid value: annotation values must be strings; quote the value',
        input: value,
      });
    else bytes += utf8Length(key) + utf8Length(value);
  }
  if (bytes > MAX_ANNOTATIONS_BYTES)
    ctx.addIssue({ code: 'custom', path: [], message: `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes`, input: undefined });
}) as unknown as z.ZodType<Record<string, string>>;

/**
 * A mapping read as written, every own key included: a record schema rebuilds the object, and
 * a key such as `__proto__` would vanish from what it checks while the stored object kept it.
 */
function rawRecord(what: string): z.ZodType<Record<string, unknown>> {
  return z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
    error: `Invalid value: ${what} must be a mapping of key: value`,
  });
}

/** A plain `key: value` selector, as Services use. */
export const selectorMapSchema = labelsSchema;

const requirement = z.strictObject({
  key: z.string().superRefine((key, ctx) => {
    const problem = labelKeyProblem(key);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `Invalid value: ${problem}`, input: key });
  }),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist'], {
    error: 'Unsupported value: supported values: "DoesNotExist", "Exists", "In", "NotIn"',
  }),
  values: z.array(z.string()).optional(),
});

/** `matchLabels` / `matchExpressions`, as Deployments (and policies) use. */
export const labelSelectorSchema = z
  .strictObject({
    matchLabels: labelsSchema.optional(),
    matchExpressions: z.array(requirement).optional(),
  })
  .superRefine((sel, ctx) => {
    (sel.matchExpressions ?? []).forEach((r, i) => {
      (r.values ?? []).forEach((value, j) => {
        const problem = labelValueProblem(value);
        if (problem !== undefined)
          ctx.addIssue({ code: 'custom', path: ['matchExpressions', i, 'values', j], message: `Invalid value: ${problem}`, input: value });
      });
      const wantsValues = r.operator === 'In' || r.operator === 'NotIn';
      const has = (r.values ?? []).length > 0;
      if (wantsValues !== has) {
        const message = wantsValues
          ? `Required value: must be specified when \`operator\` is '${r.operator}'`
          : `Forbidden: may not be specified when \`operator\` is '${r.operator}'`;
        ctx.addIssue({ code: 'custom', path: ['matchExpressions', i, 'values'], message, input: r.values });
      }
    });
  });
