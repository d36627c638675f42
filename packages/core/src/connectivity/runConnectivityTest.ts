import { Cluster } from '../cluster/cluster.ts';
import type { PolicyTrace } from '../datapath/policyTrace.ts';
import { formatIssue, isSimError } from '../errors.ts';
import { flowPorts, type Flow } from '../hubble/flow.ts';
import { type ManifestDocument, parseManifest } from '../k8s/manifest.ts';
import { lintPolicies } from '../lint/lintPolicies.ts';
import type { LintFinding } from '../lint/lintRule.ts';
import type { ClusterOptions } from '../runtime/options.ts';
import { parseCiliumVersion } from '../version/ciliumVersion.ts';
import { CaseError, resolveSource, resolveTarget } from './caseEndpoints.ts';
import { type CaseObservation, casePort, caseProtocol, probeCase } from './caseProbe.ts';
import { connectionFlows, expectationMet, flowProblems, observedExpect } from './caseVerdict.ts';
import type { ConnectivityCase, ConnectivityExpect, ConnectivityFault, ConnectivityTest, ConnectivityTestIssue } from './testFile.ts';

/**
 * Runs a ConnectivityTest: a fresh cluster from its spec (nodes, mutual auth, external names,
 * agent config, seed), its manifests applied as `kubectl apply` does, its faults injected, then
 * every case sent as real traffic through the datapath. Returns the results as data, or the
 * issues that make the test malformed (a refused manifest, a case naming a pod that does not
 * exist). Deterministic: the same test and seed give the same results, flows included.
 */
export interface ConnectivityTestOptions {
  /**
   * Reads a `spec.manifests` entry that is a path (the CLI resolves it against the test file).
   * Without it, only inline manifests are accepted.
   */
  readonly readManifest?: (path: string) => string;
  /** Manifests applied before the test's own, in order (the CLI's PATH arguments that are not tests). */
  readonly shared?: readonly string[];
  /** Cluster options over the test's own (the CLI's --seed, --nodes, --mutual-auth, --external). */
  readonly cluster?: ClusterOptions;
}

export interface ConnectivityCaseResult {
  /** Position in `spec.cases`. */
  readonly index: number;
  /** The case's name, or `FROM -> TO PROTOCOL/PORT [METHOD PATH | dns QUERY | tls SNI]`. */
  readonly name: string;
  readonly case: ConnectivityCase;
  readonly passed: boolean;
  /** Whether `expect` matched what happened; a case can still fail on its `flow` expectations. */
  readonly expectMet: boolean;
  readonly expected: ConnectivityExpect;
  /** What happened, said as an `expect` would say it (`unresolved` when the name does not exist). */
  readonly observed: ConnectivityExpect | 'unresolved';
  readonly observation: CaseObservation;
  /** Why it failed, one sentence each; empty when it passed. */
  readonly problems: readonly string[];
  /** The flows of the case's connection (its DNS lookups too when they decided it). */
  readonly flows: readonly Flow[];
  /** `cilium policy trace` for the packet that decided: which policies select each side, which rule matched or why none did. */
  readonly decision?: PolicyTrace;
  readonly elapsedNs: number;
}

export interface ConnectivityTestResult {
  readonly name: string;
  readonly passed: boolean;
  readonly cases: readonly ConnectivityCaseResult[];
  /** With `spec.ciliumVersion`: what the lint finds wrong with the manifests in that version (errors only). */
  readonly versionFindings: readonly { readonly entry: number; readonly line: number; readonly finding: LintFinding }[];
  /** The virtual clock at the start, RFC 3339. */
  readonly startTime: string;
  readonly elapsedNs: number;
}

/** A manifest's text and where it came from: an entry of `spec.manifests`, or of the shared ones. */
interface ManifestText {
  readonly entry: number;
  readonly shared?: true;
  readonly text: string;
}

export type ConnectivityTestRun =
  | { readonly ok: true; readonly result: ConnectivityTestResult }
  | { readonly ok: false; readonly issues: readonly ConnectivityTestIssue[] };

