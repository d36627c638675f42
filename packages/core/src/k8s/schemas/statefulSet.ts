import { z } from 'zod';
import { dnsSubdomainProblem } from '../names.ts';
import { MAX_REPLICAS, selectorRefinement, templateSchema } from './deployment.ts';
import { apiVersionSchema, metadataSchema, passthrough } from './envelope.ts';
import { labelSelectorSchema } from './labels.ts';

/** A StatefulSet (apps/v1): `replicas` pods named by ordinal, of one template. */
export const statefulSetSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('StatefulSet'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z
    .strictObject({
      replicas: z
        .number()
        .int()
        .min(0, { error: 'Invalid value: must be greater than or equal to 0' })
        .max(MAX_REPLICAS, { error: `Invalid value: cilium-sim runs at most ${MAX_REPLICAS} replicas of a StatefulSet` })
        .optional(),
      serviceName: z.string().optional(),
      selector: labelSelectorSchema,
      template: templateSchema,
      ...passthrough([
        'updateStrategy',
        'podManagementPolicy',
        'volumeClaimTemplates',
        'persistentVolumeClaimRetentionPolicy',
        'ordinals',
        'minReadySeconds',
        'revisionHistoryLimit',
      ]),
    })
    .superRefine(selectorRefinement('statefulset')),
  status: z.unknown().optional(),
});
