import { isSimError, LINT_RULES, lintPolicies, type LintReport } from '@cilium-sim/core';
import { type CiEnv, CiUsageError, EXIT, parseCiArgs, reportFormat } from '../ci/ciEnv.ts';
import { githubAnnotations } from '../ci/githubAnnotations.ts';
import { readInputFiles } from '../node/inputFiles.ts';
import { junitReport } from '../ci/junitReport.ts';
import type { ReportCase, ReportSuite } from '../ci/reportCase.ts';
import { malformedReport } from '../ci/malformedReport.ts';
import { isConnectivityTest, lineOf, readDocuments, type SourceDocument } from '../ci/sourceDocuments.ts';
import { tapReport } from '../ci/tapReport.ts';
import { type LocatedFinding, lintText, rulesTable } from './lintText.ts';

export const LINT_USAGE = `usage: cilium-sim lint [-R] [--cilium-version VERSION] [--format text|junit|tap|json|github] PATH ...

Checks CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy and NetworkPolicy objects for what
Cilium refuses (the operator's Valid: False) and for the traps of valid policies. PATH is a file,
a directory (-R: with its subdirectories) or - for standard input; other objects of the files
(pods, deployments, namespaces, services) are what the selectors are checked against.

  --cilium-version V   lint for Cilium V (1.14 to 1.20): adds what changed between versions
  --format F           text (default), junit, tap, json or github (workflow annotations)
  --rules              list the rules
  -R, --recursive      read directories recursively

Exit status: 0 no error or warning, 1 findings, 2 malformed input.
`;

/** `cilium-sim lint PATH ...`. */
export function lintCommand(args: readonly string[], env: CiEnv): number {
  const { values, positionals } = parseCiArgs(args, {
    'cilium-version': { type: 'string' },
    format: { type: 'string' },
    rules: { type: 'boolean' },
    recursive: { type: 'boolean', short: 'R' },
  });
  if (values['help'] === true) {
    env.out(LINT_USAGE);
    return EXIT.ok;
  }
  if (values['rules'] === true) {
    env.out(rulesTable(LINT_RULES));
    return EXIT.ok;
  }
  const format = reportFormat(values['format']);
  if (positionals.length === 0) throw new CiUsageError('lint needs a file or directory: cilium-sim lint PATH ...');
  const files = readInputFiles(positionals, { cwd: env.cwd, recursive: values['recursive'] === true, stdin: env.stdin });
  const { docs, malformed } = readDocuments(files);
  if (malformed.length > 0) {
    const r = malformedReport('cilium-sim lint', format, malformed);
    env.err(r.err);
    env.out(r.out);
    return EXIT.malformed;
  }
  const objects = docs.filter((d) => !isConnectivityTest(d.doc.value));
  let report: LintReport;
  try {
    const version = values['cilium-version'] as string | undefined;
    report = lintPolicies(
      objects.map((d) => d.doc.value),
      version === undefined ? {} : { ciliumVersion: version },
    );
  } catch (e) {
    if (isSimError(e)) throw new CiUsageError(`--cilium-version: ${e.message.replace(/^[^:]*: ciliumVersion: /, '')}`);
    throw e;
  }
  const located = report.findings.map(
    (f): LocatedFinding => ({ ...f, file: objects[f.document]!.file.path, line: lineOf(objects[f.document]!, f.path) }),
  );
  env.out(render(format, report, located, objects));
  return located.some((f) => f.severity !== 'info') ? EXIT.failed : EXIT.ok;
}

function render(
  format: ReturnType<typeof reportFormat>,
  report: LintReport,
  findings: readonly LocatedFinding[],
  objects: readonly SourceDocument[],
): string {
  switch (format) {
    case 'text':
      return lintText(report, findings);
    case 'json':
      return `${JSON.stringify({ ciliumVersion: report.ciliumVersion, policies: report.policies, findings }, null, 2)}\n`;
    case 'github':
      return `${lintText(report, findings)}${githubAnnotations(findings.map(findingCase))}`;
    case 'tap':
      return tapReport(policyCases(findings, objects));
    case 'junit':
      return junitReport('cilium-sim lint', suites(findings, objects));
  }
}

/** One case per finding, for annotations. */
function findingCase(f: LocatedFinding): ReportCase {
  return {
    name: `${f.ref.kind} ${f.ref.namespace === undefined ? '' : `${f.ref.namespace}/`}${f.ref.name}`,
    file: f.file,
    line: f.line,
    status: 'failed',
    level: f.severity === 'info' ? 'notice' : f.severity,
    title: f.code,
    message: `${f.path === '' ? '' : `${f.path}: `}${f.message}`,
    details: [f.cilium === undefined ? '' : `Cilium: ${f.cilium}`, `Fix: ${f.fix}`].filter((x) => x !== '').join('\n'),
  };
}

/** One case per policy object: failed when it has an error or a warning. */
function policyCases(findings: readonly LocatedFinding[], objects: readonly SourceDocument[]): ReportCase[] {
  return objects.flatMap((d, i): ReportCase[] => {
    const v = d.doc.value as Record<string, unknown>;
    if (!['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'NetworkPolicy'].includes(String(v['kind']))) return [];
    const own = findings.filter((f) => f.document === i && f.severity !== 'info');
    const meta = (v['metadata'] ?? {}) as Record<string, unknown>;
    const name = `${String(v['kind'])} ${v['kind'] === 'CiliumClusterwideNetworkPolicy' ? '' : `${String(meta['namespace'] ?? 'default')}/`}${String(meta['name'] ?? '')}`;
    if (own.length === 0) return [{ name, file: d.file.path, line: d.doc.line, status: 'passed' }];
    return [
      {
        name,
        file: d.file.path,
        line: own[0]!.line,
        status: 'failed',
        title: own.map((f) => f.code).join(', '),
        message: own.map((f) => `${f.file}:${f.line}: ${f.code}: ${f.message}`).join('\n'),
        details: own.map((f) => `${f.code}: ${f.fix}`).join('\n'),
      },
    ];
  });
}

function suites(findings: readonly LocatedFinding[], objects: readonly SourceDocument[]): ReportSuite[] {
  const cases = policyCases(findings, objects);
  const files = [...new Set(cases.map((c) => c.file))];
  return files.map((file) => ({ name: file, file, cases: cases.filter((c) => c.file === file) }));
}