export function runConnectivityTest(test: ConnectivityTest, opts: ConnectivityTestOptions = {}): ConnectivityTestRun {
  const spec = test.spec;
  if (spec.ciliumVersion !== undefined) {
    try {
      parseCiliumVersion(spec.ciliumVersion, 'spec.ciliumVersion');
    } catch (e) {
      return invalid('spec.ciliumVersion', e);
    }
  }
  let cluster: Cluster;
  try {
    cluster = Cluster.create({
      ...(spec.seed === undefined ? {} : { seed: spec.seed }),
      ...(spec.nodes === undefined ? {} : { nodes: spec.nodes }),
      ...(spec.mutualAuth === undefined ? {} : { mutualAuth: spec.mutualAuth }),
      ...(spec.encryption === undefined ? {} : { encryption: spec.encryption }),
      ...opts.cluster,
      externalHosts: { ...spec.external, ...opts.cluster?.externalHosts },
    });
  } catch (e) {
    return invalid('spec', e);
  }
  const startTime = new Date(cluster.now().epochMs).toISOString().replace('.000Z', 'Z');
  for (const [key, value] of Object.entries(spec.config ?? {})) {
    try {
      cluster.setConfig(key, String(value));
    } catch (e) {
      return invalid(`spec.config.${key}`, e);
    }
  }
  const texts: ManifestText[] = (opts.shared ?? []).map((text, entry) => ({ entry, shared: true, text }));
  for (const [i, entry] of (spec.manifests ?? []).entries()) {
    if (entry.includes('\n')) texts.push({ entry: i, text: entry });
    else if (opts.readManifest === undefined)
      return { ok: false, issues: [{ path: `spec.manifests[${i}]`, message: 'a manifest path needs a reader; pass readManifest' }] };
    else {
      try {
        texts.push({ entry: i, text: opts.readManifest(entry) });
      } catch (e) {
        return invalid(`spec.manifests[${i}]`, e);
      }
    }
  }
  const refused = applyAll(cluster, texts);
  if (refused.length > 0) return { ok: false, issues: refused };
  const faults = injectAll(cluster, spec.faults ?? [], 'spec.faults');
  if (faults.length > 0) return { ok: false, issues: faults };
  const cases = runConnectivityCases(cluster, spec.cases, { path: 'spec.cases', faults: spec.faults ?? [] });
  if (!cases.ok) return cases;
  return {
    ok: true,
    result: {
      name: test.metadata.name,
      passed: cases.cases.every((c) => c.passed),
      cases: cases.cases,
      versionFindings: spec.ciliumVersion === undefined ? [] : versionFindings(texts, spec.ciliumVersion),
      startTime,
      elapsedNs: cluster.now().elapsedNs,
    },
  };
}

/**
 * Sends `cases` through an existing cluster, in order, and judges each: the evaluation behind
 * `runConnectivityTest`, for a cluster built by code. `faults` are the ones in force for every
 * case (a case's own come and go with it); `path` names the cases in issues.
 */
export function runConnectivityCases(
  cluster: Cluster,
  cases: readonly ConnectivityCase[],
  opts: { readonly path?: string; readonly faults?: readonly ConnectivityFault[] } = {},
):
  | { readonly ok: true; readonly cases: ConnectivityCaseResult[] }
  | { readonly ok: false; readonly issues: readonly ConnectivityTestIssue[] } {
  const path = opts.path ?? 'cases';
  const out: ConnectivityCaseResult[] = [];
  for (const [index, c] of cases.entries()) {
    const at = `${path}[${index}]`;
    let ends: { source: ReturnType<typeof resolveSource>; target: ReturnType<typeof resolveTarget> };
    try {
      // `host` needs the target first (its node); otherwise the client first, so the target avoids it.
      if (c.from === 'host') {
        const target = resolveTarget(cluster, c.to);
        ends = { target, source: withField('from', () => resolveSource(cluster, c.from, target)) };
      } else {
        const source = withField('from', () => resolveSource(cluster, c.from, undefined));
        ends = { source, target: resolveTarget(cluster, c.to, source.kind === 'pod' ? source.pod : undefined) };
      }
    } catch (e) {
      const field = e instanceof FieldError ? e.field : 'to';
      return { ok: false, issues: [{ path: `${at}.${field}`, message: e instanceof Error ? e.message : String(e) }] };
    }
    if (c.advance !== undefined) cluster.advance(c.advance);
    const injected = injectAll(cluster, c.faults ?? [], `${at}.faults`);
    if (injected.length > 0) return { ok: false, issues: injected };
    const probe = probeCase(cluster, c, ends.source, ends.target);
    if ((c.faults ?? []).length > 0) {
      cluster.faults.clearAll();
      injectAll(cluster, opts.faults ?? [], 'spec.faults');
    }
    const expectMet = expectationMet(c.expect, probe.observation);
    const problems = [
      ...(expectMet ? [] : [`expected ${c.expect}, observed ${observedExpect(c, probe.observation)}: ${probe.observation.detail}`]),
      ...flowProblems(c, probe.flows),
    ];
    const lookupDecided = ['dns-refused', 'unresolved'].includes(probe.observation.outcome) && c.dns === undefined;
    const flows = lookupDecided ? [...probe.flows] : connectionFlows(c, probe.flows);
    const decision = traceDecision(cluster, flows);
    out.push({
      index,
      name: c.name ?? caseName(c),
      case: c,
      passed: problems.length === 0,
      expectMet,
      expected: c.expect,
      observed: observedExpect(c, probe.observation),
      observation: probe.observation,
      problems,
      flows,
      ...(decision === undefined ? {} : { decision }),
      elapsedNs: probe.elapsedNs,
    });
  }
  return { ok: true, cases: out };
}

