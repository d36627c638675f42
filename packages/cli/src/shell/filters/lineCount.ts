/**
 * Reads the count of `head`/`tail`: lines with `-n N`, `-nN`, `--lines=N`, or the historic
 * `-N`; bytes with `-c N`, `-cN`, `--bytes=N`. A leading `+` (tail: from line N) or `-` (head:
 * all but the last N) is kept as a sign. Returns the remaining operands, or the message of a bad count.
 */
export interface LineCount {
  readonly count: number;
  readonly sign: '' | '+' | '-';
  readonly unit: 'lines' | 'bytes';
  readonly operands: readonly string[];
}

export function parseLineCount(tool: string, args: readonly string[]): LineCount | string {
  let count = 10;
  let sign: LineCount['sign'] = '';
  let unit: LineCount['unit'] = 'lines';
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let value: string | undefined;
    const bytes = arg === '-c' || arg === '--bytes' || arg.startsWith('--bytes=') || /^-c./.test(arg);
    if (/^-\d+$/.test(arg)) value = arg.slice(1);
    else if (arg === '-n' || arg === '--lines' || arg === '-c' || arg === '--bytes') value = args[++i];
    else if (arg.startsWith('--lines=') || arg.startsWith('--bytes=')) value = arg.slice('--lines='.length);
    else if (arg.startsWith('-n') || arg.startsWith('-c')) value = arg.slice(2);
    else if (arg === '-f' || arg === '--follow')
      continue; // nothing more will arrive in a finished run
    else if (arg.startsWith('-') && arg !== '-') return `${tool}: invalid option -- '${arg.slice(1)}'`;
    else {
      operands.push(arg);
      continue;
    }
    const m = /^([+-]?)(\d+)$/.exec(value ?? '');
    if (m === null) return `${tool}: invalid number of ${bytes ? 'bytes' : 'lines'}: '${value ?? ''}'`;
    [sign, count, unit] = [m[1] as LineCount['sign'], Number(m[2]), bytes ? 'bytes' : 'lines'];
  }
  return { count, sign, unit, operands };
}
