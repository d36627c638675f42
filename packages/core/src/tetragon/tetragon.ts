import { flowTimeAt } from '../hubble/flowTime.ts';
import { RingBuffer } from '../hubble/ringBuffer.ts';
import type { Clock } from '../sim/clock.ts';
import { hash32, type Rng } from '../sim/rng.ts';
import { ProcessCache, type ProcessOrigin } from './processCache.ts';
import type { ProcessInfo, RuntimeEvent, SockArg } from './runtimeEvent.ts';

/** Runtime events each node keeps for `tetra getevents` and `cluster.inspect.runtimeEvents`. */
export const DEFAULT_RUNTIME_EVENT_CAPACITY = 4096;

/** The tracing policy whose `tcp_connect` kprobe the simulated agents run (Tetragon's example "connect"). */
export const CONNECT_POLICY_NAME = 'connect';

export interface TetragonEnv {
  readonly clock: Clock;
  /** Tetragon's own stream (`rng.fork('tetragon')`): PIDs per node. */
  readonly rng: Rng;
  readonly nodes: readonly string[];
  /** Every event as it is recorded (the cluster's `runtime-event`). */
  readonly emit: (e: RuntimeEvent) => void;
  readonly capacity?: number;
}

/** A process the agents track, from its exec to its exit. */
export interface TracedProcess {
  readonly origin: ProcessOrigin;
  readonly info: ProcessInfo;
  readonly parent: ProcessInfo | undefined;
}

interface Recorded {
  readonly seq: number;
  readonly event: RuntimeEvent;
}

/**
 * Tetragon on every node: each agent sees the processes of its node (those in pods and those on
 * the node itself) and records their exec, the TCP connections they open, and their exit, in a
 * bounded buffer per node. Events are data on the virtual clock, stamped when they happen.
 */
export class Tetragon {
  readonly capacity: number;
  readonly #clock: Clock;
  readonly #emit: (e: RuntimeEvent) => void;
  readonly #caches = new Map<string, ProcessCache>();
  readonly #buffers = new Map<string, RingBuffer<Recorded>>();
  #seq = 0;

  constructor(env: TetragonEnv) {
    this.capacity = env.capacity ?? DEFAULT_RUNTIME_EVENT_CAPACITY;
    this.#clock = env.clock;
    this.#emit = env.emit;
    for (const node of env.nodes) {
      this.#caches.set(node, new ProcessCache(node, env.clock, env.rng.fork(node)));
      this.#buffers.set(node, new RingBuffer<Recorded>(this.capacity));
    }
  }

  /** The nodes Tetragon runs on. */
  get nodes(): readonly string[] {
    return [...this.#buffers.keys()];
  }

  /**
   * `argv` starts in `origin` now: a `process_exec` event. `parent` is the process that forked it
   * (the container runtime's shim when omitted); `replace` execs over `parent` without a fork.
   */
  exec(origin: ProcessOrigin, argv: readonly string[], parent?: TracedProcess, replace = false): TracedProcess {
    const cache = this.#cache(origin.node);
    const info = cache.exec(origin, argv, parent?.info, replace);
    const parentInfo = parent?.info ?? (origin.pod === undefined ? undefined : cache.shimOf(origin.pod));
    const proc: TracedProcess = { origin, info, parent: parentInfo };
    this.#record(proc, { type: 'process_exec' });
    return proc;
  }

  /** `proc` opened a TCP connection (the `tcp_connect` kprobe): the socket as connect() left it. */
  connect(proc: TracedProcess, sock: Pick<SockArg, 'saddr' | 'sport' | 'daddr' | 'dport'>): void {
    this.#record(proc, {
      type: 'process_kprobe',
      functionName: 'tcp_connect',
      sock: Object.freeze({
        family: 'AF_INET',
        type: 'SOCK_STREAM',
        protocol: 'IPPROTO_TCP',
        saddr: sock.saddr,
        daddr: sock.daddr,
        sport: sock.sport,
        dport: sock.dport,
        cookie: socketCookie(proc.info.execId, sock.sport, this.#clock.nowNs),
        state: 'TCP_SYN_SENT',
      }),
      policyName: CONNECT_POLICY_NAME,
      action: 'KPROBE_ACTION_POST',
    });
  }

  /** `proc` ended with `status` (or was killed by `signal`): a `process_exit` event. */
  exit(proc: TracedProcess, status: number, signal?: string): void {
    this.#record(proc, { type: 'process_exit', status: signal === undefined ? status : 0, signal });
  }

  /** The events the agents hold, oldest first; one node's, or every node's merged in time order. */
  events(node?: string): RuntimeEvent[] {
    const buffers = node === undefined ? [...this.#buffers.values()] : [this.#buffers.get(node)].filter((b) => b !== undefined);
    const all = buffers.flatMap((b) => b.toArray());
    all.sort((a, b) => a.event.timeNs - b.event.timeNs || a.seq - b.seq);
    return all.map((r) => r.event);
  }

  /** Events recorded ever, and those a full buffer overwrote, over every node. */
  counts(): { readonly seen: number; readonly lost: number } {
    let seen = 0;
    let lost = 0;
    for (const b of this.#buffers.values()) {
      seen += b.written;
      lost += b.lost;
    }
    return { seen, lost };
  }

  #record(proc: TracedProcess, rest: DistributiveRest): void {
    const nowNs = this.#clock.nowNs;
    const event = Object.freeze({
      ...rest,
      nodeName: proc.origin.node,
      time: flowTimeAt(this.#clock, nowNs),
      timeNs: nowNs,
      process: proc.info,
      parent: proc.parent,
    }) as RuntimeEvent;
    this.#buffers.get(proc.origin.node)?.write({ seq: this.#seq++, event });
    this.#emit(event);
  }

  #cache(node: string): ProcessCache {
    const cache = this.#caches.get(node);
    if (cache === undefined) throw new Error(`invariant violated: Tetragon runs on no node ${node}`);
    return cache;
  }
}

type EventRest<E> = E extends RuntimeEvent ? Omit<E, 'nodeName' | 'time' | 'timeNs' | 'process' | 'parent'> : never;
type DistributiveRest = EventRest<RuntimeEvent>;

/** A kernel socket address as the cookie shows it: a 64-bit decimal, distinct per connection. */
function socketCookie(execId: string, sport: number, nowNs: number): string {
  const slot = BigInt(hash32(`${execId}/${sport}/${nowNs}`));
  return (0xffff8f0000000000n + slot * 64n).toString();
}
