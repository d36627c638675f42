import { stringify } from 'yaml';
import type { ReportCase } from './reportCase.ts';

/** The cases as TAP version 14: a plan, `ok`/`not ok` per case, a YAML block under each failure. */
export function tapReport(cases: readonly ReportCase[]): string {
  const lines = ['TAP version 14', `1..${cases.length}`];
  cases.forEach((c, i) => {
    const name = c.name.replaceAll('#', '\\#');
    if (c.status === 'passed') {
      lines.push(`ok ${i + 1} - ${name}`);
      return;
    }
    lines.push(`not ok ${i + 1} - ${name}`);
    const diag = {
      message: c.message ?? c.title ?? c.status,
      severity: c.status === 'error' ? 'fail' : (c.level ?? 'fail'),
      at: { file: c.file, line: c.line },
      ...(c.title === undefined ? {} : { code: c.title }),
      ...(c.details === undefined ? {} : { details: c.details }),
    };
    const block = stringify(diag, { lineWidth: 0 }).trimEnd().split('\n');
    lines.push('  ---', ...block.map((l) => `  ${l}`), '  ...');
  });
  return `${lines.join('\n')}\n`;
}
