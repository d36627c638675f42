import { z } from 'zod';
import { labelKeyProblem } from '../names.ts';

/**
 * `metadata.ownerReferences` as the API server validates them (ValidateOwnerReferences): each
 * names the owner's apiVersion (with a version), kind, name and uid; at most one is the
 * controller. The field paths are the API server's, without the index.
 */
export const ownerReferencesSchema = z
  .array(
    z.strictObject({
      apiVersion: z.string().optional(),
      kind: z.string().optional(),
      name: z.string().optional(),
      uid: z.string().optional(),
      controller: z.boolean().optional(),
      blockOwnerDeletion: z.boolean().optional(),
    }),
  )
  .superRefine((refs, ctx) => {
    for (const ref of refs) {
      const version = (ref.apiVersion ?? '').split('/').at(-1) ?? '';
      const empty = (field: string, value: string | undefined, why: string): void => {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `Invalid value: ${JSON.stringify(value ?? '')}: ${why}`,
          input: value ?? '',
        });
      };
      if (version === '') empty('apiVersion', ref.apiVersion, 'version must not be empty');
      if ((ref.kind ?? '') === '') empty('kind', ref.kind, 'kind must not be empty');
      if ((ref.name ?? '') === '') empty('name', ref.name, 'name must not be empty');
      if ((ref.uid ?? '') === '') empty('uid', ref.uid, 'uid must not be empty');
    }
    const controllers = refs.filter((r) => r.controller === true);
    if (controllers.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `Invalid value: Only one reference can have Controller set to true. Found "true" in references for ${controllers
          .slice(0, 2)
          .map((r) => `${r.kind}/${r.name}`)
          .join(' and ')}`,
        input: undefined,
      });
  });

/**
 * `metadata.finalizers`: each a qualified name (`example.com/cleanup`), as the API server checks
 * them; the object then stays, marked for deletion, until every finalizer is removed.
 */
export const finalizersSchema = z.array(z.string({ error: 'Invalid value: finalizers must be strings' })).superRefine((names, ctx) => {
  names.forEach((name, i) => {
    const problem = labelKeyProblem(name);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [i], message: `Invalid value: ${problem}`, input: name });
  });
});
