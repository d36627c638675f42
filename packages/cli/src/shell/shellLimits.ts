/**
 * How much the shell holds, so a loop of doublings (`A=$A$A`, `cat f f >> f`) or a command that
 * prints without end stops with a message instead of running the process out of memory. Each is
 * far above what a lab prints or stores; docs/reference/limits.md states them.
 */
export const SHELL_LIMITS = {
  /** What one input line (every command on it) prints, stdout and stderr together. */
  outputChars: 16 * 1024 * 1024,
  /** One variable's value. */
  variableChars: 1024 * 1024,
  /** Variables in a session. */
  variables: 10_000,
  /** One file of the session's store (`> FILE`, `>> FILE`). */
  fileChars: 16 * 1024 * 1024,
} as const;

/** `text` cut to `max` characters, and the note that says so (empty when nothing was cut). */
export function cutToLimit(text: string, max: number, what: string): { text: string; note: string } {
  if (text.length <= max) return { text, note: '' };
  return { text: text.slice(0, max), note: `cilium-sim: ${what} cut at ${max} characters (the shell's limit)\n` };
}

/**
 * Why the variables `assigned` cannot be stored in `env`, or undefined: a value over the
 * limit, or one variable too many.
 */
export function variableProblem(env: Readonly<Record<string, string>>, assigned: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(assigned)) {
    if (value.length > SHELL_LIMITS.variableChars)
      return `${name}: value too long (${value.length} characters; a variable holds at most ${SHELL_LIMITS.variableChars})`;
  }
  const added = Object.keys(assigned).filter((name) => !Object.hasOwn(env, name)).length;
  if (added > 0 && Object.keys(env).length + added > SHELL_LIMITS.variables)
    return `too many variables (a session holds at most ${SHELL_LIMITS.variables})`;
  return undefined;
}
