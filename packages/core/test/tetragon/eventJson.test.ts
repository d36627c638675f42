// Tetragon's JSON export of the simulated events: the proto's field names, in field-number order,
// as `tetra getevents -o json` and the export-stdout log print them.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { eventToJson } from '../../src/tetragon/eventJson.ts';
import { manifest } from '../toolkit/starWars.ts';

function events() {
  const cluster = Cluster.create({ seed: 1, tetragon: true });
  cluster.apply(manifest('http-sw-app.yaml'));
  cluster.apply(manifest('sw_l3_l4_policy.yaml'));
  cluster.exec('default/xwing').curl({ url: 'http://deathstar/v1/request-landing', method: 'POST', connectTimeoutMs: 1000 });
  return cluster.inspect.runtimeEvents({ allowList: [{ podRegex: ['xwing'] }] });
}

/** Every key path of a JSON value, in order: `process_exec.process.pod.container.id`. */
function keyPaths(v: unknown, prefix = ''): string[] {
  if (typeof v !== 'object' || v === null) return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => keyPaths(x, `${prefix}[${i}]`));
  return Object.entries(v).flatMap(([k, x]) => {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    return [path, ...keyPaths(x, path)];
  });
}

describe("Tetragon's JSON export", () => {
  it('writes a process_exec with the process, its parent, the node and the time', () => {
    const [exec] = events();

    const json = eventToJson(exec!) as Record<string, Record<string, Record<string, unknown>>>;

    expect(Object.keys(json)).toEqual(['process_exec', 'node_name', 'time']);
    expect(Object.keys(json['process_exec']!)).toEqual(['process', 'parent']);
    expect(keyPaths(json['process_exec']!['process']).filter((k) => !k.startsWith('pod.pod_labels.'))).toEqual([
      'exec_id',
      'pid',
      'uid',
      'cwd',
      'binary',
      'arguments',
      'flags',
      'start_time',
      'auid',
      'pod',
      'pod.namespace',
      'pod.name',
      'pod.container',
      'pod.container.id',
      'pod.container.name',
      'pod.container.image',
      'pod.container.image.id',
      'pod.container.image.name',
      'pod.container.start_time',
      'pod.container.pid',
      'pod.pod_labels',
      'pod.workload',
      'pod.workload_kind',
      'docker',
      'parent_exec_id',
      'tid',
    ]);
    const process = json['process_exec']!['process']!;
    expect(process['binary']).toBe('/usr/bin/curl');
    expect(process['arguments']).toBe('-X POST --connect-timeout 1 http://deathstar/v1/request-landing');
    expect(process['uid']).toBe(0);
    expect(atob(String(process['exec_id']))).toMatch(/^kind-worker2?:\d+:\d+$/);
    expect(atob(String(process['exec_id'])).split(':')[2]).toBe(String(process['pid']));
  });

  it('writes the exit status and the connected socket under their proto names', () => {
    const [, connect, exit] = events();

    const kprobe = (eventToJson(connect!) as Record<string, Record<string, unknown>>)['process_kprobe']!;
    const end = (eventToJson(exit!) as Record<string, Record<string, unknown>>)['process_exit']!;

    expect(Object.keys(kprobe)).toEqual(['process', 'parent', 'function_name', 'args', 'action', 'policy_name']);
    expect([kprobe['function_name'], kprobe['action'], kprobe['policy_name']]).toEqual(['tcp_connect', 'KPROBE_ACTION_POST', 'connect']);
    const sock = (kprobe['args'] as { sock_arg: Record<string, unknown> }[])[0]!.sock_arg;
    expect(Object.keys(sock)).toEqual(['family', 'type', 'protocol', 'saddr', 'daddr', 'sport', 'dport', 'cookie', 'state']);
    expect(sock).toMatchObject({ family: 'AF_INET', type: 'SOCK_STREAM', protocol: 'IPPROTO_TCP', dport: 80, state: 'TCP_SYN_SENT' });
    expect(typeof sock['cookie']).toBe('string');
    expect(Object.keys(end)).toEqual(['process', 'parent', 'status', 'time']);
    expect(end['status']).toBe(28);
  });

  it('leaves out a zero status, as protojson leaves out zero values', () => {
    const cluster = Cluster.create({ seed: 1, tetragon: true });
    cluster.host('kind-worker').nslookup('kubernetes.default');

    const exit = cluster.inspect.runtimeEvents({ allowList: [{ eventSet: ['PROCESS_EXIT'] }] })[0]!;
    const end = (eventToJson(exit) as Record<string, Record<string, unknown>>)['process_exit']!;

    expect(Object.keys(end)).toEqual(['process', 'time']);
    expect(Object.keys(end['process'] as object)).not.toContain('pod');
  });
});
