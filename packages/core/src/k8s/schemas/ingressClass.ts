import { z } from 'zod';
import type { ObjectOfSchema } from '../kindDefinition.ts';
import { dnsSubdomainProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema } from './envelope.ts';

/**
 * An IngressClass (networking.k8s.io/v1, cluster-scoped): the controller that implements the
 * Ingresses naming it, and optionally the object holding its parameters. The annotation
 * `ingressclass.kubernetes.io/is-default-class: "true"` makes it the class of Ingresses that name none.
 */
export const ingressClassSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('IngressClass'),
  metadata: metadataSchema(dnsSubdomainProblem),
  spec: z
    .strictObject({
      controller: z.string().optional(),
      parameters: z
        .strictObject({
          apiGroup: z.string().optional(),
          kind: z.string().min(1, { error: 'Required value' }),
          name: z.string().min(1, { error: 'Required value' }),
          namespace: z.string().optional(),
          scope: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});

export type IngressClass = ObjectOfSchema<typeof ingressClassSchema>;

/** The annotation that makes an IngressClass the cluster's default (networking.k8s.io/v1 AnnotationIsDefaultIngressClass). */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
