import { githubAnnotations } from './githubAnnotations.ts';
import { junitReport } from './junitReport.ts';
import type { ReportCase, ReportFormat } from './reportCase.ts';
import { type Malformed, malformedLine } from './sourceDocuments.ts';
import { tapReport } from './tapReport.ts';

/**
 * Malformed input (exit status 2) in the format asked for: the lines on stderr always, and on
 * stdout what a CI reader of that format needs to show it (a JUnit `error` per problem, TAP's
 * `not ok`, a JSON list, GitHub annotations at each line), so a report file written with
 * `--format junit > report.xml` names the problem instead of being empty.
 */
export function malformedReport(command: string, format: ReportFormat, malformed: readonly Malformed[]): { out: string; err: string } {
  const err = malformed.map(malformedLine).join('');
  const cases = malformed.map(
    (m): ReportCase => ({
      name: `${m.file}:${m.line}`,
      file: m.file,
      line: m.line,
      status: 'error',
      title: 'malformed',
      message: m.message,
    }),
  );
  switch (format) {
    case 'text':
      return { out: '', err };
    case 'json':
      return { out: `${JSON.stringify({ malformed }, null, 2)}\n`, err };
    case 'junit':
      return { out: junitReport(command, [{ name: 'malformed input', file: malformed[0]?.file ?? '', cases }]), err };
    case 'tap':
      return { out: tapReport(cases), err };
    case 'github':
      return { out: githubAnnotations(cases), err };
  }
}
