import { lintRuleVersions, tabwrite, type LintFinding, type LintReport, type LintRule } from '@cilium-sim/core';

/** A finding with the file and line of the field it is about. */
export interface LocatedFinding extends LintFinding {
  readonly file: string;
  readonly line: number;
}

/**
 * The default output: one block per finding, `file:line: severity code: object field`, what
 * happens, Cilium's own words, the fix; then a count.
 */
export function lintText(report: LintReport, findings: readonly LocatedFinding[]): string {
  const blocks = findings.map((f) => {
    const object = `${f.ref.kind} ${f.ref.namespace === undefined ? '' : `${f.ref.namespace}/`}${f.ref.name}`;
    return [
      `${f.file}:${f.line}: ${f.severity} ${f.code}: ${object}${f.path === '' ? '' : ` ${f.path}`}`,
      `  ${f.message}`,
      ...(f.cilium === undefined ? [] : [`  Cilium: ${f.cilium}`]),
      `  Fix: ${f.fix}`,
    ].join('\n');
  });
  const n = (severity: LocatedFinding['severity']): number => findings.filter((f) => f.severity === severity).length;
  const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
  const summary =
    findings.length === 0
      ? 'no problems found'
      : [plural(n('error'), 'error'), plural(n('warning'), 'warning'), `${n('info')} info`].join(', ');
  const policies = `${report.policies} ${report.policies === 1 ? 'policy' : 'policies'}`;
  return `${blocks.map((b) => `${b}\n`).join('')}${blocks.length === 0 ? '' : '\n'}Linted ${policies} for Cilium ${report.ciliumVersion}: ${summary}.\n`;
}

/** `cilium-sim lint --rules`: code, severity, the versions it applies to, and what it finds. */
export function rulesTable(rules: readonly LintRule[]): string {
  const versions = (r: LintRule): string => {
    const minors = lintRuleVersions(r);
    const range = minors.length === 7 ? 'all' : minors.length === 1 ? minors[0]! : `${minors[0]}-${minors.at(-1)}`;
    return r.versionGated === true ? `${range}, with --cilium-version` : range;
  };
  return tabwrite([['CODE', 'SEVERITY', 'VERSIONS', 'FINDS'], ...rules.map((r) => [r.code, r.severity, versions(r), r.title])], {
    padding: 2,
  });
}
