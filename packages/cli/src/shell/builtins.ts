import { ok, type Builtin } from './command.ts';
import { awk } from './filters/awk.ts';
import { base64 } from './filters/base64.ts';
import { cat } from './filters/cat.ts';
import { cut } from './filters/cut.ts';
import { echo } from './filters/echo.ts';
import { grep } from './filters/grep.ts';
import { head } from './filters/head.ts';
import { jq } from './filters/jq.ts';
import { printf } from './filters/printf.ts';
import { sort } from './filters/sort.ts';
import { tail } from './filters/tail.ts';
import { tr } from './filters/tr.ts';
import { uniq } from './filters/uniq.ts';
import { wc } from './filters/wc.ts';
import { yq } from './filters/yq.ts';

/**
 * Commands the shell runs itself, in any pipeline position; every other name goes to the
 * dispatch. `export`, `unset`, `set` and `exit` change the session and live in the session.
 */
export const BUILTINS: Readonly<Record<string, Builtin>> = {
  awk,
  base64,
  cat,
  cut,
  echo,
  egrep: (args, io) => grep(['-E', ...args], io),
  false: () => ({ stdout: '', stderr: '', exitCode: 1 }),
  grep,
  head,
  jq,
  printf,
  sort,
  tail,
  tr,
  true: () => ok(),
  uniq,
  wc,
  yq,
  ':': () => ok(),
};

/** Names the session handles because they change its state. */
export const SESSION_BUILTINS = ['export', 'unset', 'set', 'exit', 'kill', 'wait', 'jobs', 'tee'] as const;

/** Every name the shell answers itself, for completion and help. */
export function builtinNames(): string[] {
  return [...Object.keys(BUILTINS), ...SESSION_BUILTINS].sort();
}
