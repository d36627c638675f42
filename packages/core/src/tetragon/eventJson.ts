import type { Json } from '../hubble/flowJson.ts';
import type { PodInfo, ProcessInfo, RuntimeEvent } from './runtimeEvent.ts';

/**
 * An event as Tetragon's JSON export writes it (`tetra getevents -o json`, the `export-stdout`
 * log): a `GetEventsResponse` through protojson with the proto's field names. Fields come in
 * field-number order; empty strings, zero numbers and empty maps are left out, except the
 * numbers the proto wraps (`pid`, `uid`, `auid`, `tid`), which appear even when 0.
 *
 * @example JSON.stringify(eventToJson(e)) // {"process_exec":{"process":{...},"parent":{...}},"node_name":"kind-worker","time":"..."}
 */
export function eventToJson(e: RuntimeEvent): Json {
  const head = { process: processJson(e.process), ...(e.parent === undefined ? {} : { parent: processJson(e.parent) }) };
  let body: Json;
  switch (e.type) {
    case 'process_exec':
      body = { process_exec: head };
      break;
    case 'process_exit':
      body = {
        process_exit: {
          ...head,
          ...(e.signal === undefined ? {} : { signal: e.signal }),
          ...(e.status === 0 ? {} : { status: e.status }),
          time: e.time,
        },
      };
      break;
    case 'process_kprobe': {
      const s = e.sock;
      const sock = {
        family: s.family,
        type: s.type,
        protocol: s.protocol,
        saddr: s.saddr,
        daddr: s.daddr,
        sport: s.sport,
        dport: s.dport,
        cookie: s.cookie,
        state: s.state,
      };
      body = {
        process_kprobe: { ...head, function_name: e.functionName, args: [{ sock_arg: sock }], action: e.action, policy_name: e.policyName },
      };
      break;
    }
  }
  return { ...body, node_name: e.nodeName, time: e.time };
}

function processJson(p: ProcessInfo): Json {
  return {
    exec_id: p.execId,
    pid: p.pid,
    uid: p.uid,
    cwd: p.cwd,
    binary: p.binary,
    ...(p.arguments === '' ? {} : { arguments: p.arguments }),
    flags: p.flags,
    start_time: p.startTime,
    auid: p.auid,
    ...(p.pod === undefined ? {} : { pod: podJson(p.pod) }),
    ...(p.docker === undefined ? {} : { docker: p.docker }),
    ...(p.parentExecId === '' ? {} : { parent_exec_id: p.parentExecId }),
    tid: p.tid,
  };
}

function podJson(pod: PodInfo): Json {
  const labels = Object.keys(pod.podLabels).sort();
  const c = pod.container;
  return {
    namespace: pod.namespace,
    name: pod.name,
    container: {
      id: c.id,
      name: c.name,
      image: { id: c.image.id, name: c.image.name },
      start_time: c.startTime,
      pid: c.pid,
    },
    ...(labels.length === 0 ? {} : { pod_labels: Object.fromEntries(labels.map((k) => [k, pod.podLabels[k]!])) }),
    workload: pod.workload,
    workload_kind: pod.workloadKind,
  };
}
