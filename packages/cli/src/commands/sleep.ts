import { parseDuration } from '@cilium-sim/core';
import { fail, ok } from '../shell/command.ts';
import type { CommandHandler } from './cliContext.ts';

/**
 * `sleep DURATION`: moves the virtual clock, running what falls due (rotations, GC, expiry).
 * A bare number is seconds, as coreutils' sleep takes it; `5m`, `1h30m` work too.
 */
export const sleep: CommandHandler = (ctx, args) => {
  if (args.length === 0) return fail('sleep: missing operand\nTry \'sleep --help\' for more information.\n');
  let total = 0;
  for (const a of args) {
    const text = /^\d+(\.\d+)?$/.test(a) ? `${a}s` : a;
    try {
      total += parseDuration(text, 'sleep');
    } catch {
      return fail(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
    }
  }
  ctx.cluster.advance(total);
  return ok();
};
