// The connectivity corpus runs small scenarios through the real cluster: Cluster.create, apply,
// then probes with nc from pods, node hosts and outside clients. Each case is a list of steps
// (apply, delete, relabel, probe) and expected verdicts derived from Kubernetes and Cilium
// semantics. SCTP has no client tool in the sandbox, so an SCTP probe injects one INIT-like
// packet through the datapath and reads Hubble: delivered (to-endpoint) or dropped.
import { expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import type { WorkloadExec } from '../../src/cluster/podExec.ts';
import type { Flow } from '../../src/hubble/flow.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

/** `ok`: connected / echo came back; `blocked`: no answer (policy drop); `refused`: RST. */
export type Verdict = 'ok' | 'blocked' | 'refused';
/** `DNS`: an nslookup of kubernetes.default against the target as server (UDP 53). */
export type Proto = 'TCP' | 'UDP' | 'SCTP' | 'DNS';

/**
 * A probe. `from`: `ns/pod`, `host:NODE` (docker exec) or `outside:IP`. `to`: `ns/pod` (its IP),
 * an IP address, or a DNS name (resolved by the client through CoreDNS).
 */
export interface Probe {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly proto?: Proto;
  readonly expect: Verdict;
}

export type Step =
  | { readonly apply: string }
  | { readonly delete: string }
  | {
      readonly label: {
        readonly kind: 'Pod' | 'Namespace';
        readonly name: string;
        readonly namespace?: string;
        readonly labels: Readonly<Record<string, string | null>>;
      };
    }
  | { readonly probes: readonly Probe[] };

export interface CorpusCase {
  readonly name: string;
  /** The upstream test, recipe or doc the case models. */
  readonly cite: string;
  /** Extra objects applied before the steps, after the base fixture. */
  readonly setup?: string;
  /** The base fixture; default `xyz`. */
  readonly base?: 'xyz' | 'none';
  readonly steps: readonly Step[];
  readonly externalHosts?: Readonly<Record<string, string>>;
}

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;
/** Pods of the base fixture are pinned to nodes, so host / remote-node cases are stable. */
const NODE_OF: Readonly<Record<string, string>> = { a: 'kind-worker', b: 'kind-worker2', c: 'kind-worker' };

/**
 * The upstream network policy tests' model: namespaces x, y, z (labelled `ns=<name>` besides
 * `kubernetes.io/metadata.name`), pods a, b, c in each, labelled `pod=<name>`, serving 80 and 81
 * over TCP, UDP and SCTP with named ports `serve-<port>-<proto>`.
 */
export function xyzFixture(): string {
  const docs: string[] = [];
  for (const ns of NAMESPACES) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: { ns: ${ns} }`);
  }
  for (const ns of NAMESPACES) {
    for (const pod of PODS) docs.push(podYaml(ns, pod, { pod }, NODE_OF[pod]!));
  }
  return docs.join('\n---\n');
}

/** A pod serving 80/81 on TCP, UDP and SCTP, optionally with a pinned IP. */
export function podYaml(ns: string, name: string, labels: Readonly<Record<string, string>>, node?: string, podIP?: string): string {
  const ports = [80, 81].flatMap((port) =>
    (['TCP', 'UDP', 'SCTP'] as const).map(
      (proto) => `      - { name: serve-${port}-${proto.toLowerCase()}, containerPort: ${port}, protocol: ${proto} }`,
    ),
  );
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    `  labels: { ${Object.entries(labels)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')} }`,
    'spec:',
    ...(node === undefined ? [] : [`  nodeName: ${node}`]),
    '  containers:',
    '    - name: cont',
    '      image: registry.k8s.io/e2e-test-images/agnhost:2.52',
    '      ports:',
    ...ports,
    ...(podIP === undefined ? [] : ['status:', `  podIP: ${podIP}`]),
  ].join('\n');
}

function applyAll(cluster: Cluster, yaml: string, what: string): void {
  for (const r of cluster.apply(yaml)) {
    if (!r.ok) throw new Error(`${what}: ${r.error.message}`);
  }
}

function sourceExec(cluster: Cluster, from: string): WorkloadExec {
  if (from.startsWith('host:')) return cluster.host(from.slice('host:'.length));
  if (from.startsWith('outside:')) return cluster.outside(from.slice('outside:'.length));
  return cluster.exec(from);
}

function targetAddress(cluster: Cluster, to: string): string {
  const slash = to.indexOf('/');
  if (slash === -1 || /^\d/.test(to)) return to;
  const pod = cluster.get('Pod', to.slice(slash + 1), to.slice(0, slash));
  const ip = pod?.status.podIP;
  if (ip === undefined) throw new Error(`probe target ${to} has no pod IP`);
  return ip;
}

/** Runs one probe through the real datapath and classifies the outcome. */
export function runProbe(cluster: Cluster, probe: Probe): Verdict {
  const proto = probe.proto ?? 'TCP';
  const host = targetAddress(cluster, probe.to);
  if (proto === 'SCTP') return sctpProbe(cluster, probe.from, host, probe.port);
  if (proto === 'DNS') {
    const answer = sourceExec(cluster, probe.from).nslookup('kubernetes.default.svc.cluster.local', host);
    return answer.ok ? 'ok' : answer.rcode === 'timeout' ? 'blocked' : 'refused';
  }
  const r = sourceExec(cluster, probe.from).nc({ host, port: probe.port, udp: proto === 'UDP', timeoutS: 1 });
  if (r.ok) return 'ok';
  return r.reason === 'refused' ? 'refused' : 'blocked';
}

let sctpPort = 40000;

function sctpProbe(cluster: Cluster, from: string, dstIp: string, port: number): Verdict {
  const src = sourceExec(cluster, from);
  const stack = runtimeOf(cluster).network.stack(src.ip);
  if (stack === undefined) throw new Error(`no stack for ${from}`);
  // Loopback never reaches Cilium's programs, so there is no flow to read: it is delivered.
  if (src.ip === dstIp) return 'ok';
  const sport = sctpPort++;
  const seen: Flow[] = [];
  const off = cluster.on('flow', (f) => {
    if (f.l4 !== undefined && 'SCTP' in f.l4 && f.l4.SCTP.source_port === sport) seen.push(f);
  });
  stack.send({ proto: 'SCTP', srcIp: src.ip, dstIp, sport, dport: port, flags: {} });
  cluster.advance('1s');
  off();
  if (seen.some((f) => f.verdict === 'DROPPED')) return 'blocked';
  return seen.some((f) => f.trace_observation_point === 'TO_ENDPOINT') || runtimeOf(cluster).network.stack(dstIp)?.kind !== 'pod'
    ? 'ok'
    : 'blocked';
}

export function probeLabel(p: Probe): string {
  return `${p.from} -> ${p.to}:${p.port}/${p.proto ?? 'TCP'}`;
}

/** Builds the cluster of a case and runs its steps; returns every probe's expected and actual verdicts. */
export function runCase(c: CorpusCase): { expected: string[]; actual: string[] } {
  const cluster = Cluster.create({
    seed: 1,
    mutualAuth: false,
    ...(c.externalHosts === undefined ? {} : { externalHosts: c.externalHosts }),
  });
  if ((c.base ?? 'xyz') === 'xyz') applyAll(cluster, xyzFixture(), 'base fixture');
  if (c.setup !== undefined) applyAll(cluster, c.setup, 'setup');
  const expected: string[] = [];
  const actual: string[] = [];
  c.steps.forEach((step, i) => {
    if ('apply' in step) applyAll(cluster, step.apply, `step ${i}`);
    else if ('delete' in step) cluster.delete(step.delete);
    else if ('label' in step) {
      const l = step.label;
      cluster.label({ kind: l.kind, name: l.name, ...(l.namespace === undefined ? {} : { namespace: l.namespace }) }, l.labels, true);
    } else {
      for (const p of step.probes) {
        expected.push(`[${i}] ${probeLabel(p)} ${p.expect}`);
        actual.push(`[${i}] ${probeLabel(p)} ${runProbe(cluster, p)}`);
      }
    }
  });
  return { expected, actual };
}

/** One `it` per case, named after it; a failure shows every probe's expected and actual verdict. */
export function corpus(cases: readonly CorpusCase[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const { expected, actual } = runCase(c);
      expect(actual).toEqual(expected);
    });
  }
}

/**
 * The full reachability matrix from every pod of the fixture to one port, as the upstream
 * tests print it: `allowed` says which `from -> to` pairs connect; everything else is blocked.
 * A pod reaching its own IP always connects: the packets stay on the pod's loopback and no
 * Cilium program sees them (upstream ignores the diagonal for the same reason).
 */
export function matrix(
  port: number,
  proto: Proto,
  allowed: (from: string, to: string) => boolean,
  targets: readonly string[] = allPods(),
): Probe[] {
  const out: Probe[] = [];
  for (const from of allPods()) {
    for (const to of targets) out.push({ from, to, port, proto, expect: from === to || allowed(from, to) ? 'ok' : 'blocked' });
  }
  return out;
}

export function allPods(): string[] {
  return NAMESPACES.flatMap((ns) => PODS.map((p) => `${ns}/${p}`));
}
