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

  /**
   * Set when what is open is a here-document: the line that ends it. A reader of many lines
   * (the script runner, the REPL) then looks for that line instead of parsing again at each one.
   */
  readonly hereDocument: OpenHereDocument | undefined;

  constructor(message: string, incomplete = false, hereDocument?: OpenHereDocument) {
    super(message);
    this.name = 'ShellSyntaxError';
    this.incomplete = incomplete;
    this.hereDocument = hereDocument;
  }
}

/** A here-document still waiting for its delimiter line. */
export interface OpenHereDocument {
  readonly delimiter: string;
  /** `<<-`: the delimiter line may start with tabs. */
  readonly stripTabs: boolean;
}

/** Whether `line` ends the here-document `doc`. */
export function endsHereDocument(doc: OpenHereDocument, line: string): boolean {
  const text = line.replace(/\r$/, '');
  return (doc.stripTabs ? text.replace(/^\t+/, '') : text) === doc.delimiter;
}

export function unsupported(what: string): ShellSyntaxError {
  return new ShellSyntaxError(`unsupported shell syntax: ${what}`);
}
