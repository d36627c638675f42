import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { type ApiObject, k8s, type Pod } from '@cilium-sim/core';
import { DescribeWriter, type DescribeEvent } from './describeWriter.ts';

/**
 * `kubectl describe pod` as kubectl 1.29 prints it, from the pod the API server serves. The
 * simulator keeps no Event objects, so the events are those the scheduler and kubelet record
 * for a pod that started without trouble, timed from its start.
 */
export function describePod(pod: Pod, nowMs: number): string {
  const w = new DescribeWriter();
  const { metadata: m, spec, status } = pod;
  w.line(0, 'Name:', m.name);
  w.line(0, 'Namespace:', m.namespace ?? '');
  w.line(0, 'Priority:', '0');
  w.line(0, 'Service Account:', spec.serviceAccountName ?? 'default');
  w.line(0, 'Node:', spec.nodeName === undefined ? '<none>' : `${spec.nodeName}/${status.hostIP ?? ''}`);
  if (status.startTime !== undefined) w.line(0, 'Start Time:', rfc1123z(status.startTime));
  w.labels('Labels', m.labels);
  w.annotations('Annotations', m.annotations);
  // kubectl 1.29 says Terminating for any pod marked for deletion, whatever its phase.
  if (m.deletionTimestamp !== undefined) {
    w.line(0, 'Status:', `Terminating (lasts ${k8s.age(m.deletionTimestamp, nowMs)})`);
    w.line(0, 'Termination Grace Period:', `${m.deletionGracePeriodSeconds ?? 0}s`);
  } else w.line(0, 'Status:', status.phase);
  w.line(0, 'IP:', status.podIP ?? '');
  const ips = status.podIPs ?? [];
  if (ips.length === 0) w.line(0, 'IPs:', '<none>');
  else {
    w.line(0, 'IPs:');
    for (const ip of ips) w.line(1, 'IP:', ip.ip);
  }
  const owner = m.ownerReferences?.[0];
  if (owner !== undefined) w.line(0, 'Controlled By:', `${owner.kind}/${owner.name}`);
  w.line(0, 'Containers:');
  for (const c of spec.containers) {
    const s = status.containerStatuses?.find((cs) => cs.name === c.name);
    w.line(1, `${c.name}:`);
    // A container still being created has no ID yet, nor a pulled image's digest.
    const started = s !== undefined && !('waiting' in s.state);
    if (s !== undefined) w.line(2, 'Container ID:', started ? `containerd://${digest(`${m.uid ?? m.name}/${c.name}`)}` : '');
    w.line(2, 'Image:', c.image);
    if (s !== undefined) w.line(2, 'Image ID:', started ? `${c.image.split(/[:@]/)[0]}@sha256:${digest(c.image)}` : '');
    const ports = c.ports ?? [];
    w.line(2, 'Port:', ports.length === 0 ? '<none>' : ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', '));
    w.line(2, 'Host Port:', ports.length === 0 ? '<none>' : ports.map((p) => `0/${p.protocol ?? 'TCP'}`).join(', '));
    for (const [title, words] of [
      ['Command:', c.command],
      ['Args:', c.args],
    ] as const) {
      if (words === undefined || words.length === 0) continue;
      w.line(2, title);
      for (const word of words) w.line(3, word);
    }
    // A container the kubelet has not reported on has no state, readiness or restarts to show.
    if (s !== undefined) {
      if ('running' in s.state) {
        w.line(2, 'State:', 'Running');
        w.line(3, 'Started:', rfc1123z(s.state.running.startedAt));
      } else if ('terminated' in s.state) {
        const t = s.state.terminated;
        w.line(2, 'State:', 'Terminated');
        w.line(3, 'Reason:', t.reason);
        w.line(3, 'Exit Code:', String(t.exitCode));
        w.line(3, 'Started:', rfc1123z(t.startedAt));
        w.line(3, 'Finished:', rfc1123z(t.finishedAt));
      } else {
        w.line(2, 'State:', 'Waiting');
        w.line(3, 'Reason:', s.state.waiting.reason);
      }
      w.line(2, 'Ready:', s.ready ? 'True' : 'False');
      w.line(2, 'Restart Count:', String(s.restartCount));
    }
    w.line(2, 'Environment:', '<none>');
    w.line(2, 'Mounts:', '<none>');
  }
  w.line(0, 'Conditions:');
  w.line(1, 'Type', 'Status');
  for (const c of k8s.objectConditions(pod as unknown as ApiObject)) w.line(1, `${c.type} `, `${c.status} `);
  w.line(0, 'Volumes:', '<none>');
  w.line(0, 'QoS Class:', 'BestEffort');
  w.labels('Node-Selectors', spec.nodeSelector as Record<string, string> | undefined);
  tolerations(w, spec.tolerations ?? []);
  w.events(podEvents(pod, nowMs));
  return w.text();
}

