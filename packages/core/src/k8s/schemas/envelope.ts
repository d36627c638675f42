import { z } from 'zod';
import { annotationsSchema, labelsSchema } from './labels.ts';
import { finalizersSchema, ownerReferencesSchema } from './ownership.ts';

type NameCheck = (name: string) => string | undefined;

/**
 * `apiVersion`, a string: which versions serve the kind is the registry's to say (kinds.ts), and
 * `validateDocument` checks it there before the schema runs.
 */
export const apiVersionSchema = z.string({ error: 'Required value: apiVersion must be set (a string such as v1 or apps/v1)' });

/**
 * `metadata` as written in a manifest. Server-set fields (uid, resourceVersion, ...) are
 * accepted so that `kubectl get -o yaml` output can be applied again, and then ignored.
 */
export function metadataSchema(nameCheck: NameCheck) {
  return z.strictObject({
    name: z
      .string({
        // A number or a boolean written as the name (`name: 123`) is there, only not text.
        error: (issue) =>
          issue.input === undefined || issue.input === null
            ? 'Required value: name or generateName is required'
            : typeof issue.input === 'number' || typeof issue.input === 'boolean'
              ? `Invalid value: names are strings; quote it (name: "${String(issue.input)}")`
              : 'Invalid value: names are strings',
      })
      .superRefine((name, ctx) => {
        const problem = nameCheck(name);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `Invalid value: ${problem}`, input: name });
      }),
    namespace: z.string().optional(),
    labels: labelsSchema.optional(),
    annotations: annotationsSchema.optional(),
    // Compared with the stored object's on update (store.ts), so it must be the API's string.
    resourceVersion: z.string().optional(),
    ownerReferences: ownerReferencesSchema.optional(),
    finalizers: finalizersSchema.optional(),
    // Compared with the stored object's on update (store.ts): a uid is a string.
    uid: z.string({ error: 'must be a string' }).optional(),
    // The server sets these itself, but it must decode them first: a time is RFC 3339.
    creationTimestamp: timeSchema.optional(),
    deletionTimestamp: timeSchema.optional(),
    ...passthrough(['generation', 'managedFields', 'selfLink', 'generateName', 'deletionGracePeriodSeconds']),
  });
}

/** A metav1.Time as written: RFC 3339, or null (what `kubectl get -o yaml` prints for an unset one). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const timeSchema = z.unknown().superRefine((t, ctx) => {
  if (t === null || (typeof t === 'string' && RFC3339.test(t))) return;
  const message = `Invalid value: ${JSON.stringify(t)}: must be an RFC 3339 time such as 2024-07-04T17:58:00Z`;
  ctx.addIssue({ code: 'custom', message, input: t });
});

/** The fields of `metadata` a manifest may hold, for kinds whose envelope is read without this schema (policies). */
export const METADATA_FIELD_NAMES: readonly string[] = Object.keys(metadataSchema(() => undefined).shape);

/** Fields the API server accepts but the simulator does not model; kept as written. */
export function passthrough(names: readonly string[]): Record<string, z.ZodOptional<z.ZodUnknown>> {
  return Object.fromEntries(names.map((n) => [n, z.unknown().optional()]));
}
