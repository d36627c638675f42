import { builtinNames } from '../shell/builtins.ts';

/** What the REPL itself answers besides the shell: `help`, `clear`, `exit` (a built-in) and `quit`. */
export const REPL_WORDS = ['help', 'clear', 'quit'] as const;

/**
 * Builds a line completer (readline's shape: candidates and the word they complete): the word
 * under the cursor is completed from the provider's candidates for the current pipeline stage
 * (text after the last `|`, `;`, `&&`, `||`); in command position the shell's own built-ins
 * and the REPL's words are offered too.
 */
export function makeCompleter(complete: ((words: string[]) => string[]) | undefined): (line: string) => [string[], string] {
  return (line) => {
    const stage = line
      .split(/\|\||&&|[|;]/)
      .at(-1)!
      .replace(/^\s+/, '');
    const words = stage === '' ? [''] : stage.split(/\s+/);
    const partial = words.at(-1)!;
    const own = words.length === 1 ? [...builtinNames(), ...REPL_WORDS] : [];
    const candidates = [...own, ...(complete?.(words) ?? [])];
    const hits = [...new Set(candidates.filter((c) => c.startsWith(partial)))].sort();
    // A unique completion ends the word, as bash does, so typing can go straight on.
    return [hits.length === 1 ? [`${hits[0]} `] : hits, partial];
  };
}
