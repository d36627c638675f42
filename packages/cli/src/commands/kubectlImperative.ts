import { type Cluster, k8s, MAX_ADVANCE_NS, type SimError } from '@cilium-sim/core';
import type { GenerateRequest } from '../kubectl/createArgs.ts';
import type { ExposeRequest } from '../kubectl/exposeArgs.ts';
import type { KubeObject } from '../kubectl/objects.ts';
import type { RolloutRequest, WaitRequest } from '../kubectl/podArgs.ts';
import { kindPrefix, notFoundMessage, type ResourceType } from '../kubectl/resources.ts';
import { errorLine, isFieldRefusal, report, serverInvalidMessage } from '../kubectl/resultLines.ts';
import { fail, type CommandResult } from '../shell/command.ts';
import { evaluateJsonPath } from '../shell/jsonpath.ts';
import { listObjectsOf, matchingLabels } from './kubectlObjects.ts';

/**
 * kubectl's imperative verbs: `create <generator>`, `expose`, `wait` and `rollout status`. The
 * objects are built here as kubectl builds them on the client and sent through the cluster's
 * public API; waiting runs on the virtual clock.
 */

/** ` (dry run)` and ` (server dry run)`, as kubectl marks what a dry run printed. */
function dryRunMark(mode: 'none' | 'client' | 'server'): string {
  return mode === 'none' ? '' : mode === 'client' ? ' (dry run)' : ' (server dry run)';
}

/** `kubectl create namespace|deployment|service|serviceaccount|secret ...`. */
export function generate(cluster: Cluster, req: GenerateRequest): CommandResult {
  const namespaced = req.object['kind'] !== 'Namespace';
  const results = cluster.create(JSON.stringify(req.object), {
    dryRun: req.dryRun !== 'none',
    ...(namespaced && req.namespaceGiven ? { namespace: req.namespace } : {}),
  });
  return report(results, { suffix: dryRunMark(req.dryRun), errorLine: (e) => wrapped(e, req.failPrefix) });
}

/** kubectl's `fmt.Errorf("failed to create deployment: %v", err)`: the server's message after the prefix. */
function wrapped(e: SimError, prefix: string): string {
  const line = errorLine(e);
  if (prefix === '') return line;
  // Wrapped by fmt.Errorf, an Invalid status prints as the server words it (`Deployment.apps "d" is invalid: ...`).
  if (e.reason === 'Invalid' && e.ref !== undefined && k8s.isApiKind(e.ref.kind) && isFieldRefusal(e))
    return `error: ${prefix}${serverInvalidMessage(e.ref.kind, e.ref.name, e.issues)}`;
  return `error: ${prefix}${line.replace(/^Error from server \([A-Za-z]+\): /, '').replace(/^error: /, '')}`;
}

/** `kubectl expose deployment|pod|service NAME`: a Service selecting what the object selects. */
export function expose(cluster: Cluster, req: ExposeRequest): CommandResult {
  const type = req.target.type;
  const name = req.target.names[0]!;
  if (!['Deployment', 'Pod', 'Service', 'ReplicaSet'].includes(type.kind)) return fail(`error: cannot expose a ${type.kind}`);
  const obj = listObjectsOf(cluster, type, req.namespace).find((o) => o.metadata.name === name);
  if (obj === undefined) return fail(notFoundMessage(type, name));
  const selector = req.selector !== undefined ? pairs(req.selector) : selectorOf(obj);
  if (selector === undefined) return fail(`error: couldn't retrieve selectors via --selector flag or introspection`);
  const ports = req.port !== undefined ? [{ port: req.port, protocol: req.protocol ?? 'TCP' }] : portsOf(obj);
  if (ports.length === 0) return fail(`error: couldn't find port via --port flag or introspection`);
  const labels = req.labels !== undefined ? pairs(req.labels) : obj.metadata.labels;
  const target = req.targetPort === undefined ? undefined : /^\d+$/.test(req.targetPort) ? Number(req.targetPort) : req.targetPort;
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: req.name ?? name, ...(labels === undefined || Object.keys(labels).length === 0 ? {} : { labels }) },
    spec: {
      ...(req.type === undefined ? {} : { type: req.type }),
      selector,
      ports: ports.map((p, i) => ({
        ...(ports.length > 1 ? { name: `port-${i + 1}` } : {}),
        port: p.port,
        protocol: req.protocol ?? p.protocol,
        targetPort: target ?? p.port,
      })),
    },
  };
  const results = cluster.create(JSON.stringify(service), { dryRun: req.dryRun !== 'none', namespace: req.namespace });
  const r = report(results);
  // kubectl expose reports the Service it made as `exposed`.
  return { ...r, stdout: r.stdout.replace(/ created$/gm, ` exposed${dryRunMark(req.dryRun)}`) };
}

