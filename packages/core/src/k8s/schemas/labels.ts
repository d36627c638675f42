import { z } from 'zod';
import { labelKeyProblem, labelValueProblem } from '../names.ts';

/**
 * `metadata.labels`: every key and value checked, every problem reported. Values are checked
 * here rather than by a string schema so a non-string value does not hide the other problems.
 */
export const labelsSchema = z.record(z.string(), z.unknown()).superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    const scalar = value === null || typeof value === 'number' || typeof value === 'boolean';
    const problem =
      typeof value === 'string'
        ? (labelKeyProblem(key) ?? labelValueProblem(value))
        : scalar
          ? `label values must be strings; quote the value (e.g. ${key}: "${String(value)}")`
          : `label values must be strings, not ${Array.isArray(value) ? 'a list' : 'a mapping'}; write ${key}: VALUE`;
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `Invalid value: ${problem}`, input: value });
  }
}) as unknown as z.ZodType<Record<string, string>>;

/** Annotations only need string values; their keys follow label key syntax. */
export const annotationsSchema = z
  .record(z.string(), z.string({ error: 'annotation values must be strings; quote the value' }))
  .superRefine((annotations, ctx) => {
    for (const key of Object.keys(annotations)) {
      const problem = labelKeyProblem(key);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `Invalid value: ${problem}`, input: key });
    }
  });

/** A plain `key: value` selector, as Services use. */
export const selectorMapSchema = labelsSchema;

const requirement = z.strictObject({
  key: z.string(),
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
