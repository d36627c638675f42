import type { ReportCase } from './reportCase.ts';

/**
 * GitHub Actions workflow commands: `::error file=tests/a.yaml,line=12,title=...::message` for
 * each case that did not pass, so the failure shows on that line of the pull request.
 */
export function githubAnnotations(cases: readonly ReportCase[]): string {
  return cases
    .filter((c) => c.status !== 'passed')
    .map((c) => {
      const level = c.status === 'error' ? 'error' : (c.level ?? 'error');
      const props = [`file=${property(c.file)}`, `line=${c.line}`, ...(c.title === undefined ? [] : [`title=${property(c.title)}`])];
      const message = [c.message ?? c.name, c.details ?? ''].filter((x) => x !== '').join('\n');
      return `::${level} ${props.join(',')}::${data(message)}\n`;
    })
    .join('');
}

/** The escaping GitHub's runner undoes in a command's message. */
function data(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** The escaping of a property value (it also may not hold `:` or `,`). */
function property(s: string): string {
  return data(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
