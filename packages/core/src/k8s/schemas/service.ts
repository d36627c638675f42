import { z } from 'zod';
import { dns1035LabelProblem } from '../names.ts';
import { apiVersionSchema, metadataSchema, passthrough } from './envelope.ts';
import { selectorMapSchema } from './labels.ts';
import { nodePortSchema, servicePortNameSchema, portNumberSchema, protocolSchema, targetPortSchema } from './ports.ts';

const servicePortSchema = z.strictObject({
  name: servicePortNameSchema.optional(),
  port: portNumberSchema,
  targetPort: targetPortSchema.optional(),
  protocol: protocolSchema.optional(),
  nodePort: nodePortSchema.optional(),
  appProtocol: z.string().optional(),
});

const SERVICE_PASSTHROUGH = [
  'sessionAffinity',
  'sessionAffinityConfig',
  'externalTrafficPolicy',
  'internalTrafficPolicy',
  'ipFamilies',
  'ipFamilyPolicy',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'loadBalancerClass',
  'externalIPs',
  'publishNotReadyAddresses',
  'allocateLoadBalancerNodePorts',
  'healthCheckNodePort',
  'trafficDistribution',
];

const serviceSpecSchema = z
  .strictObject({
    type: z
      .enum(['ClusterIP', 'NodePort', 'LoadBalancer'], {
        error: 'Unsupported value: supported values: "ClusterIP", "LoadBalancer", "NodePort" (ExternalName is not simulated)',
      })
      .optional(),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    ports: z.array(servicePortSchema).min(1, { error: 'Required value' }),
    selector: selectorMapSchema.optional(),
    ...passthrough(SERVICE_PASSTHROUGH),
  })
  .superRefine((spec, ctx) => {
    const names = new Set<string>();
    const ports = new Set<string>();
    spec.ports.forEach((p, i) => {
      if (spec.ports.length > 1 && p.name === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'name'],
          message: 'Required value',
          input: p,
        });
      }
      if (p.name !== undefined && names.has(p.name)) {
        ctx.addIssue({ code: 'custom', path: ['ports', i, 'name'], message: 'Duplicate value', input: p.name });
      }
      const key = `${p.port}/${p.protocol ?? 'TCP'}`;
      if (ports.has(key))
        ctx.addIssue({ code: 'custom', path: ['ports', i], message: `Duplicate value: port ${key} is listed twice`, input: p });
      if (p.nodePort !== undefined && (spec.type ?? 'ClusterIP') === 'ClusterIP') {
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'nodePort'],
          message: "Forbidden: may not be used when `type` is 'ClusterIP'",
          input: p.nodePort,
        });
      }
      if (p.name !== undefined) names.add(p.name);
      ports.add(key);
    });
  });

export const serviceSchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal('Service'),
  metadata: metadataSchema(dns1035LabelProblem),
  spec: serviceSpecSchema,
  status: z.unknown().optional(),
});
