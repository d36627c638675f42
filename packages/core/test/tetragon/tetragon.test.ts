// Tetragon's runtime events on a cluster that runs it: the Star Wars demo (manifests read from
// the scenarios package, relative to this file), curls that land and curls the L3/L4 policy drops.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import type { RuntimeEvent } from '../../src/tetragon/runtimeEvent.ts';
import { LATENCY_NS } from '../../src/datapath/datapath.ts';
import { parseFlowTime } from '../../src/hubble/flowTime.ts';
import { manifest } from '../toolkit/starWars.ts';

const LANDING = 'http://deathstar.default.svc.cluster.local/v1/request-landing';

function starWarsWithTetragon(): Cluster {
  const cluster = Cluster.create({ seed: 1, tetragon: true });
  cluster.apply(manifest('http-sw-app.yaml'));
  cluster.apply(manifest('sw_l3_l4_policy.yaml'));
  return cluster;
}

/** Nanoseconds since the epoch's start of the day, enough to compare stamps a second apart. */
function nanos(time: string): number {
  const t = parseFlowTime(time)!;
  return (t.ms % 86_400_000) * 1_000_000 + t.ns;
}

function summary(e: RuntimeEvent): string {
  const where = e.process.pod === undefined ? e.nodeName : `${e.process.pod.namespace}/${e.process.pod.name}`;
  const what =
    e.type === 'process_exec'
      ? e.process.arguments
      : e.type === 'process_exit'
        ? `status ${e.status}`
        : `${e.sock.saddr}:${e.sock.sport} -> ${e.sock.daddr}:${e.sock.dport}`;
  return `${e.type} ${where} ${e.process.binary} ${what}`;
}

