/**
 * Reads a walkthrough script the way the CLI's runner does, enough to find what it
 * depends on: one command a line, `#` comments, `\` continuations. Quoting is
 * honoured when splitting words, so `grep "a\|b"` stays one word.
 */

export interface ScriptCommand {
  /** 1-based line where the command starts. */
  readonly line: number;
  /** The command with continuations joined by a single space. */
  readonly text: string;
}

export interface ManifestReference {
  readonly line: number;
  /** As written after `-f`: a path relative to the script's folder, or a URL. */
  readonly target: string;
  readonly isUrl: boolean;
}

/** The commands of a script, comments and blank lines dropped. */
export function scriptCommands(script: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  let pending: { line: number; parts: string[] } | undefined;
  script.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (pending === undefined && (trimmed === '' || trimmed.startsWith('#'))) return;
    const continues = trimmed.endsWith('\\');
    const part = continues ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { line: index + 1, parts: [] };
    if (part !== '') pending.parts.push(part);
    if (!continues) {
      commands.push({ line: pending.line, text: pending.parts.join(' ') });
      pending = undefined;
    }
  });
  if (pending !== undefined) commands.push({ line: pending.line, text: pending.parts.join(' ') });
  return commands;
}

/** Splits a command into words as a POSIX shell would, without expansions. */
export function splitWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && '"\\$`'.includes(command[i + 1] ?? '')) word = (word ?? '') + command[++i];
      else word = (word ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * Every `-f FILE`, `-f=FILE`, `--filename FILE` or `--filename=FILE` of the script's
 * kubectl commands (elsewhere `-f` means other things, e.g. `hubble observe -f` follows).
 */
export function manifestReferences(script: string): ManifestReference[] {
  return scriptCommands(script).flatMap(({ line, text }) => {
    const words = splitWords(text);
    if (words[0] !== 'kubectl') return [];
    return words.flatMap((w, i) => {
      const target = fileFlagValue(w, words[i + 1]);
      return target === undefined ? [] : [{ line, target, isUrl: /^https?:\/\//.test(target) }];
    });
  });
}

function fileFlagValue(word: string, next: string | undefined): string | undefined {
  if (word === '-f' || word === '--filename') return next;
  for (const prefix of ['-f=', '--filename=']) if (word.startsWith(prefix)) return word.slice(prefix.length);
  return undefined;
}
