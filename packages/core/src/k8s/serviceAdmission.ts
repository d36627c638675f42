import { SimError } from '../errors.ts';
import type { TxEnv } from './context.ts';
import { allocateClusterIp, allocateNodePort, inServiceCidr, SERVICE_CIDR } from './ipam.ts';
import { clusterIpIssues, type Subject } from './immutableFields.ts';
import { isIPv4 } from './names.ts';

const SERVICE_NETWORK = '10.96.0.0';
const SERVICE_BROADCAST = '10.111.255.255';
import type { Service, ServicePort } from './builtinObjects.ts';
import type { AdmissionRequest } from './kindDefinition.ts';

/**
 * A Service as the API server stores it:
 * - `type` defaults to ClusterIP, each port's protocol to TCP and targetPort to its port;
 * - the ClusterIP is the one written (inside 10.96.0.0/12 and free, or `None` for headless),
 *   else the one already assigned, else a free one drawn from the Rng; it never changes
 *   (immutableFields.ts words the refusal);
 * - NodePort and LoadBalancer ports get a free NodePort (30000-32767) unless one is written.
 */
export function admitService({ object, ref, manifest, metadata, existing: prev, env, store }: AdmissionRequest<Service>): Service {
  const spec = manifest['spec'] as Record<string, unknown>;
  const others = store.list<Service>('Service').filter((s) => s.metadata.uid !== prev?.metadata.uid);
  const type = (spec['type'] as Service['spec']['type'] | undefined) ?? 'ClusterIP';
  // A manifest may name the address in either field; `clusterIPs` alone is how newer clients write it.
  const writtenIp = (spec['clusterIP'] as string | undefined) ?? (spec['clusterIPs'] as string[] | undefined)?.[0];
  const clusterIP = clusterIpFor({ object, ref }, writtenIp, prev, others, env);
  const ports = portsFor(object, type, spec['ports'] as Record<string, unknown>[], prev, others, env);
  const { clusterIPs: _written, ...rest } = spec;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: { ...rest, type, clusterIP, clusterIPs: [clusterIP], ports },
  };
}

function clusterIpFor(
  { object, ref }: Subject,
  written: string | undefined,
  prev: Service | undefined,
  others: readonly Service[],
  env: TxEnv,
): string {
  const fail = (message: string): never => {
    throw new SimError({ code: 'INVALID_FIELD', object, path: 'spec.clusterIP', message });
  };
  if (written === undefined || written === '') {
    const ip = prev?.spec.clusterIP ?? allocateClusterIp(others, env.streams.clusterIps);
    return ip ?? fail(`failed to allocate a ClusterIP: the range ${SERVICE_CIDR} is full`);
  }
  if (prev !== undefined) {
    const issues = clusterIpIssues({ object, ref }, written, prev.spec.clusterIP);
    if (issues.length > 0) throw SimError.of(issues);
  }
  if (written === 'None') return written;
  // The allocator's range leaves out the CIDR's network and broadcast addresses.
  if (!isIPv4(written) || !inServiceCidr(written) || written === SERVICE_NETWORK || written === SERVICE_BROADCAST)
    fail(`Invalid value: "${written}": provided IP is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`);
  const holder = others.find((s) => s.spec.clusterIP === written);
  if (holder !== undefined)
    fail(`Invalid value: "${written}": provided IP is already allocated (service ${holder.metadata.namespace}/${holder.metadata.name})`);
  return written;
}

function portsFor(
  object: string,
  type: Service['spec']['type'],
  written: readonly Record<string, unknown>[],
  prev: Service | undefined,
  others: readonly Service[],
  env: TxEnv,
): ServicePort[] {
  const used = new Set(others.flatMap((s) => s.spec.ports.flatMap((p) => (p.nodePort === undefined ? [] : [p.nodePort]))));
  return written.map((w, i) => {
    const port = w['port'] as number;
    const base = {
      ...w,
      port,
      targetPort: (w['targetPort'] as number | string | undefined) ?? port,
      protocol: (w['protocol'] as ServicePort['protocol'] | undefined) ?? 'TCP',
    } as ServicePort;
    if (type === 'ClusterIP') return base;
    const nodePort =
      (w['nodePort'] as number | undefined) ??
      prev?.spec.ports.find((p) => p.port === port && p.protocol === base.protocol)?.nodePort ??
      allocateNodePort(used, env.streams.nodePorts);
    if (nodePort === undefined)
      throw new SimError({
        code: 'INVALID_PORT',
        object,
        path: `spec.ports[${i}].nodePort`,
        message: 'failed to allocate a NodePort: the range 30000-32767 is full',
      });
    if (w['nodePort'] !== undefined && used.has(nodePort)) {
      throw new SimError({
        code: 'INVALID_PORT',
        object,
        path: `spec.ports[${i}].nodePort`,
        message: `Invalid value: ${nodePort}: provided port is already allocated`,
      });
    }
    used.add(nodePort);
    return { ...base, nodePort };
  });
}
