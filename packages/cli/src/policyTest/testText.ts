import type { ConnectivityCaseResult, Flow } from '@cilium-sim/core';
import { compactLine } from '../hubble/printers/compact.ts';
import { DEFAULT_PRINT_OPTIONS } from '../hubble/printers/printOptions.ts';
import type { TestFileResult } from './testRun.ts';

/** The flows a failure shows, at most; the JSON report has them all. */
const MAX_FLOWS = 12;

/**
 * The default output: one line per case (`PASS`/`FAIL`, the test, the case, what happened), and
 * under a failure its file and line, why, the case's flows as `hubble observe` prints them (with
 * the policies that allowed or denied), and the decision as `cilium policy trace` explains it.
 */
export function testText(tests: readonly TestFileResult[]): string {
  const out: string[] = [];
  for (const t of tests) {
    for (const f of t.result.versionFindings)
      out.push(
        `NOTE  ${t.result.name}  ${f.finding.ref.kind} ${f.finding.ref.namespace ?? ''}${f.finding.ref.namespace === undefined ? '' : '/'}${f.finding.ref.name}: ${f.finding.code}: ${f.finding.message}\n`,
      );
    for (const c of t.result.cases) {
      out.push(
        `${c.passed ? 'PASS' : 'FAIL'}  ${t.result.name}  ${c.name}: ${c.passed ? `${String(c.observed)} (${c.observation.detail})` : c.problems[0]}\n`,
      );
      if (!c.passed) out.push(failureDetails(t, c, '      '));
    }
  }
  const cases = tests.flatMap((t) => t.result.cases);
  const failed = cases.filter((c) => !c.passed).length;
  out.push(
    `\n${cases.length - failed} passed, ${failed} failed (${tests.length} test${tests.length === 1 ? '' : 's'}, ${cases.length} case${cases.length === 1 ? '' : 's'})\n`,
  );
  return out.join('');
}

/** Under a failed case: where it is, every problem, the flows, the decision. */
export function failureDetails(t: TestFileResult, c: ConnectivityCaseResult, indent: string): string {
  const lines = [`at ${t.file}:${t.caseLines[c.index]}`, ...c.problems.slice(1)];
  if (c.flows.length > 0) {
    lines.push('flows:');
    lines.push(...flowLines(c.flows).map((l) => `  ${l}`));
  }
  if (c.decision !== undefined) {
    lines.push('decision:');
    lines.push(...decisionLines(c).map((l) => `  ${l}`));
  }
  return lines.map((l) => `${indent}${l}\n`).join('');
}

export function flowLines(flows: readonly Flow[]): string[] {
  const opts = { ...DEFAULT_PRINT_OPTIONS, policyNames: true };
  const shown = flows.slice(0, MAX_FLOWS).map((f) => compactLine(f, opts).trimEnd());
  return flows.length > MAX_FLOWS ? [...shown, `... ${flows.length - MAX_FLOWS} more (--format json lists them all)`] : shown;
}

/** The `cilium policy trace` explanation, without its separator rules and blank lines. */
export function decisionLines(c: ConnectivityCaseResult): string[] {
  return (c.decision?.text ?? '').split('\n').filter((l) => l.trim() !== '' && !/^-+$/.test(l));
}