function tolerations(w: DescribeWriter, list: readonly k8s.Toleration[]): void {
  if (list.length === 0) {
    w.line(0, 'Tolerations:', '<none>');
    return;
  }
  list.forEach((t, i) => {
    let text = t.key ?? '';
    if (t.value !== undefined && t.value !== '') text += `=${t.value}`;
    if (t.effect !== undefined) text += `:${t.effect}`;
    if (t.operator === 'Exists' && (t.value ?? '') === '') text += text === '' ? 'op=Exists' : ' op=Exists';
    const seconds = (t as { tolerationSeconds?: number }).tolerationSeconds;
    if (seconds !== undefined) text += ` for ${seconds}s`;
    w.line(0, i === 0 ? 'Tolerations:' : '', text);
  });
}

/** Scheduled, then the kubelet's Pulled, Created and Started for each container. */
function podEvents(pod: Pod, nowMs: number): DescribeEvent[] {
  const started = pod.status.startTime;
  if (started === undefined && pod.spec.nodeName !== undefined && pod.status.containerStatuses !== undefined)
    return sandboxFailed(pod, nowMs);
  if (started === undefined || pod.spec.nodeName === undefined) return [];
  const age = k8s.age(started, nowMs);
  const events: DescribeEvent[] = [
    {
      type: 'Normal',
      reason: 'Scheduled',
      age,
      from: 'default-scheduler',
      message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${pod.spec.nodeName}`,
    },
  ];
  for (const c of pod.spec.containers) {
    events.push(
      { type: 'Normal', reason: 'Pulled', age, from: 'kubelet', message: `Container image "${c.image}" already present on machine` },
      { type: 'Normal', reason: 'Created', age, from: 'kubelet', message: `Created container ${c.name}` },
      { type: 'Normal', reason: 'Started', age, from: 'kubelet', message: `Started container ${c.name}` },
    );
  }
  // The kubelet records stopping each container of a deleted pod it ran.
  const deleted = pod.metadata.deletionTimestamp;
  if (deleted !== undefined && pod.status.phase === 'Succeeded') {
    const since = k8s.age(deleted, nowMs);
    for (const c of pod.spec.containers)
      events.push({ type: 'Normal', reason: 'Killing', age: since, from: 'kubelet', message: `Stopping container ${c.name}` });
  }
  return events;
}

/**
 * A pod bound to a node without a Cilium agent: the kubelet's CNI call cannot reach the agent's
 * socket, so the sandbox is never made (the pod waits in ContainerCreating).
 */
function sandboxFailed(pod: Pod, nowMs: number): DescribeEvent[] {
  const age = k8s.age(pod.metadata.creationTimestamp, nowMs);
  const sandbox = digest(`${pod.metadata.uid}/sandbox`);
  return [
    {
      type: 'Normal',
      reason: 'Scheduled',
      age,
      from: 'default-scheduler',
      message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${pod.spec.nodeName}`,
    },
    {
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      age,
      from: 'kubelet',
      message: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox}": plugin type="cilium-cni" failed (add): unable to connect to Cilium daemon: failed to create cilium agent client after 30.000000 seconds timeout: Get "http:///var/run/cilium/cilium.sock/v1/config": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory`,
    },
  ];
}

/** A stable 64-hex identifier the simulator stands in for a runtime's container and image IDs. */
function digest(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123z(rfc3339: string): string {
  const d = new Date(rfc3339);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
