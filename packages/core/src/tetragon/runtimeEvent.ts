/**
 * Tetragon's runtime events as data, with the fields of its API (api/v1/tetragon/tetragon.proto,
 * v1.1): a process started (`process_exec`), a process ended (`process_exit`), and a kprobe hit
 * (`process_kprobe`; here `tcp_connect`, what Tetragon's "connect" tracing policy reports when a
 * process opens a TCP connection). Field names are the proto's in camelCase; `eventToJson`
 * gives them back as Tetragon's JSON export spells them.
 */

/** The container image, as the kubelet reports it in the pod's container status. */
export interface ContainerImage {
  /** Registry path and digest: `docker.io/cilium/json-mock@sha256:...`. */
  readonly id: string;
  /** Registry path and tag: `docker.io/cilium/json-mock:v1.3.8`. */
  readonly name: string;
}

export interface ContainerInfo {
  /** `containerd://` and 64 hex digits. */
  readonly id: string;
  readonly name: string;
  readonly image: ContainerImage;
  /** When the container started (its status' `startedAt`), RFC 3339. */
  readonly startTime: string;
  /** The process ID inside the container's PID namespace. */
  readonly pid: number;
}

/** The Kubernetes pod a process runs in, as Tetragon's pod watcher describes it. */
export interface PodInfo {
  readonly namespace: string;
  readonly name: string;
  readonly container: ContainerInfo;
  readonly podLabels: Readonly<Record<string, string>>;
  /** The controller's name (a Deployment's, not its ReplicaSet's), or the pod's own name. */
  readonly workload: string;
  /** `Deployment`, `DaemonSet`, `StatefulSet`, `ReplicaSet`, or `Pod` for a pod without controller. */
  readonly workloadKind: string;
}

/** One process as Tetragon's process cache knows it. */
export interface ProcessInfo {
  /** Unique across the cluster and over time: base64 of `NODE:KTIME:PID`. */
  readonly execId: string;
  /** PID in the host's PID namespace. */
  readonly pid: number;
  readonly uid: number;
  readonly cwd: string;
  /** Absolute path of the executed binary: `/usr/bin/curl`. */
  readonly binary: string;
  /** The arguments after the binary, joined as Tetragon joins them (an argument with a space is quoted). */
  readonly arguments: string;
  /** The argument vector as executed, binary name first. */
  readonly argv: readonly string[];
  /** Tetragon's debugging flags: `execve rootcwd clone`. */
  readonly flags: string;
  /** When the process started, RFC 3339 with nanoseconds. */
  readonly startTime: string;
  readonly auid: number;
  /** The pod, for a process in a container; undefined for one on the node itself. */
  readonly pod: PodInfo | undefined;
  /** The container ID's first 31 hex digits, for a process in a container. */
  readonly docker: string | undefined;
  readonly parentExecId: string;
  readonly tid: number;
}

/** The socket of a `tcp_connect` kprobe (Tetragon's KprobeSock). */
export interface SockArg {
  readonly family: 'AF_INET';
  readonly type: 'SOCK_STREAM';
  readonly protocol: 'IPPROTO_TCP';
  readonly saddr: string;
  readonly daddr: string;
  readonly sport: number;
  readonly dport: number;
  /** The kernel's socket cookie, a 64-bit number in decimal. */
  readonly cookie: string;
  readonly state: 'TCP_SYN_SENT';
}

interface RuntimeEventBase {
  /** The node whose Tetragon agent observed the event. */
  readonly nodeName: string;
  /** RFC 3339 with nanoseconds, as Tetragon stamps events. */
  readonly time: string;
  /** Virtual nanoseconds since the cluster started, for ordering and joins with flows. */
  readonly timeNs: number;
  readonly process: ProcessInfo;
  /** The immediate parent (the container runtime's shim for a command `kubectl exec` starts). */
  readonly parent: ProcessInfo | undefined;
}

export interface ProcessExecEvent extends RuntimeEventBase {
  readonly type: 'process_exec';
}

export interface ProcessExitEvent extends RuntimeEventBase {
  readonly type: 'process_exit';
  /** The exit status (0 when a signal ended the process). */
  readonly status: number;
  /** `SIGKILL`, `SIGTERM`, ... when a signal ended the process. */
  readonly signal: string | undefined;
}

export interface ProcessKprobeEvent extends RuntimeEventBase {
  readonly type: 'process_kprobe';
  readonly functionName: 'tcp_connect';
  readonly sock: SockArg;
  /** The tracing policy that placed the kprobe. */
  readonly policyName: string;
  readonly action: 'KPROBE_ACTION_POST';
}

export type RuntimeEvent = ProcessExecEvent | ProcessExitEvent | ProcessKprobeEvent;

/** Tetragon's event type names (its EventType enum), as `tetra getevents --event-types` takes them. */
export const RUNTIME_EVENT_TYPES = {
  process_exec: 'PROCESS_EXEC',
  process_exit: 'PROCESS_EXIT',
  process_kprobe: 'PROCESS_KPROBE',
} as const;
export type RuntimeEventTypeName = (typeof RUNTIME_EVENT_TYPES)[keyof typeof RUNTIME_EVENT_TYPES];