/** `default/xwing -> default/deathstar TCP/80 POST /v1/request-landing`. */
export function caseName(c: ConnectivityCase): string {
  const what =
    c.http !== undefined
      ? ` ${c.http.method ?? 'GET'} ${c.http.path ?? '/'}`
      : c.dns !== undefined
        ? ` dns ${c.dns.query}`
        : c.tls !== undefined
          ? ` tls ${c.tls.sni ?? c.to}`
          : '';
  return `${c.from} -> ${c.to} ${caseProtocol(c)}/${casePort(c)}${what}`;
}

class FieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

function withField<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CaseError) throw new FieldError(field, e.message);
    throw e;
  }
}

function invalid(path: string, e: unknown): { ok: false; issues: ConnectivityTestIssue[] } {
  if (!isSimError(e) && !(e instanceof CaseError)) throw e;
  return { ok: false, issues: [{ path, message: isSimError(e) ? e.issues.map((i) => formatIssue(i)).join('; ') : e.message }] };
}

/** Applies each manifest as one `kubectl apply -f`; every refused object is an issue with its line. */
function applyAll(cluster: Cluster, texts: readonly ManifestText[]): ConnectivityTestIssue[] {
  const issues: ConnectivityTestIssue[] = [];
  for (const { entry, shared, text } of texts) {
    const path = shared === true ? 'manifests' : `spec.manifests[${entry}]`;
    const at = (line: number): NonNullable<ConnectivityTestIssue['manifest']> =>
      shared === true ? { entry, shared, line } : { entry, line };
    let docs: ManifestDocument[];
    try {
      docs = parseManifest(text);
    } catch (e) {
      if (!isSimError(e)) throw e;
      for (const issue of e.issues)
        issues.push({ path, message: formatIssue(issue), manifest: at(Number(/line (\d+)/.exec(issue.message)?.[1] ?? 1)) });
      continue;
    }
    cluster.apply(text).forEach((r, i) => {
      if (r.ok) return;
      const doc = docs[i];
      for (const issue of r.error.issues) {
        const field = doc === undefined ? {} : { field: { document: doc.index, itemPath: doc.itemPath, path: issue.path ?? '' } };
        issues.push({ path, message: formatIssue(issue), manifest: { ...at(doc?.line ?? 1), ...field } });
      }
    });
  }
  return issues;
}

function injectAll(cluster: Cluster, faults: readonly ConnectivityFault[], path: string): ConnectivityTestIssue[] {
  for (const [i, f] of faults.entries()) {
    try {
      if (f.kind === 'spire-server-down') cluster.faults.spireServerDown();
      else if (f.kind === 'spire-agent-down') cluster.faults.spireAgentDown(f.node);
      else if (f.kind === 'trust-domain-mismatch') cluster.faults.trustDomainMismatch(f.node, f.trustDomain);
      else cluster.faults.clockSkew(f.node, f.skew);
    } catch (e) {
      return invalid(`${path}[${i}]`, e).issues;
    }
  }
  return [];
}

/**
 * `cilium policy trace` for the packet that decided the case: the first drop, else the last
 * policy verdict, else the first packet; each side named as a pod when it is one, else by
 * identity. Undefined when there is no such packet (nothing was sent).
 */
function traceDecision(cluster: Cluster, flows: readonly Flow[]): PolicyTrace | undefined {
  const forward = flows.filter((f) => f.is_reply !== true && flowPorts(f) !== undefined);
  const f =
    forward.find((x) => x.verdict === 'DROPPED' && x.l7 === undefined) ??
    forward.filter((x) => x.event_type.type === 5).at(-1) ??
    forward[0];
  if (f === undefined) return undefined;
  const side = (ep: Flow['source']): string | number =>
    ep?.pod_name !== undefined && ep.namespace !== undefined && cluster.inspect.endpoint(ep.namespace, ep.pod_name) !== undefined
      ? `${ep.namespace}/${ep.pod_name}`
      : (ep?.identity ?? 2);
  const port = flowPorts(f)?.destination_port ?? 0;
  const protocol = f.l4 !== undefined && 'UDP' in f.l4 ? 'UDP' : 'TCP';
  try {
    return cluster.policyTrace(side(f.source), side(f.destination), port, protocol);
  } catch (e) {
    if (isSimError(e)) return undefined;
    throw e;
  }
}

/** The lint's errors for the version the test names, in the test's own manifests (the shared ones give context). */
function versionFindings(texts: readonly ManifestText[], version: string): ConnectivityTestResult['versionFindings'] {
  const docs = texts.flatMap(({ entry, shared, text }) =>
    parseManifest(text).map((d) => ({ entry, shared, line: d.line, value: d.value })),
  );
  return lintPolicies(
    docs.map((d) => d.value),
    { ciliumVersion: version },
  ).findings.flatMap((finding) => {
    const d = docs[finding.document]!;
    return finding.severity === 'error' && d.shared !== true ? [{ entry: d.entry, line: d.line, finding }] : [];
  });
}
