/**
 * A line the shell cannot run: malformed (`unterminated quote`) or outside the
 * supported subset (`unsupported shell syntax: for`). Thrown by the tokenizer and the
 * parser, caught by the session (exit 2) and the script runner (names the line).
 */
export class ShellSyntaxError extends Error {
  /**
   * True when more input could complete the line (an open quote or substitution, a
   * trailing `|` or `&&`), so the REPL asks for a continuation line instead of failing.
   */
  readonly incomplete: boolean;

  constructor(message: string, incomplete = false) {
    super(message);
    this.name = 'ShellSyntaxError';
    this.incomplete = incomplete;
  }
}

export function unsupported(what: string): ShellSyntaxError {
  return new ShellSyntaxError(`unsupported shell syntax: ${what}`);
}
