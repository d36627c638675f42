import { z } from 'zod';
import { corruptBase64Message, decodeBase64 } from '../../base64.ts';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';

/** A value of `data`: bytes written in base64, as the API server decodes a `[]byte` field. */
const base64Value = z.string().superRefine((value, ctx) => {
  const decoded = decodeBase64(value);
  if ('offset' in decoded) ctx.addIssue({ code: 'custom', message: corruptBase64Message(decoded), input: value });
});

/** The keys of `data` and `stringData`, as validation.IsConfigMapKey checks them. */
function keyProblem(key: string): string | undefined {
  if (key.length > 253) return 'must be no more than 253 characters';
  if (!/^[-._a-zA-Z0-9]+$/.test(key))
    return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
  if (key === '.') return "must not be '.'";
  if (key === '..') return "must not be '..'";
  if (key.startsWith('..')) return "must not start with '..'";
  return undefined;
}

/** The keys a Secret of a built-in type must hold (basic-auth: either). */
const REQUIRED_KEYS: Readonly<Record<string, { readonly keys: readonly string[]; readonly any?: boolean }>> = {
  'kubernetes.io/tls': { keys: ['tls.crt', 'tls.key'] },
  'kubernetes.io/ssh-auth': { keys: ['ssh-privatekey'] },
  'kubernetes.io/basic-auth': { keys: ['username', 'password'], any: true },
};

/**
 * A Secret as written: `data` in base64, `stringData` in plain text (admission merges it into
 * `data`), `type` (Opaque unless written) and `immutable`. As the API server checks it: every
 * key a config key, every `data` value base64, and the keys a built-in type needs.
 */
export const secretSchema = z
  .strictObject({
    apiVersion: apiVersionSchema,
    kind: z.literal('Secret'),
    metadata: metadataSchema(dnsSubdomainProblem),
    type: z.string().optional(),
    immutable: z.boolean().optional(),
    data: z.record(z.string(), base64Value).optional(),
    stringData: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((secret, ctx) => {
    for (const field of ['data', 'stringData'] as const) {
      for (const key of Object.keys(secret[field] ?? {})) {
        const problem = keyProblem(key);
        // The message quotes the key; with `input` undefined no `(received ...)` repeats it.
        if (problem !== undefined)
          ctx.addIssue({ code: 'custom', path: [field, key], message: `Invalid value: "${key}": ${problem}`, input: undefined });
      }
    }
    const required = REQUIRED_KEYS[secret.type ?? ''];
    if (required === undefined) return;
    const present = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
    const missing = required.keys.filter((k) => !present.has(k));
    if (required.any === true && missing.length < required.keys.length) return;
    for (const key of missing) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', key],
        message: `Required value: a Secret of type ${secret.type} needs the key ${key}`,
        input: undefined,
      });
    }
  });

/** A Secret as stored: `type` set, `stringData` merged into `data` (as in the API, both are optional fields of the one type). */
export type Secret = ObjectOfSchema<typeof secretSchema>;
