import { z } from 'zod';
import { objectSelector, selectorMatches } from '../labelSelector.ts';
import { dnsSubdomainProblem } from '../names.ts';
import type { LabelSelector } from '../builtinObjects.ts';
import { apiVersionSchema, metadataSchema, passthrough } from './envelope.ts';
import { annotationsSchema, labelSelectorSchema, labelsSchema } from './labels.ts';
import { podSpecSchema } from './podSpec.ts';

/** Each replica is a pod with an endpoint and an identity to reconcile; no lab needs more. */
export const MAX_REPLICAS = 1000;

/** A pod template: the labels its pods get and their spec. */
export const templateSchema = z.strictObject({
  metadata: z
    .strictObject({
      labels: labelsSchema.optional(),
      annotations: annotationsSchema.optional(),
      ...passthrough(['name', 'namespace', 'creationTimestamp']),
    })
    .optional(),
  spec: podSpecSchema,
});

/** `spec.strategy`: its type is one of two (the rolling update's numbers are read where they are used). */
const strategySchema = z.strictObject({
  type: z.enum(['Recreate', 'RollingUpdate'], { error: 'Unsupported value: supported values: "Recreate", "RollingUpdate"' }).optional(),
  rollingUpdate: z.unknown().optional(),
});

const deploymentSpecSchema = z
  .strictObject({
    replicas: z
      .number()
      .int()
      .min(0, { error: 'Invalid value: must be greater than or equal to 0' })
      .max(MAX_REPLICAS, { error: `Invalid value: cilium-sim runs at most ${MAX_REPLICAS} replicas of a Deployment` })
      .optional(),
    selector: labelSelectorSchema,
    template: templateSchema,
    strategy: strategySchema.optional(),
    ...passthrough(['minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds', 'paused']),
  })
  .superRefine(selectorRefinement('deployment'));

export const deploymentSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Deployment'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: deploymentSpecSchema,
  status: z.unknown().optional(),
});

/**
 * The checks every workload's selector gets (apps/v1 validation): not empty, and matching its
 * template's labels. `what` names the kind in the message: `deployment`, `daemonset`, `statefulset`.
 */
export function selectorRefinement(what: string) {
  return (
    spec: { readonly selector: z.output<typeof labelSelectorSchema>; readonly template: z.output<typeof templateSchema> },
    ctx: z.RefinementCtx,
  ): void => {
    const { matchLabels = {}, matchExpressions = [] } = spec.selector;
    if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['selector'],
        message: `Invalid value: empty selector is invalid for ${what}`,
        input: spec.selector,
      });
      return;
    }
    // A workload's pods run for ever: the API server takes no other restart policy in its template.
    const restart = (spec.template.spec as { restartPolicy?: unknown }).restartPolicy;
    if (restart !== undefined && restart !== 'Always')
      ctx.addIssue({
        code: 'custom',
        path: ['template', 'spec', 'restartPolicy'],
        message: 'Unsupported value: supported values: "Always"',
        input: restart,
      });
    const labels = spec.template.metadata?.labels ?? {};
    if (!templateMatches(spec.selector as LabelSelector, labels)) {
      ctx.addIssue({
        code: 'custom',
        path: ['template', 'metadata', 'labels'],
        message: 'Invalid value: `selector` does not match template `labels`',
        input: labels,
      });
    }
  };
}

/**
 * Whether the template's labels satisfy the selector. A selector of plain `matchLabels` (the usual
 * one) is compared pair by pair; any other goes through the selector reader, which knows sources
 * and expressions.
 */
function templateMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const plain = Object.entries(selector.matchLabels ?? {});
  if ((selector.matchExpressions ?? []).length === 0 && plain.every(([k, v]) => !k.includes(':') && typeof v === 'string'))
    return plain.every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
  return selectorMatches(objectSelector(selector), labels);
}