function pairs(text: string): Record<string, string> {
  return Object.fromEntries(text.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

function selectorOf(obj: KubeObject): Readonly<Record<string, string>> | undefined {
  const spec = (obj['spec'] ?? {}) as { selector?: Record<string, unknown> & { matchLabels?: Record<string, string> } };
  if (obj.kind === 'Pod') return obj.metadata.labels;
  if (obj.kind === 'Service') return spec.selector as Record<string, string> | undefined;
  return spec.selector?.matchLabels;
}

function portsOf(obj: KubeObject): { port: number; protocol: string }[] {
  const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
  if (obj.kind === 'Service') {
    return ((spec['ports'] ?? []) as { port: number; protocol?: string }[]).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
  }
  const podSpec = (obj.kind === 'Pod' ? spec : ((spec['template'] as { spec?: unknown } | undefined)?.spec ?? {})) as {
    containers?: { ports?: { containerPort: number; protocol?: string }[] }[];
  };
  return (podSpec.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
}

/**
 * `kubectl wait --for=condition=C[=V] TYPE/NAME | TYPE -l SEL [--timeout=30s]`: each object
 * whose condition holds is `condition met`; for one that does not, the virtual clock runs for
 * the timeout (kubectl would watch that long) and kubectl's timeout error follows.
 */
export function wait(cluster: Cluster, req: WaitRequest): CommandResult {
  let stdout = '';
  let stderr = '';
  for (const target of req.targets) {
    const listed = (): KubeObject[] =>
      matchingLabels(listObjectsOf(cluster, target.type, req.allNamespaces ? undefined : req.namespace), req.selector);
    const names = target.names.length > 0 ? target.names : listed().map((o) => o.metadata.name);
    if (names.length === 0) return { stdout, stderr: `${stderr}error: no matching resources found\n`, exitCode: 1 };
    for (const name of names) {
      const find = (): KubeObject | undefined => listed().find((o) => o.metadata.name === name);
      if (find() === undefined) {
        stderr += `${notFoundMessage(target.type, name)}\n`;
        continue;
      }
      if (waitOnClock(cluster, req.timeoutNs, () => holds(find(), req.for))) stdout += `${kindPrefix(target.type)}/${name} condition met\n`;
      else stderr += `error: timed out waiting for the condition on ${target.type.plural}/${name}\n`;
    }
  }
  return { stdout, stderr, exitCode: stderr === '' ? 0 : 1 };
}

function holds(obj: KubeObject | undefined, want: WaitRequest['for']): boolean {
  if (want.kind === 'delete') return obj === undefined;
  if (obj === undefined) return false;
  if (want.kind === 'jsonpath') return jsonPathHolds(obj, want.expression, want.value);
  const found = k8s.objectConditions(obj).find((c) => c.type.toLowerCase() === want.name.toLowerCase());
  return found !== undefined && found.status.toLowerCase() === want.value.toLowerCase();
}

/** The expression prints the value on the object; a field it lacks is waited for, as kubectl does. */
function jsonPathHolds(obj: KubeObject, expression: string, value: string): boolean {
  try {
    return evaluateJsonPath(expression, obj) === value;
  } catch {
    return false;
  }
}

/**
 * Runs the virtual clock until `done` holds or `timeoutNs` has passed, as kubectl watches: in
 * steps from a second, doubling up to the longest single advance, so a wait ends soon after what
 * it waits for happens and a week's wait is a few dozen bounded steps. True when `done` held.
 */
export function waitOnClock(cluster: Cluster, timeoutNs: number, done: () => boolean): boolean {
  let waited = 0;
  let step = 1e9;
  while (!done()) {
    if (waited >= timeoutNs) return false;
    const run = Math.min(step, timeoutNs - waited, MAX_ADVANCE_NS);
    cluster.advance(run);
    waited += run;
    step *= 2;
  }
  return true;
}

/** How long kubectl rollout status waits without `--timeout`: a Deployment's default progress deadline. */
const PROGRESS_DEADLINE_NS = 600e9;

/**
 * `kubectl rollout status deployment/NAME`: done when every replica is updated and available;
 * otherwise kubectl's waiting line, the virtual clock runs to the deadline, and the Deployment
 * is reported as having exceeded it (or the `--timeout` error).
 */
export function rolloutStatus(cluster: Cluster, req: RolloutRequest): CommandResult {
  let stdout = '';
  for (const target of req.targets) {
    if (target.type.kind !== 'Deployment' && target.type.kind !== 'DaemonSet' && target.type.kind !== 'StatefulSet') {
      return { stdout, stderr: `error: no status viewer has been implemented for ${target.type.kind}\n`, exitCode: 1 };
    }
    for (const name of target.names) {
      const find = (): KubeObject | undefined => listObjectsOf(cluster, target.type, req.namespace).find((o) => o.metadata.name === name);
      const first = find();
      if (first === undefined) return { stdout, stderr: `${notFoundMessage(target.type, name)}\n`, exitCode: 1 };
      const pending = rolloutPending(first, target.type);
      if (pending === undefined) {
        stdout += rolledOut(target.type, name);
        continue;
      }
      stdout += `${pending}\n`;
      const settled = (): boolean => {
        const later = find();
        return later !== undefined && rolloutPending(later, target.type) === undefined;
      };
      if (waitOnClock(cluster, req.timeoutNs ?? PROGRESS_DEADLINE_NS, settled)) {
        stdout += rolledOut(target.type, name);
        continue;
      }
      const why =
        req.timeoutNs === undefined
          ? `error: deployment "${name}" exceeded its progress deadline`
          : 'error: timed out waiting for the condition';
      return { stdout, stderr: `${why}\n`, exitCode: 1 };
    }
  }
  return { stdout, stderr: '', exitCode: 0 };
}

function rolledOut(type: ResourceType, name: string): string {
  return type.kind === 'Deployment'
    ? `deployment "${name}" successfully rolled out\n`
    : `${type.kind === 'DaemonSet' ? 'daemon set' : 'statefulset rolling update complete'} "${name}" successfully rolled out\n`;
}

/** kubectl's waiting line while a rollout is incomplete, or undefined when it is complete. */
function rolloutPending(obj: KubeObject, type: ResourceType): string | undefined {
  const spec = (obj['spec'] ?? {}) as { replicas?: number };
  const status = (obj['status'] ?? {}) as Record<string, number | undefined>;
  const name = obj.metadata.name;
  if (type.kind !== 'Deployment') {
    const want = status['desiredNumberScheduled'] ?? status['replicas'] ?? 0;
    const ready = status['numberAvailable'] ?? status['readyReplicas'] ?? 0;
    return ready >= want
      ? undefined
      : `Waiting for daemon set "${name}" rollout to finish: ${ready} of ${want} updated pods are available...`;
  }
  const want = spec.replicas ?? 1;
  const updated = status['updatedReplicas'] ?? 0;
  const replicas = status['replicas'] ?? 0;
  const available = status['availableReplicas'] ?? 0;
  if (updated < want)
    return `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`;
  if (replicas > updated)
    return `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`;
  if (available < updated)
    return `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`;
  return undefined;
}
