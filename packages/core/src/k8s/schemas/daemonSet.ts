import { z } from 'zod';
import { dnsSubdomainProblem } from '../names.ts';
import { selectorRefinement, templateSchema } from './deployment.ts';
import { apiVersionSchema, metadataSchema, passthrough } from './envelope.ts';
import { labelSelectorSchema } from './labels.ts';

/** A DaemonSet (apps/v1): a selector and the template of the pod it runs on every node. */
export const daemonSetSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('DaemonSet'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z
    .strictObject({
      selector: labelSelectorSchema,
      template: templateSchema,
      ...passthrough(['updateStrategy', 'minReadySeconds', 'revisionHistoryLimit']),
    })
    .superRefine(selectorRefinement('daemonset')),
  status: z.unknown().optional(),
});
