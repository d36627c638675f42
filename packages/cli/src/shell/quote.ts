// Characters that never need quoting in any word position.
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
// `X=y` as the first word would be an assignment, so it is quoted.
const LOOKS_LIKE_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Quotes one argument so the shell reads it back unchanged: bare when safe, otherwise in
 * single quotes with each `'` written as `'\''`. Used to print commands (a shrunk
 * fast-check counterexample, a suggested command line) that can be pasted back.
 *
 * @example quoteArg("it's") === `'it'\\''s'`; quoteArg('-o') === '-o'
 */
export function quoteArg(arg: string): string {
  if (SAFE.test(arg) && !LOOKS_LIKE_ASSIGNMENT.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Quotes each argument and joins them with spaces: a command line. */
export function quoteArgs(args: readonly string[]): string {
  return args.map(quoteArg).join(' ');
}
