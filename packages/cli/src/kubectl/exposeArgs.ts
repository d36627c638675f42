import type { Target } from './targets.ts';
import { parseTargets } from './targets.ts';
import { DRY_RUN_FLAG, NO_RESOURCES_MESSAGE, OUTPUT_FLAG, dryRunOf, kubectlError, kubectlFlags, namespaceOf } from './kubectlFlags.ts';
import { flagString } from '../cobra/pflag.ts';

/**
 * `kubectl expose deployment|pod|service NAME [--port=P] [--target-port=T] [--name=N]
 * [--type=T] [--protocol=TCP] [--selector=S] [--labels=L]`: a Service whose selector is the
 * exposed object's, built on the client as kubectl builds it.
 */
export interface ExposeRequest {
  readonly verb: 'expose';
  readonly target: Target;
  readonly port: number | undefined;
  /** A number or a port name, as written. */
  readonly targetPort: string | undefined;
  readonly name: string | undefined;
  readonly type: string | undefined;
  readonly protocol: string | undefined;
  readonly selector: string | undefined;
  readonly labels: string | undefined;
  readonly namespace: string;
  readonly namespaceGiven: boolean;
  readonly dryRun: 'none' | 'client' | 'server';
}

export function parseExpose(args: readonly string[]): ExposeRequest {
  const flags = kubectlFlags('expose', args, [
    DRY_RUN_FLAG,
    OUTPUT_FLAG,
    { name: 'port', kind: 'string' },
    { name: 'target-port', kind: 'string' },
    { name: 'name', kind: 'string' },
    { name: 'type', kind: 'string' },
    { name: 'protocol', kind: 'string' },
    { name: 'selector', kind: 'string' },
    { name: 'labels', short: 'l', kind: 'string' },
  ]);
  const targets = parseTargets('expose', flags.positionals);
  const target = targets[0];
  if (target === undefined || target.names.length === 0) {
    throw kubectlError('expose', NO_RESOURCES_MESSAGE);
  }
  const portText = flagString(flags, 'port');
  if (portText !== undefined && !/^\d+$/.test(portText)) {
    throw kubectlError(
      'expose',
      `error: invalid argument "${portText}" for "--port" flag: strconv.Atoi: parsing "${portText}": invalid syntax`,
      '--port',
    );
  }
  const type = flagString(flags, 'type');
  if (type !== undefined && !['ClusterIP', 'NodePort', 'LoadBalancer'].includes(type)) {
    throw kubectlError('expose', `error: invalid service type "${type}"; cilium-sim models ClusterIP, NodePort and LoadBalancer`, '--type');
  }
  return {
    verb: 'expose',
    target,
    port: portText === undefined ? undefined : Number(portText),
    targetPort: flagString(flags, 'target-port'),
    name: flagString(flags, 'name'),
    type,
    protocol: flagString(flags, 'protocol'),
    selector: flagString(flags, 'selector'),
    labels: flagString(flags, 'labels'),
    ...namespaceOf(flags),
    dryRun: dryRunOf('expose', flags),
  };
}
