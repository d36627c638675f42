import { flowTimeAt } from '../hubble/flowTime.ts';
import type { Clock } from '../sim/clock.ts';
import type { Rng } from '../sim/rng.ts';
import { encodeBase64 } from '../base64.ts';
import { binaryPath, tetragonArguments } from './binaryPath.ts';
import type { PodContext } from './podInfo.ts';
import type { PodInfo, ProcessInfo } from './runtimeEvent.ts';

/** How long each node had been up when the cluster's clock started (kind made the nodes first). */
const UPTIME_AT_START_NS = 12 * 60 * 1_000_000_000;

/** Where a process runs: a node, and the container when it runs in a pod. */
export interface ProcessOrigin {
  readonly node: string;
  readonly pod: PodContext | undefined;
}

const UTF8 = new TextEncoder();

/**
 * One node's process table as Tetragon's process cache holds it: host PIDs handed out in order,
 * each container's own PID namespace, the container runtime's shim that parents what
 * `kubectl exec` starts, and exec IDs (base64 of `NODE:KTIME:PID`, ktime being the node's
 * uptime in nanoseconds).
 */
export class ProcessCache {
  readonly node: string;
  readonly #clock: Clock;
  #nextPid: number;
  readonly #containerPids = new Map<string, number>();
  readonly #shims = new Map<string, ProcessInfo>();
  #lastKtime = 0;

  constructor(node: string, clock: Clock, rng: Rng) {
    this.node = node;
    this.#clock = clock;
    this.#nextPid = rng.int(20_000, 60_000);
  }

  /**
   * The record of `argv` executed now in `origin`. A child forks first (`clone` in its flags, a
   * new PID); with `replace` the caller's process image is replaced (`exec` without fork: same
   * PID, no clone), as `sh -c CMD` does for a single command.
   */
  exec(origin: ProcessOrigin, argv: readonly string[], parent: ProcessInfo | undefined, replace = false): ProcessInfo {
    const nowNs = this.#clock.nowNs;
    // The shim is older than anything it starts, so it takes its PID first.
    const parentInfo = parent ?? (origin.pod === undefined ? undefined : this.#shim(origin.pod));
    const pid = replace && parent !== undefined ? parent.pid : this.#nextPid++;
    const pod = origin.pod === undefined ? undefined : this.#podInfo(origin.pod, replace ? parent?.pod?.container.pid : undefined);
    return Object.freeze({
      execId: this.#execId(this.#ktime(nowNs), pid),
      pid,
      uid: 0,
      cwd: '/',
      binary: binaryPath(argv[0] ?? ''),
      arguments: tetragonArguments(argv.slice(1)),
      argv: Object.freeze([...argv]),
      flags: replace ? 'execve rootcwd' : 'execve rootcwd clone',
      startTime: flowTimeAt(this.#clock, nowNs),
      auid: 4294967295,
      pod,
      docker: origin.pod === undefined ? undefined : origin.pod.containerId.replace(/^[a-z]+:\/\//, '').slice(0, 31),
      parentExecId: parentInfo?.execId ?? '',
      tid: pid,
    });
  }

  /** The shim of a container: what `kubectl exec`'s processes have as their parent. */
  shimOf(pod: PodContext): ProcessInfo {
    return this.#shim(pod);
  }

  #podInfo(ctx: PodContext, samePid: number | undefined): PodInfo {
    let pid = samePid;
    if (pid === undefined) {
      // Each container counts its own PIDs; its main process and a few helpers come first.
      pid = this.#containerPids.get(ctx.containerId) ?? 7;
      this.#containerPids.set(ctx.containerId, pid + 1);
    }
    return Object.freeze({
      namespace: ctx.namespace,
      name: ctx.name,
      container: Object.freeze({
        id: ctx.containerId,
        name: ctx.containerName,
        image: ctx.image,
        startTime: ctx.containerStartTime,
        pid,
      }),
      podLabels: ctx.podLabels,
      workload: ctx.workload,
      workloadKind: ctx.workloadKind,
    });
  }

  #shim(ctx: PodContext): ProcessInfo {
    const known = this.#shims.get(ctx.containerId);
    if (known !== undefined) return known;
    const startedNs = (Date.parse(ctx.containerStartTime) - this.#clock.startMs) * 1_000_000;
    const pid = this.#nextPid++;
    const sandbox = ctx.containerId.replace(/^[a-z]+:\/\//, '');
    const argv = [
      '/usr/local/bin/containerd-shim-runc-v2',
      '-namespace',
      'k8s.io',
      '-id',
      sandbox,
      '-address',
      '/run/containerd/containerd.sock',
    ];
    const shim: ProcessInfo = Object.freeze({
      execId: this.#execId(UPTIME_AT_START_NS + startedNs, pid),
      pid,
      uid: 0,
      cwd: `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${sandbox}`,
      binary: argv[0]!,
      arguments: tetragonArguments(argv.slice(1)),
      argv: Object.freeze(argv),
      flags: 'execve clone',
      startTime: ctx.containerStartTime,
      auid: 4294967295,
      pod: undefined,
      docker: undefined,
      parentExecId: this.#execId(1_000_000_000, 1),
      tid: pid,
    });
    this.#shims.set(ctx.containerId, shim);
    return shim;
  }

  /**
   * The node's uptime at `virtualNs`. Programs a shell starts take no virtual time, yet the
   * kernel's clock has moved by the time each execs: each exec is at least a microsecond after
   * the one before, so exec IDs stay unique (a shell and the command it execs share a PID).
   */
  #ktime(virtualNs: number): number {
    this.#lastKtime = Math.max(UPTIME_AT_START_NS + virtualNs, this.#lastKtime + 1000);
    return this.#lastKtime;
  }

  #execId(ktime: number, pid: number): string {
    return encodeBase64(UTF8.encode(`${this.node}:${ktime}:${pid}`));
  }
}
