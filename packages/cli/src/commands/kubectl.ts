import { execRefusal } from '../kubectl/execRefusal.ts';
import {
  behaviourIn,
  formatLogLine,
  isSimError,
  k8s,
  type Cluster,
  type Kind,
  type ObjectRef,
  type ObjectResult,
  type SimError,
} from '@cilium-sim/core';
import { fail, ok, type CommandIo, type CommandResult } from '../shell/command.ts';
import { parseKubectl } from '../kubectl/args.ts';
import type { ApplyRequest, DeleteRequest } from '../kubectl/changeArgs.ts';
import type { LabelRequest, RunRequest, ScaleRequest } from '../kubectl/editArgs.ts';
import { execNotFound, formatExecResult } from '../kubectl/exec.ts';
import type { GetRequest } from '../kubectl/getArgs.ts';
import type { KubeObject } from '../kubectl/objects.ts';
import type { ExecRequest, LogsRequest } from '../kubectl/podArgs.ts';
import { formatGet, type GetResult } from '../kubectl/printers/get.ts';
import { notFoundMessage, type ResourceType } from '../kubectl/resources.ts';
import { errorLine, report } from '../kubectl/resultLines.ts';
import { deleteDerived, labelDerived } from './kubectlDerivedDelete.ts';
import { describe } from './kubectlDescribe.ts';
import { expose, generate, rolloutStatus, wait } from './kubectlImperative.ts';
import type { CliContext, CommandHandler } from './cliContext.ts';
import { listObjectsOf, matchingLabels } from './kubectlObjects.ts';
import { manifestFileError, manifestFilesOf, readManifest, readManifests } from './manifestSource.ts';
import { matchingFields, parseFieldSelector } from '../kubectl/fieldSelector.ts';
import { dryRunReport } from './simToolkit.ts';
import { runInPod } from './podPrograms.ts';

