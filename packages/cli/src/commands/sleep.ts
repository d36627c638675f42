import { MAX_ADVANCE_NS, formatDuration, isSimError, parseDuration } from '@cilium-sim/core';
import { fail, ok } from '../shell/command.ts';
import type { CommandHandler } from './cliContext.ts';

const TRY_HELP = "Try 'sleep --help' for more information.\n";

/**
 * `sleep DURATION...`: moves the virtual clock by their sum, running what falls due (rotations,
 * GC, expiry). A number is seconds, with coreutils' suffixes (`1.5`, `1e3`, `2m`, `1d`); Go's
 * `1h30m` works too. A negative
 * interval is refused as coreutils refuses it; more than a day at once is refused, since every
 * timer of that day has to run.
 */
export const sleep: CommandHandler = (ctx, args) => {
  if (args.length === 0) return fail(`sleep: missing operand\n${TRY_HELP}`);
  let total = 0;
  // `--` ends the options, as coreutils reads it.
  const operands = args[0] === '--' ? args.slice(1) : args;
  if (operands.length === 0) return fail(`sleep: missing operand\n${TRY_HELP}`);
  for (const a of operands) {
    const gnu = gnuInterval(a);
    if (gnu !== undefined) {
      if (!Number.isFinite(gnu) || gnu > MAX_ADVANCE_NS) return fail(tooLong(args));
      total += gnu;
      continue;
    }
    let ns: number;
    try {
      ns = parseDuration(a, 'sleep');
    } catch (e) {
      // Past Go's int64 of nanoseconds (about 292 years) is far past the longest sleep too.
      if (isSimError(e) && e.code === 'LIMIT_EXCEEDED') return fail(tooLong(args));
      return fail(`sleep: invalid time interval '${a}'\n${TRY_HELP}`);
    }
    if (ns < 0) return fail(`sleep: invalid time interval '${a}'\n${TRY_HELP}`);
    total += ns;
  }
  if (total > MAX_ADVANCE_NS) return fail(tooLong(args));
  ctx.cluster.advance(total);
  return ok();
};

const GNU_UNITS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * coreutils' NUMBER[SUFFIX] in ns: a floating-point number as strtod reads it (`1e3`, `.5`,
 * `inf`) with `s`, `m`, `h` or `d`; undefined for anything else (a Go duration such as 1h30m).
 */
function gnuInterval(text: string): number | undefined {
  const m = /^\+?(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|inf(?:inity)?)([smhd]?)$/i.exec(text);
  if (m === null) return undefined;
  const seconds = /^inf/i.test(m[1]!) ? Number.POSITIVE_INFINITY : Number(m[1]) * GNU_UNITS[m[2]!]!;
  return Math.round(seconds * 1e9);
}

function tooLong(args: readonly string[]): string {
  return `sleep: invalid time interval '${args.join(' ')}': cilium-sim advances the virtual clock at most ${formatDuration(MAX_ADVANCE_NS)} per sleep; sleep in steps\n`;
}
