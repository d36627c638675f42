import { z } from 'zod';
import { dnsLabelProblem, dnsSubdomainProblem } from '../names.ts';
import { passthrough } from './envelope.ts';
import { labelsSchema } from './labels.ts';
import { portNameSchema, portNumberSchema, protocolSchema } from './ports.ts';

/**
 * A name field checked by `check`. An empty name is `Required value` for a field the API server
 * requires (a container's name), and no name at all for an optional one (serviceAccountName).
 */
function named(check: (s: string) => string | undefined, empty: 'required' | 'unset' = 'required') {
  return z.string().superRefine((s, ctx) => {
    if (s === '') {
      if (empty === 'required') ctx.addIssue({ code: 'custom', message: 'Required value', input: undefined });
      return;
    }
    const problem = check(s);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `Invalid value: ${problem}`, input: s });
  });
}

/**
 * The API server's `Duplicate value: "x"` for a name used twice in one list: a pod's container
 * names, and a container's port names (validateContainerPorts checks each container alone).
 */
function refuseDuplicateNames(
  items: readonly { readonly name?: string | undefined }[],
  path: (i: number) => (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (item.name === undefined) return;
    if (seen.has(item.name))
      ctx.addIssue({ code: 'custom', path: path(i), message: `Duplicate value: ${JSON.stringify(item.name)}`, input: undefined });
    seen.add(item.name);
  });
}

const containerPortSchema = z.strictObject({
  name: portNameSchema.optional(),
  containerPort: portNumberSchema,
  protocol: protocolSchema.optional(),
  hostPort: portNumberSchema.optional(),
  hostIP: z.string().optional(),
});

const CONTAINER_PASSTHROUGH = [
  'envFrom',
  'resources',
  'securityContext',
  'volumeMounts',
  'volumeDevices',
  'imagePullPolicy',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'workingDir',
  'stdin',
  'stdinOnce',
  'tty',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'resizePolicy',
  'restartPolicy',
];

const containerSchema = z.strictObject({
  name: named(dnsLabelProblem),
  image: z.string({ error: 'Required value' }).min(1, { error: 'Required value' }),
  ports: z
    .array(containerPortSchema)
    .superRefine((ports, ctx) => refuseDuplicateNames(ports, (i) => [i, 'name'], ctx))
    .optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  // An EnvVar: a name, and a value or where it comes from.
  env: z
    .array(z.strictObject({ name: z.string({ error: 'Required value' }), value: z.string().optional(), valueFrom: z.unknown().optional() }))
    .optional(),
  ...passthrough(CONTAINER_PASSTHROUGH),
});

const tolerationSchema = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().optional(),
});

const POD_PASSTHROUGH = [
  'initContainers',
  'ephemeralContainers',
  'volumes',
  'securityContext',
  'affinity',
  'dnsPolicy',
  'dnsConfig',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'automountServiceAccountToken',
  'hostname',
  'subdomain',
  'priorityClassName',
  'priority',
  'preemptionPolicy',
  'imagePullSecrets',
  'hostPID',
  'hostIPC',
  'hostUsers',
  'enableServiceLinks',
  'schedulerName',
  'topologySpreadConstraints',
  'shareProcessNamespace',
  'runtimeClassName',
  'readinessGates',
  'os',
  'setHostnameAsFQDN',
  'overhead',
  'hostAliases',
  'resourceClaims',
  'schedulingGates',
];

/** A PodSpec, in a Pod or in a Deployment's template. */
export const podSpecSchema = z
  .strictObject({
    containers: z.array(containerSchema).min(1, { error: 'Required value' }),
    nodeName: z.string().optional(),
    serviceAccountName: named(dnsSubdomainProblem, 'unset').optional(),
    serviceAccount: named(dnsSubdomainProblem, 'unset').optional(),
    hostNetwork: z.boolean().optional(),
    tolerations: z.array(tolerationSchema).optional(),
    nodeSelector: labelsSchema.optional(),
    restartPolicy: z
      .enum(['Always', 'OnFailure', 'Never'], { error: 'Unsupported value: supported values: "Always", "Never", "OnFailure"' })
      .optional(),
    ...passthrough(POD_PASSTHROUGH),
  })
  .superRefine((spec, ctx) => {
    refuseDuplicateNames(spec.containers, (i) => ['containers', i, 'name'], ctx);
    if (spec.hostNetwork === true) refuseOtherHostPorts(spec.containers, ctx);
  });

/**
 * A host-network pod listens on the node's ports, so a port's `hostPort` (defaulted to it) must be
 * the `containerPort` itself (validateHostNetwork).
 */
function refuseOtherHostPorts(
  containers: readonly { readonly ports?: readonly { containerPort: number; hostPort?: number | undefined }[] | undefined }[],
  ctx: z.RefinementCtx,
): void {
  containers.forEach((c, i) => {
    (c.ports ?? []).forEach((p, j) => {
      if (p.hostPort === undefined || p.hostPort === p.containerPort) return;
      const message = `Invalid value: ${p.containerPort}: must match \`hostPort\` when \`hostNetwork\` is true`;
      ctx.addIssue({ code: 'custom', path: ['containers', i, 'ports', j, 'containerPort'], message, input: undefined });
    });
  });
}
