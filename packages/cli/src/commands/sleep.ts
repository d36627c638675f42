import { MAX_ADVANCE_NS, formatDuration, isSimError, parseDuration } from '@cilium-sim/core';
import { fail, ok } from '../shell/command.ts';
import type { CommandHandler } from './cliContext.ts';

const TRY_HELP = "Try 'sleep --help' for more information.\n";

/**
 * `sleep DURATION`: moves the virtual clock, running what falls due (rotations, GC, expiry).
 * A bare number is seconds, as coreutils' sleep takes it; `5m`, `1h30m` work too. A negative
 * interval is refused as coreutils refuses it; more than a day at once is refused, since every
 * timer of that day has to run.
 */
export const sleep: CommandHandler = (ctx, args) => {
  if (args.length === 0) return fail(`sleep: missing operand\n${TRY_HELP}`);
  let total = 0;
  for (const a of args) {
    const text = /^\d+(\.\d+)?$/.test(a) ? `${a}s` : a;
    let ns: number;
    try {
      ns = parseDuration(text, 'sleep');
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

function tooLong(args: readonly string[]): string {
  return `sleep: invalid time interval '${args.join(' ')}': cilium-sim advances the virtual clock at most ${formatDuration(MAX_ADVANCE_NS)} per sleep; sleep in steps\n`;
}
