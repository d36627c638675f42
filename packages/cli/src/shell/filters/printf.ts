import { SHELL_LIMITS } from '../shellLimits.ts';
import type { BuiltinIo, CommandResult } from '../command.ts';
import { decodeCEscape } from '../cEscape.ts';
import { interpretEscapes } from './echo.ts';

/** One `%...` conversion: flags, width and precision as written, and its letter. */
const CONVERSION = /%([-+ #0]*)(\d*)(?:\.(\d*))?([a-zA-Z%])?/y;

/**
 * `printf FORMAT [ARGUMENT]...` as bash's builtin: the format's C escapes, `%s`, `%b` (the
 * argument's escapes), `%q` (shell-quoted), `%d`/`%i`, `%u`, `%x`/`%X`, `%o`, `%c` and `%%`, with flags, width and
 * precision; the format is reused while arguments remain, and a missing one reads as '' or 0.
 * A bad number prints 0 and fails with bash's message, as bash does.
 *
 * @example printf(['%-5s|%03d\n', 'ab', '7', 'c', '12'], io).stdout // 'ab   |007\nc    |012\n'
 */
export function printf(args: readonly string[], _io: BuiltinIo): CommandResult {
  const rest = args[0] === '--' ? args.slice(1) : args;
  const format = rest[0];
  if (format === undefined) return { stdout: '', stderr: 'cilium-sim: printf: usage: printf [-v var] format [arguments]\n', exitCode: 2 };
  if (format === '-v')
    return { stdout: '', stderr: 'cilium-sim: printf: -v: not supported in cilium-sim (use X=$(printf ...))\n', exitCode: 2 };
  const values = rest.slice(1);
  let stdout = '';
  let stderr = '';
  let used = 0;
  // Each pass consumes arguments; one with no conversion, or no arguments left, ends it.
  do {
    const pass = formatOnce(format, values, used);
    stdout += pass.text;
    stderr += pass.errors;
    if (pass.fatal || pass.consumed === 0) break;
    used += pass.consumed;
  } while (used < values.length);
  return { stdout, stderr, exitCode: stderr === '' ? 0 : 1 };
}

function formatOnce(
  format: string,
  values: readonly string[],
  from: number,
): { text: string; errors: string; consumed: number; fatal: boolean } {
  let text = '';
  let errors = '';
  let next = from;
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === '\\') {
      const [decoded, n] = decodeCEscape(format, i + 1);
      text += decoded;
      i += n + 1;
      continue;
    }
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    CONVERSION.lastIndex = i;
    const m = CONVERSION.exec(format)!;
    i = CONVERSION.lastIndex;
    const [, flags = '', width = '', precision, letter] = m;
    if (letter === '%') {
      text += '%';
      continue;
    }
    if (letter === undefined || !'sbqdiuxXoc'.includes(letter)) {
      errors += `cilium-sim: printf: \`${letter ?? ''}': invalid format character\n`;
      return { text, errors, consumed: next - from, fatal: true };
    }
    // A width or precision past what the shell can print would only build a string to throw away.
    const tooLarge = [width, precision ?? ''].find((n) => Number(n) > SHELL_LIMITS.outputChars);
    if (tooLarge !== undefined) {
      errors += `cilium-sim: printf: ${tooLarge}: Numerical result out of range\n`;
      return { text, errors, consumed: next - from, fatal: true };
    }
    const value = values[next++] ?? '';
    const converted = convert(letter, value, precision);
    errors += converted.error;
    text += pad(converted.text, flags, width, 'diuxXo'.includes(letter));
  }
  return { text, errors, consumed: next - from, fatal: false };
}

function convert(letter: string, value: string, precision: string | undefined): { text: string; error: string } {
  if (letter === 's') return { text: precision === undefined ? value : value.slice(0, Number(precision)), error: '' };
  if (letter === 'c') return { text: [...value][0] ?? '', error: '' };
  if (letter === 'b') return { text: interpretEscapes(value), error: '' };
  if (letter === 'q') return { text: shellQuoted(value), error: '' };
  // A leading quote gives the character's code, as in C's printf.
  const quoted = /^['"](.)/su.exec(value);
  const literal = /^\s*([-+]?)(0x[0-9a-f]+|\d+)\s*$/i.exec(value);
  const number =
    quoted !== null
      ? BigInt(quoted[1]!.codePointAt(0)!)
      : literal === null
        ? undefined
        : (literal[1] === '-' ? -1n : 1n) * BigInt(literal[2]!);
  const error = number === undefined && value !== '' ? `cilium-sim: printf: ${value}: invalid number\n` : '';
  // Unsigned conversions read a negative number as its 64-bit two's complement, as bash does.
  const n = number !== undefined && number < 0n && letter !== 'd' && letter !== 'i' ? BigInt.asUintN(64, number) : (number ?? 0n);
  const digits =
    letter === 'x' ? n.toString(16) : letter === 'X' ? n.toString(16).toUpperCase() : letter === 'o' ? n.toString(8) : n.toString();
  return { text: precision === undefined ? digits : digits.padStart(Number(precision), '0'), error };
}

/** `%q`: the word quoted so the shell reads it back, as bash quotes it with backslashes. */
function shellQuoted(value: string): string {
  if (value === '') return "''";
  return value.replace(/[^\p{L}\p{N}_@%+=:,./-]/gu, (c) => (c === '\n' ? "$'\\n'" : `\\${c}`));
}

function pad(text: string, flags: string, width: string, numeric: boolean): string {
  const w = Number(width || 0);
  if (text.length >= w) return text;
  if (flags.includes('-')) return text.padEnd(w);
  if (numeric && flags.includes('0')) return text.startsWith('-') ? `-${text.slice(1).padStart(w - 1, '0')}` : text.padStart(w, '0');
  return text.padStart(w);
}