describe('Tetragon runtime events', () => {
  it('records the exec, the TCP connect and the exit status of each curl, on the pod node', () => {
    const cluster = starWarsWithTetragon();

    const denied = cluster.exec('default/xwing').spawn(['curl', '-s', '-XPOST', '--connect-timeout', '2', LANDING]);
    const r1 = denied.curl({ url: LANDING, method: 'POST', connectTimeoutMs: 2000 });
    denied.exit(r1.kind === 'error' ? r1.code : 0);
    const landed = cluster.exec('default/tiefighter').spawn(['curl', '-s', '-XPOST', LANDING]);
    const r2 = landed.curl({ url: LANDING, method: 'POST' });
    landed.exit(r2.kind === 'error' ? r2.code : 0);

    const xwingNode = cluster.get('Pod', 'xwing', 'default')?.spec.nodeName;
    const events = cluster.inspect.runtimeEvents({ node: xwingNode ?? '' });
    expect(events.filter((e) => e.process.pod?.name === 'xwing').map(summary)).toEqual([
      `process_exec default/xwing /usr/bin/curl -s -XPOST --connect-timeout 2 ${LANDING}`,
      expect.stringMatching(/^process_kprobe default\/xwing \/usr\/bin\/curl 10\.244\.\d+\.\d+:\d+ -> 10\.244\.\d+\.\d+:80$/),
      'process_exit default/xwing /usr/bin/curl status 28',
    ]);
    const exit = cluster.inspect.runtimeEvents({ allowList: [{ podRegex: ['tiefighter'], eventSet: ['PROCESS_EXIT'] }] });
    expect(exit.map(summary)).toEqual(['process_exit default/tiefighter /usr/bin/curl status 0']);
  });

  it("describes the pod as Tetragon's watcher does: container, image, labels, workload", () => {
    const cluster = starWarsWithTetragon();
    cluster.exec('default/xwing').curl({ url: LANDING, method: 'POST', connectTimeoutMs: 1000 });
    const deathstar = cluster.list('Pod', 'default').find((p) => p.metadata.name.startsWith('deathstar-'))!;
    cluster.exec(`default/${deathstar.metadata.name}`).nslookup('deathstar');

    const [exec] = cluster.inspect.runtimeEvents({ allowList: [{ podRegex: ['^xwing$'] }] });
    const pod = exec?.process.pod;
    expect(pod?.container.name).toBe('spaceship');
    expect(pod?.container.id).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(exec?.process.docker).toBe(pod?.container.id.slice('containerd://'.length, 'containerd://'.length + 31));
    expect(pod?.container.image.name).toMatch(/^quay\.io\/cilium\/json-mock:v1\.3\.8/);
    expect(pod?.podLabels).toEqual({ 'app.kubernetes.io/name': 'xwing', class: 'xwing', org: 'alliance' });
    expect([pod?.workload, pod?.workloadKind]).toEqual(['xwing', 'Pod']);
    expect(exec?.parent?.binary).toBe('/usr/local/bin/containerd-shim-runc-v2');
    expect(exec?.process.parentExecId).toBe(exec?.parent?.execId);
    const [ds] = cluster.inspect.runtimeEvents({ allowList: [{ podRegex: ['^deathstar-'] }] });
    expect([ds?.process.pod?.workload, ds?.process.pod?.workloadKind, ds?.process.binary]).toEqual([
      'deathstar',
      'Deployment',
      '/usr/bin/nslookup',
    ]);
  });

  it('ties each connect to its Hubble flows: same 5-tuple, the SYN right after the connect', () => {
    const cluster = starWarsWithTetragon();
    cluster.exec('default/tiefighter').curl({ url: LANDING, method: 'POST' });
    cluster.exec('default/xwing').curl({ url: LANDING, method: 'POST', connectTimeoutMs: 1000 });

    const connects = cluster.inspect.runtimeEvents({ allowList: [{ eventSet: ['PROCESS_KPROBE'] }] });
    expect(connects).toHaveLength(2);
    for (const c of connects) {
      if (c.type !== 'process_kprobe') throw new Error('not a connect');
      const flows = cluster
        .flows()
        .filter(
          (f) =>
            f.IP?.source === c.sock.saddr &&
            f.IP?.destination === c.sock.daddr &&
            f.l4 !== undefined &&
            'TCP' in f.l4 &&
            f.l4.TCP.source_port === c.sock.sport &&
            f.l4.TCP.destination_port === c.sock.dport,
        );
      expect(flows.length).toBeGreaterThan(0);
      // The SYN's first flow is at the connect (egress enforced) or one hop later, at the server's node.
      const gapNs = nanos(flows[0]!.time) - nanos(c.time);
      expect(gapNs).toBeGreaterThanOrEqual(0);
      expect(gapNs).toBeLessThanOrEqual(LATENCY_NS.crossNode);
      const l4 = flows[0]?.l4;
      expect(l4 !== undefined && 'TCP' in l4 && l4.TCP.flags?.SYN).toBe(true);
    }
    const [xwing] = connects.filter((c) => c.process.pod?.name === 'xwing');
    const verdicts = cluster
      .flows({
        whitelist: [{ sourcePod: ['default/xwing'], destinationPort: [String(xwing?.type === 'process_kprobe' ? xwing.sock.dport : 0)] }],
      })
      .map((f) => f.verdict);
    expect(verdicts).toContain('DROPPED');
  });

  it('runs a shell that execs its lone command in place, and forks for several', () => {
    const cluster = starWarsWithTetragon();
    const xwing = cluster.exec('default/tiefighter');

    const bash = xwing.spawn(['bash', '-c', `curl -s ${LANDING}`]);
    const curl = bash.exec(['curl', '-s', LANDING]);
    curl.exit(0);
    bash.exit(0);
    const sh = xwing.spawn(['sh', '-c', 'nslookup deathstar; nslookup deathstar']);
    for (let i = 0; i < 2; i++) sh.spawn(['nslookup', 'deathstar']).exit(0);
    sh.exit(0);

    const events = cluster.inspect.runtimeEvents({ allowList: [{ podRegex: ['tiefighter'] }] });
    const execs = events.filter((e) => e.type === 'process_exec');
    const [bashExec, curlExec, shExec, ns1, ns2] = execs.map((e) => e.process);
    expect(bashExec?.arguments).toBe(`-c "curl -s ${LANDING}"`);
    expect([curlExec?.pid, curlExec?.flags, curlExec?.parentExecId]).toEqual([bashExec?.pid, 'execve rootcwd', bashExec?.execId]);
    expect(curlExec?.execId).not.toBe(bashExec?.execId);
    expect([ns1?.parentExecId, ns2?.parentExecId]).toEqual([shExec?.execId, shExec?.execId]);
    expect(new Set([shExec?.pid, ns1?.pid, ns2?.pid]).size).toBe(3);
    expect(events.filter((e) => e.type === 'process_exit').map((e) => e.process.binary)).toEqual([
      '/usr/bin/curl',
      '/usr/bin/nslookup',
      '/usr/bin/nslookup',
      '/bin/sh',
    ]);
  });

  it('sees commands on a node as host processes, named by the node', () => {
    const cluster = starWarsWithTetragon();
    cluster.host('kind-worker').curl('http://deathstar.default.svc.cluster.local/v1/');

    const [exec] = cluster.inspect.runtimeEvents({ allowList: [{ namespace: [''] }] });
    expect([exec?.nodeName, exec?.process.pod, exec?.process.binary, exec?.process.arguments]).toEqual([
      'kind-worker',
      undefined,
      '/usr/bin/curl',
      'http://deathstar.default.svc.cluster.local/v1/',
    ]);
  });

  it('announces each event on the cluster bus as it is recorded', () => {
    const cluster = starWarsWithTetragon();
    const seen: string[] = [];
    cluster.on('runtime-event', (e) => seen.push(e.type));

    cluster.exec('default/tiefighter').curl({ url: LANDING, method: 'POST' });

    expect(seen).toEqual(['process_exec', 'process_kprobe', 'process_exit']);
  });

  it('runs as a DaemonSet in kube-system only when asked, naming every other object the same', () => {
    const plain = Cluster.create({ seed: 1 });
    const withTetragon = Cluster.create({ seed: 1, tetragon: true });
    plain.apply(manifest('http-sw-app.yaml'));
    withTetragon.apply(manifest('http-sw-app.yaml'));

    const names = (c: Cluster): string[] => c.list('Pod').map((p) => p.metadata.name);
    const tetragonPods = names(withTetragon).filter((n) => n.startsWith('tetragon-'));
    expect(tetragonPods).toHaveLength(3);
    expect(names(withTetragon).filter((n) => !n.startsWith('tetragon-'))).toEqual(names(plain));
    expect(withTetragon.inspect.objects('DaemonSet', 'kube-system').map((d) => d.metadata.name)).toContain('tetragon');
    expect(plain.inspect.objects('DaemonSet', 'kube-system').map((d) => d.metadata.name)).not.toContain('tetragon');
    expect(() => plain.inspect.runtimeEvents()).toThrow(/Tetragon is not installed/);
  });

  it('refuses a filter whose pattern is not a regular expression', () => {
    const cluster = starWarsWithTetragon();
    expect(() => cluster.inspect.runtimeEvents({ allowList: [{ podRegex: ['(x'] }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_REGEX' }),
    );
  });
});
