import { hubble } from '@cilium-sim/core';
import type { ReportCase, ReportSuite } from '../ci/reportCase.ts';
import { decisionLines, failureDetails } from './testText.ts';
import type { TestFileResult } from './testRun.ts';

/** The results as the CI formats see them: one suite per test, one case per case. */
export function testSuites(tests: readonly TestFileResult[]): ReportSuite[] {
  return tests.map((t) => ({
    name: t.result.name,
    file: t.file,
    timestamp: t.result.startTime,
    timeSeconds: t.result.elapsedNs / 1e9,
    cases: t.result.cases.map(
      (c): ReportCase => ({
        name: c.name,
        file: t.file,
        line: t.caseLines[c.index] ?? t.line,
        status: c.passed ? 'passed' : 'failed',
        title: `${t.result.name}: ${c.name}`,
        ...(c.passed ? {} : { message: c.problems.join('; '), details: failureDetails(t, c, '').trimEnd() }),
        timeSeconds: c.elapsedNs / 1e9,
      }),
    ),
  }));
}

/** `--format json`: every test and case as data, flows in Hubble's JSON. */
export function testJson(tests: readonly TestFileResult[]): string {
  const cases = tests.flatMap((t) => t.result.cases);
  const report = {
    passed: cases.filter((c) => c.passed).length,
    failed: cases.filter((c) => !c.passed).length,
    tests: tests.map((t) => ({
      file: t.file,
      line: t.line,
      name: t.result.name,
      passed: t.result.passed,
      startTime: t.result.startTime,
      versionFindings: t.result.versionFindings,
      cases: t.result.cases.map((c) => ({
        name: c.name,
        line: t.caseLines[c.index],
        passed: c.passed,
        expected: c.expected,
        observed: c.observed,
        observation: c.observation,
        problems: c.problems,
        flows: c.flows.map((f) => hubble.flowToJson(f)),
        ...(c.decision === undefined ? {} : { decision: { allowed: c.decision.allowed, explanation: decisionLines(c) } }),
      })),
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
