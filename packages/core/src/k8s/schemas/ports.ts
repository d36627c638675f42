import { z } from 'zod';
import { dnsLabelProblem, portNameProblem } from '../names.ts';

/** A TCP/UDP/SCTP port number, 1..65535 as Kubernetes checks it. */
export const portNumberSchema = z
  .number({ error: 'must be a number between 1 and 65535 (quote nothing: port: 80)' })
  .int({ error: 'must be a whole number between 1 and 65535' })
  .min(1, { error: 'Invalid value: must be between 1 and 65535, inclusive' })
  .max(65535, { error: 'Invalid value: must be between 1 and 65535, inclusive' });

/** Case-sensitive, as the API server is: `tcp` is rejected, not normalized. */
export const protocolSchema = z.enum(['TCP', 'UDP', 'SCTP'], {
  error: 'Unsupported value: supported values: "SCTP", "TCP", "UDP" (protocols are upper case)',
});

export const portNameSchema = z.string().superRefine((name, ctx) => {
  const problem = portNameProblem(name);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `Invalid value: ${problem}`, input: name });
});

/**
 * A Service port's name: a DNS-1123 label (the API server's ValidateDNS1123Label), so
 * `5678-8080`, the name `kubectl create service --tcp=5678:8080` gives, is valid where a
 * container port's name (IANA_SVC_NAME, which needs a letter) would not be.
 */
export const servicePortNameSchema = z.string().superRefine((name, ctx) => {
  const problem = dnsLabelProblem(name);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `Invalid value: ${problem}`, input: name });
});

/** A number, or the name of a container port (IntOrString). */
export const targetPortSchema = z.union([portNumberSchema, portNameSchema], {
  error: 'must be a port number (1..65535) or a container port name',
});

/** NodePorts come from the default service-node-port-range. */
export const nodePortSchema = z
  .number()
  .int()
  .min(30000, { error: 'Invalid value: provided port is not in the valid range. The range of valid ports is 30000-32767' })
  .max(32767, { error: 'Invalid value: provided port is not in the valid range. The range of valid ports is 30000-32767' });