/** `kubectl ...` against the simulated API server. */
export const kubectl: CommandHandler = (ctx, args, io) => {
  const req = parseKubectl(args);
  switch (req.verb) {
    case 'apply':
      return applyFiles(ctx, req);
    case 'create':
      return 'subcommand' in req ? generate(ctx.cluster, req) : applyFiles(ctx, req);
    case 'expose':
      return expose(ctx.cluster, req);
    case 'delete':
      return deleteObjects(ctx, req);
    case 'get':
      return get(ctx.cluster, req);
    case 'label':
    case 'annotate':
      return label(ctx.cluster, req);
    case 'scale':
      return scale(ctx.cluster, req);
    case 'run':
      return run(ctx.cluster, req);
    case 'logs':
      return logs(ctx.cluster, req);
    case 'exec':
      return exec(ctx, req, io);
    case 'wait':
      return wait(ctx.cluster, req);
    case 'version':
      return ok(
        req.client
          ? 'Client Version: v1.29.2\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n'
          : 'Client Version: v1.29.2\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\nServer Version: v1.29.2\n',
      );
    case 'config':
      return { stdout: req.stdout, stderr: req.stderr, exitCode: req.stderr === '' ? 0 : 1 };
    case 'cluster-info':
      return ok(
        `Kubernetes control plane is running at https://127.0.0.1:${6443}\nCoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
      );
    case 'describe':
      return describe(ctx.cluster, req);
    case 'rollout':
      if (req.action === 'status') return rolloutStatus(ctx.cluster, req);
      return fail(`error: kubectl rollout ${req.action} is not modelled in cilium-sim; delete the pods to replace them`);
  }
};

function applyFiles(ctx: CliContext, req: ApplyRequest): CommandResult {
  const files = req.files.flatMap((f) => manifestFilesOf(ctx, f));
  // Directories with no manifest in them: kubectl's own refusal.
  if (files.length === 0) return fail(`error: no objects passed to ${req.verb}`);
  const out: CommandResult[] = [];
  // A server-side dry run also reports what the change would do to policy and traffic.
  if (req.dryRun === 'server' && req.verb === 'apply') {
    return concat(
      req.files.map((file) =>
        dryRunReport(ctx.cluster, { apply: readManifests(ctx, file), file, ...(req.namespaceGiven ? { namespace: req.namespace } : {}) }),
      ),
    );
  }
  const opts = { dryRun: req.dryRun !== 'none', ...(req.namespaceGiven ? { namespace: req.namespace } : {}) };
  let objects = 0;
  for (const file of files) {
    const text = readManifest(ctx, file);
    out.push(
      fileChange(
        fileShown(file),
        () => {
          const results = req.verb === 'apply' ? ctx.cluster.apply(text, opts) : ctx.cluster.create(text, opts);
          ctx.onApplied?.(file, text, results);
          objects += results.length;
          return results;
        },
        req.dryRun,
      ),
    );
  }
  const result = concat(out);
  // Files that hold no object at all (empty, or only comments and `---`): kubectl's refusal.
  if (objects === 0 && result.exitCode === 0) return fail(`error: no objects passed to ${req.verb}`);
  return result;
}

/** A file as kubectl names it in its messages: standard input (`-f -`) is STDIN. */
function fileShown(file: string): string {
  return file === '-' ? 'STDIN' : file;
}

/**
 * One file's change, reported as kubectl reports it. A file that cannot be read as a manifest is
 * named, and the other files of a directory are still changed: kubectl goes on after an error.
 */
function fileChange(file: string, change: () => readonly ObjectResult[], dryRun: 'none' | 'client' | 'server'): CommandResult {
  try {
    return report(change(), { suffix: dryRunSuffix(dryRun), file });
  } catch (e) {
    if (!isSimError(e)) throw e;
    return fail(`error: ${manifestFileError(file, e)}`);
  }
}

function dryRunSuffix(mode: 'none' | 'client' | 'server'): string {
  return mode === 'none' ? '' : ` (${mode} dry run)`;
}

function deleteObjects(ctx: CliContext, req: DeleteRequest): CommandResult {
  const opts = { dryRun: req.dryRun !== 'none', ...(req.namespaceGiven ? { namespace: req.namespace } : {}) };
  const files = req.files.flatMap((f) => manifestFilesOf(ctx, f));
  if (req.files.length > 0 && files.length === 0) return fail('error: no objects passed to delete');
  if (req.files.length > 0 && req.dryRun === 'server') {
    return concat(
      req.files.map((file) =>
        dryRunReport(ctx.cluster, { delete: readManifests(ctx, file), file, ...(req.namespaceGiven ? { namespace: req.namespace } : {}) }),
      ),
    );
  }
  if (req.files.length > 0)
    return concat(files.map((f) => fileChange(f, () => ctx.cluster.delete(readManifest(ctx, f), opts), req.dryRun)));
  const outputs: CommandResult[] = [];
  const missing: string[] = [];
  for (const target of req.targets) {
    const ns = req.allNamespaces ? undefined : req.namespace;
    const candidates = matching(ctx.cluster, target.type, ns, req.selector);
    const names =
      target.names.length > 0 ? target.names : req.all || req.selector !== undefined ? candidates.map((o) => o.metadata.name) : [];
    for (const name of names) {
      const obj =
        candidates.find((o) => o.metadata.name === name) ??
        (target.names.length > 0 ? undefined : candidates.find((o) => o.metadata.name === name));
      if (obj === undefined) {
        if (!req.ignoreNotFound) missing.push(notFoundMessage(target.type, name));
        continue;
      }
      const namespace = obj.metadata.namespace;
      if (!k8s.KINDS[target.type.kind].stored) outputs.push(deleteDerived(ctx.cluster, target.type, obj, dryRunSuffix(req.dryRun)));
      else
        outputs.push(
          report(ctx.cluster.delete(refOf(target.type, name, namespace), { dryRun: req.dryRun !== 'none' }), {
            suffix: dryRunSuffix(req.dryRun),
          }),
        );
    }
  }
  if (outputs.length === 0 && missing.length === 0) return { stdout: '', stderr: 'No resources found\n', exitCode: 0 };
  const r = concat(outputs);
  return { stdout: r.stdout, stderr: r.stderr + missing.map((m) => `${m}\n`).join(''), exitCode: missing.length > 0 ? 1 : r.exitCode };
}

/**
 * The object a command names. A derived kind (`kubectl delete cep x`) is passed on as it is:
 * core checks every reference at run time and answers with the kinds that can be changed.
 */
function refOf(type: ResourceType, name: string, namespace: string | undefined): ObjectRef {
  return { kind: type.kind as Kind, name, ...(namespace === undefined ? {} : { namespace }) };
}

function matching(cluster: Cluster, type: ResourceType, ns: string | undefined, selector: string | undefined): KubeObject[] {
  return matchingLabels(listObjectsOf(cluster, type, ns), selector);
}

function get(cluster: Cluster, req: GetRequest): CommandResult {
  const results: GetResult[] = [];
  let missing = '';
  for (const target of req.targets) {
    const labelled = matching(cluster, target.type, req.allNamespaces ? undefined : req.namespace, req.selector);
    const all =
      req.fieldSelector === undefined ? labelled : matchingFields(labelled, parseFieldSelector(req.fieldSelector, target.type.kind));
    if (target.names.length === 0) {
      results.push({ type: target.type, objects: all });
      continue;
    }
    const found: KubeObject[] = [];
    for (const name of target.names) {
      const obj = all.find((o) => o.metadata.name === name);
      if (obj === undefined) missing += `${notFoundMessage(target.type, name)}\n`;
      else found.push(obj);
    }
    results.push({ type: target.type, objects: found });
  }
  const printed = formatGet(req, results, { nowMs: cluster.now().epochMs, ciliumVersion: cluster.options.ciliumVersion });
  if (missing === '') return printed;
  const anyFound = results.some((r) => r.objects.length > 0);
  return { stdout: anyFound ? printed.stdout : '', stderr: missing, exitCode: 1 };
}

function label(cluster: Cluster, req: LabelRequest): CommandResult {
  const changes: Record<string, string | null> = { ...req.set };
  for (const k of req.remove) changes[k] = null;
  const results: ObjectResult[] = [];
  for (const target of req.targets) {
    if (!k8s.KINDS[target.type.kind].stored) return labelDerived(target.type, req.verb);
    const objs = matching(cluster, target.type, req.allNamespaces ? undefined : req.namespace, req.selector);
    const names = target.names.length > 0 ? target.names : objs.map((o) => o.metadata.name);
    for (const name of names) {
      const ns = target.type.namespaced ? req.namespace : undefined;
      const ref = refOf(target.type, name, ns);
      results.push(req.verb === 'label' ? cluster.label(ref, changes, req.overwrite) : cluster.annotate(ref, changes, req.overwrite));
    }
  }
  // kubectl refuses to change a label's (or an annotation's) value without --overwrite, and names the flag.
  return report(results, { errorLine: (e) => (e.reason === 'Conflict' ? `${errorLine(e)}, and --overwrite is false` : errorLine(e)) });
}

function scale(cluster: Cluster, req: ScaleRequest): CommandResult {
  const results = req.targets.flatMap((t) => t.names.map((name) => cluster.scale(refOf(t.type, name, req.namespace), req.replicas)));
  return report(results);
}

function run(cluster: Cluster, req: RunRequest): CommandResult {
  const labels = Object.keys(req.labels).length > 0 ? { labels: req.labels } : {};
  return report(
    [cluster.run(req.name, req.image, { namespace: req.namespace, ...labels, ...(req.port === undefined ? {} : { port: req.port }) })],
    { errorLine: (e) => runErrorLine(e, req) },
  );
}

/**
 * kubectl run sends a Pod, so a bad name or port comes back as the API server's Invalid status
 * about that Pod (`The Pod "x" is invalid: ...`), with the field the port went to.
 */
function runErrorLine(e: SimError, req: RunRequest): string {
  const issue = e.issues[0];
  const head = `The Pod ${JSON.stringify(req.name)} is invalid: `;
  if (e.ref === undefined && issue?.path === 'metadata.name') return `${head}metadata.name: ${issue.message}`;
  if (issue?.path === '--port')
    return `${head}spec.containers[0].ports[0].containerPort: Invalid value: ${req.port}: must be between 1 and 65535, inclusive`;
  return errorLine(e);
}

/** Agent pods log what their node's Cilium agent logged; other containers log nothing here. */
function logs(cluster: Cluster, req: LogsRequest): CommandResult {
  const pods =
    req.pod !== undefined
      ? [resolveExecPod(cluster, { pod: req.pod, namespace: req.namespace })].filter((p) => p !== undefined)
      : matchingLabels(cluster.list('Pod', req.namespace) as unknown as KubeObject[], req.selector).map(
          (o) => cluster.get('Pod', o.metadata.name, req.namespace)!,
        );
  if (req.pod !== undefined && pods.length === 0) return fail(notFoundMessage(req.pod.type, req.pod.name));
  const format = behaviourIn(cluster.options.ciliumVersion, 'agent-log-slog') ? 'slog' : 'logrus';
  let out = '';
  for (const pod of pods) {
    // The API server's LogLocation refuses a container the pod does not have.
    if (req.container !== undefined && !pod.spec.containers.some((c) => c.name === req.container))
      return fail(`Error from server (BadRequest): container ${req.container} is not valid for pod ${pod.metadata.name}`, 1, out);
    if (pod.metadata.labels['k8s-app'] !== 'cilium' || pod.spec.nodeName === undefined) continue;
    let lines = cluster.inspect.agentLog(pod.spec.nodeName);
    if (req.sinceNs !== undefined) lines = lines.filter((l) => l.atEpochMs >= cluster.now().epochMs - req.sinceNs! / 1e6);
    if (req.sinceEpochMs !== undefined) lines = lines.filter((l) => l.atEpochMs >= req.sinceEpochMs!);
    if (req.tail >= 0) lines = lines.slice(Math.max(0, lines.length - req.tail));
    for (const l of lines) {
      const stamp = req.timestamps ? `${new Date(l.atEpochMs).toISOString().replace('Z', '000000Z')} ` : '';
      const prefix = req.prefix ? `[pod/${pod.metadata.name}/cilium-agent] ` : '';
      out += `${prefix}${stamp}${formatLogLine(l, format)}\n`;
    }
  }
  return ok(out);
}

function exec(ctx: CliContext, req: ExecRequest, io: CommandIo): CommandResult {
  const cluster = ctx.cluster;
  const pod = resolveExecPod(cluster, req);
  if (pod === undefined) return fail(notFoundMessage(req.pod.type, req.pod.name));
  if (req.container !== undefined && !pod.spec.containers.some((c) => c.name === req.container)) {
    return fail(`error: unable to upgrade connection: container not found (${JSON.stringify(req.container)})`);
  }
  const refused = execRefusal(pod, req.container);
  if (refused !== undefined) return fail(refused);
  const program = req.command[0] ?? '';
  // The agent image ships cilium-dbg from 1.15; before, its debug CLI is `cilium`.
  const oldAgent = pod.metadata.labels['k8s-app'] === 'cilium' && !behaviourIn(cluster.options.ciliumVersion, 'cilium-dbg-binary');
  if (oldAgent && program.split('/').pop() === 'cilium-dbg') return execNotFound(program);
  return formatExecResult(runInPod(ctx, pod, req, io));
}

/** `POD`, `pod/POD`, `ds/cilium` (one of its pods), `deploy/NAME` (its first pod). */
function resolveExecPod(
  cluster: Cluster,
  req: Pick<ExecRequest, 'pod' | 'namespace'>,
): (ReturnType<Cluster['get']> & { kind: 'Pod' }) | undefined {
  const ns = req.namespace;
  const { kind } = req.pod.type;
  const name = req.pod.name;
  if (kind === 'Pod') return cluster.get('Pod', name, ns);
  // The workload must exist; its pods are those its controller owns (a Deployment's through its
  // ReplicaSet, named `<deployment>-<pod-template-hash>`), not those of a workload whose name it prefixes.
  if ((kind === 'DaemonSet' || kind === 'StatefulSet' || kind === 'Deployment') && cluster.get(kind, name, ns) === undefined)
    return undefined;
  const owns = (o: { kind: string; name: string }, pod: { metadata: { labels: Readonly<Record<string, string>> } }): boolean =>
    kind === 'Deployment'
      ? o.kind === 'ReplicaSet' && o.name === `${name}-${pod.metadata.labels['pod-template-hash'] ?? ''}`
      : o.kind === kind && o.name === name;
  return cluster.list('Pod', ns).find((p) => p.metadata.ownerReferences?.some((o) => owns(o, p)));
}

function concat(results: readonly CommandResult[]): CommandResult {
  return {
    stdout: results.map((r) => r.stdout).join(''),
    stderr: results.map((r) => r.stderr).join(''),
    exitCode: results.reduce((code, r) => (r.exitCode !== 0 ? r.exitCode : code), 0),
  };
}
