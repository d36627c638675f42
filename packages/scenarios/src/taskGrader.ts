import type { Cluster } from '@cilium-sim/core';
import type { ScenarioTask, TaskCheck } from './scenarioTask.ts';
import type { CheckOutcome } from './checks/checkTarget.ts';
import { checkPolicyRequiresAuth } from './checks/policyAuthCheck.ts';
import { checkConnectivity, checkDns, checkFlowObserved } from './checks/trafficChecks.ts';

export interface CheckResult extends CheckOutcome {
  readonly check: TaskCheck;
}

export interface TaskReport {
  readonly title: string;
  readonly results: readonly CheckResult[];
  /** True when every check passed. */
  readonly passed: boolean;
}

/**
 * Grades a lab task against a live cluster, check by check, in the order task.yaml lists
 * them. Policy checks only read the cluster. Connectivity and DNS checks send real probes
 * (see trafficChecks.ts): their flows stay in Hubble and count for the flow checks that
 * follow, just as the learner's own curl would; nothing else in the cluster changes.
 *
 * @example gradeTask(cluster, loadScenario('mutual-auth-example').task!).passed
 */
export function gradeTask(cluster: Cluster, task: ScenarioTask): TaskReport {
  const results = task.checks.map((check): CheckResult => ({ check, ...runCheck(cluster, check) }));
  return { title: task.title, results, passed: results.every((r) => r.passed) };
}

function runCheck(cluster: Cluster, check: TaskCheck): CheckOutcome {
  switch (check.kind) {
    case 'policyRequiresAuth':
      return checkPolicyRequiresAuth(cluster, check);
    case 'connectivity':
      return checkConnectivity(cluster, check);
    case 'flowObserved':
      return checkFlowObserved(cluster, check);
    case 'dns':
      return checkDns(cluster, check);
  }
}

/**
 * The report as `check` prints it: one `PASS`/`FAIL` line per check, the reason under each
 * failure, and a last line with the verdict.
 *
 * @example formatTaskReport(report) // 'FAIL  A policy selecting echo ...\n      the ingress rule on echo has no ...'
 */
export function formatTaskReport(report: TaskReport): string {
  const lines = report.results.flatMap((r) => [
    `${r.passed ? 'PASS' : 'FAIL'}  ${r.check.description}`,
    ...(r.passed || r.reason === undefined ? [] : [`      ${r.reason}`]),
  ]);
  const failedCount = report.results.filter((r) => !r.passed).length;
  const verdict =
    failedCount === 0
      ? `All ${report.results.length} checks passed: task "${report.title}" complete.`
      : `${failedCount} of ${report.results.length} checks failed.`;
  return `${lines.join('\n')}\n${verdict}\n`;
}
