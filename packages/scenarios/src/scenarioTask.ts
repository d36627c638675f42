import { SimError, type SimIssue } from '@cilium-sim/core';

/**
 * A lab challenge: commands that prepare the cluster, a prompt for the learner, hints,
 * and checks a grader runs afterwards. Each check has a `description` for humans and a
 * machine-readable `kind`; the grader (CLI or a test) evaluates them with core's API.
 */
export interface ScenarioTask {
  readonly title: string;
  /** Commands run before the learner starts, in the walkthrough language. */
  readonly setup: readonly string[];
  readonly prompt: string;
  readonly hints: readonly string[];
  readonly checks: readonly TaskCheck[];
}

export type TaskCheck = PolicyRequiresAuthCheck | ConnectivityCheck | FlowObservedCheck | DnsCheck;

interface CheckBase {
  readonly description: string;
}

/** Some policy selecting these endpoints requires `authentication.mode: required` in `direction`. */
export interface PolicyRequiresAuthCheck extends CheckBase {
  readonly kind: 'policyRequiresAuth';
  readonly namespace: string;
  /** Pod labels of an endpoint the policy must select. */
  readonly endpointSelector: Readonly<Record<string, string>>;
  readonly direction: 'ingress' | 'egress';
  /** Pod labels of a peer the authenticated rule must match; omitted = any rule. */
  readonly peer?: Readonly<Record<string, string>>;
}

/**
 * A request sent from `from` (`ns/pod` or `ns/deploy/name`) and its expected outcome:
 * `allowed` (2xx/3xx), `http-403` (refused by the L7 proxy), `timeout` (dropped, curl 28).
 */
export interface ConnectivityCheck extends CheckBase {
  readonly kind: 'connectivity';
  readonly from: string;
  /** `METHOD URL`, e.g. `GET http://echo:3000/headers`. */
  readonly request: string;
  readonly expect: 'allowed' | 'http-403' | 'timeout';
}

/**
 * A Hubble flow matching `filter` exists (or not). Each key is one field of a Hubble FlowFilter,
 * named as the `hubble observe` flag in camelCase (`fromPod`, `toPod`, `verdict`, `type`,
 * `dropReasonDesc`, ...; see checks/flowCheckFilter.ts), plus `authType`; all must match.
 */
export interface FlowObservedCheck extends CheckBase {
  readonly kind: 'flowObserved';
  readonly filter: Readonly<Record<string, string>>;
  readonly expect: 'present' | 'absent';
}

/** A name looked up from a pod resolves (or is refused). */
export interface DnsCheck extends CheckBase {
  readonly kind: 'dns';
  readonly from: string;
  readonly name: string;
  readonly expect: 'resolves' | 'refused';
}

const CHECK_FIELDS = {
  policyRequiresAuth: { namespace: 'string', endpointSelector: 'labels', direction: ['ingress', 'egress'] },
  connectivity: { from: 'string', request: 'string', expect: ['allowed', 'http-403', 'timeout'] },
  flowObserved: { filter: 'labels', expect: ['present', 'absent'] },
  dns: { from: 'string', name: 'string', expect: ['resolves', 'refused'] },
} as const satisfies Record<TaskCheck['kind'], Record<string, 'string' | 'labels' | readonly string[]>>;

type FieldRule = 'string' | 'labels' | readonly string[];

/**
 * Validates a parsed task.yaml in one pass, reporting every problem.
 * `object` names the file, e.g. `scenario mutual-auth-example: task.yaml`.
 */
export function parseTask(raw: unknown, object: string): ScenarioTask {
  const issues: SimIssue[] = [];
  const bad = (path: string, message: string): void => void issues.push({ code: 'INVALID_FIELD', object, path, message });
  const doc = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) bad('', `expected a mapping, received ${describe(raw)}`);
  for (const key of ['title', 'prompt'] as const)
    if (typeof doc[key] !== 'string') bad(key, `expected a string, received ${describe(doc[key])}`);
  const setup = stringList(doc['setup'], 'setup', bad);
  const hints = stringList(doc['hints'], 'hints', bad);
  const rawChecks = Array.isArray(doc['checks']) ? (doc['checks'] as unknown[]) : [];
  if (!Array.isArray(doc['checks']) || rawChecks.length === 0) bad('checks', 'expected a non-empty list of checks');
  for (const [i, c] of rawChecks.entries()) checkIssues(c, `checks[${i}]`, bad);
  if (issues.length > 0) throw SimError.of(issues);
  return { title: doc['title'] as string, setup, prompt: doc['prompt'] as string, hints, checks: rawChecks as TaskCheck[] };
}

function checkIssues(check: unknown, path: string, bad: (path: string, message: string) => void): void {
  if (!isRecord(check)) return bad(path, `expected a mapping, received ${describe(check)}`);
  if (typeof check['description'] !== 'string') bad(`${path}.description`, 'expected a sentence describing the check');
  const kind = check['kind'];
  if (typeof kind !== 'string' || !(kind in CHECK_FIELDS)) {
    return bad(`${path}.kind`, `unknown check kind ${JSON.stringify(kind)}; supported: ${Object.keys(CHECK_FIELDS).join(', ')}`);
  }
  const fields: Record<string, FieldRule> = CHECK_FIELDS[kind as TaskCheck['kind']];
  for (const [field, rule] of Object.entries(fields)) {
    const problem = fieldProblem(check[field], rule);
    if (problem !== undefined) bad(`${path}.${field}`, problem);
  }
  if (check['peer'] !== undefined && fieldProblem(check['peer'], 'labels') !== undefined)
    bad(`${path}.peer`, 'expected a mapping of label keys to values');
}

function fieldProblem(value: unknown, rule: FieldRule): string | undefined {
  if (rule === 'string')
    return typeof value === 'string' && value !== '' ? undefined : `expected a non-empty string, received ${describe(value)}`;
  if (rule === 'labels') {
    const ok = isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
    return ok ? undefined : `expected a mapping of keys to string values, received ${describe(value)}`;
  }
  return typeof value === 'string' && rule.includes(value) ? undefined : `expected one of ${rule.join(', ')}, received ${describe(value)}`;
}

function stringList(value: unknown, path: string, bad: (path: string, message: string) => void): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  bad(path, `expected a list of strings, received ${describe(value)}`);
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'a list' : isRecord(value) ? 'a mapping' : JSON.stringify(value);
}
