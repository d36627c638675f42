import type { ReportCase, ReportSuite } from './reportCase.ts';

/**
 * The suites as JUnit XML, the shape CI servers read (Ant's, as Jenkins' junit-10.xsd describes
 * it): `testsuites` > `testsuite` (file, counts, time) > `testcase` with a `failure` or `error`.
 */
export function junitReport(title: string, suites: readonly ReportSuite[]): string {
  const count = (cases: readonly ReportCase[], s: ReportCase['status']): number => cases.filter((c) => c.status === s).length;
  const all = suites.flatMap((s) => s.cases);
  const time = (t: number | undefined): string => (t ?? 0).toFixed(3);
  const total = suites.reduce((n, s) => n + (s.timeSeconds ?? 0), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(title)}" tests="${all.length}" failures="${count(all, 'failed')}" errors="${count(all, 'error')}" time="${time(total)}">`,
  ];
  for (const s of suites) {
    const stamp = s.timestamp === undefined ? '' : ` timestamp="${attr(s.timestamp)}"`;
    lines.push(
      `  <testsuite name="${attr(s.name)}" tests="${s.cases.length}" failures="${count(s.cases, 'failed')}" errors="${count(s.cases, 'error')}" skipped="0" time="${time(s.timeSeconds)}"${stamp} file="${attr(s.file)}">`,
    );
    for (const c of s.cases) {
      const open = `    <testcase name="${attr(c.name)}" classname="${attr(s.name)}" time="${time(c.timeSeconds)}"`;
      if (c.status === 'passed') {
        lines.push(`${open}/>`);
        continue;
      }
      const tag = c.status === 'failed' ? 'failure' : 'error';
      const body = [`${c.file}:${c.line}`, c.message ?? '', c.details ?? ''].filter((x) => x !== '').join('\n');
      lines.push(`${open}>`);
      lines.push(`      <${tag} message="${attr(c.message ?? '')}" type="${attr(c.title ?? tag)}">${text(body)}</${tag}>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** XML 1.0 refuses most control characters even escaped; they are dropped. */
function clean(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML forbids.
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

function text(s: string): string {
  return clean(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function attr(s: string): string {
  return text(s).replaceAll('"', '&quot;').replaceAll('\n', '&#10;');
}
