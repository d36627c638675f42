import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandWord } from '../../src/shell/expand.ts';
import { parse } from '../../src/shell/parse.ts';
import { quoteArg, quoteArgs } from '../../src/shell/quote.ts';
import { ShellSyntaxError } from '../../src/shell/shellSyntaxError.ts';
import { tokenize } from '../../src/shell/tokenize.ts';

/** The argv a line yields with no variables set: tokenizing, parsing and expanding. */
function argv(line: string, env: Record<string, string> = {}): string[] {
  const [list] = parse(line);
  const ctx = { env, lastStatus: 0, substitute: () => '' };
  return list!.first.commands[0]!.words.flatMap((w) => expandWord(w, ctx));
}

describe('tokenize', () => {
  it('splits words on blanks and recognises operators without spaces around them', () => {
    const kinds = tokenize('a|b&&c||d;e').map((t) => (t.kind === 'word' ? t.word.raw : t.kind === 'heredoc' ? '<<' : t.op));
    expect(kinds).toEqual(['a', '|', 'b', '&&', 'c', '||', 'd', ';', 'e']);
  });

  it('keeps single-quoted text literal, $ and backslashes included', () => {
    expect(argv(`echo '$HOME \\n "x"'`)).toEqual(['echo', '$HOME \\n "x"']);
  });

  it('honours backslash escapes in double quotes only before $ ` " \\ and newline', () => {
    expect(argv(`echo "a\\"b \\$X \\\\ \\n"`)).toEqual(['echo', 'a"b $X \\ \\n']);
  });

  it('joins adjacent quoted and unquoted pieces into one word', () => {
    expect(argv(`echo ab"c d"'e f'g`)).toEqual(['echo', 'abc de fg']);
  });

  it('keeps an empty quoted word as an argument', () => {
    expect(argv(`args "" ''`)).toEqual(['args', '', '']);
  });

  it("decodes C escapes in $'...'", () => {
    expect(argv(`echo $'a\\tb\\n\\x41\\''`)).toEqual(['echo', "a\tb\nA'"]);
  });

  it('treats an unquoted backslash as quoting the next character and backslash-newline as a join', () => {
    expect(argv('echo a\\ b c\\\nd')).toEqual(['echo', 'a b', 'cd']);
  });

  it('ignores a comment that starts a word, but not a # inside one', () => {
    expect(argv('echo a#b # comment "unterminated')).toEqual(['echo', 'a#b']);
  });

  it('reads 2>&1, 2>/dev/null and > as redirections, not words', () => {
    const tokens = tokenize('cmd 2>&1 >out 2>/dev/null');
    expect(tokens.filter((t) => t.kind === 'redirect').map((t) => t.kind === 'redirect' && `${t.fd ?? ''}${t.op}`)).toEqual([
      '2>&',
      '>',
      '2>',
    ]);
  });

  it('takes a whole $(...) with nested parentheses and quotes as one substitution', () => {
    const [word] = tokenize(`"$(echo "(a)" $(echo ')'))"x`);
    const parts = word?.kind === 'word' ? word.word.parts : [];
    expect(parts).toEqual([
      { kind: 'text', text: '', quoted: true },
      { kind: 'subst', source: `echo "(a)" $(echo ')')`, quoted: true },
      { kind: 'text', text: 'x', quoted: false },
    ]);
  });

  it('reports an unterminated quote as incomplete, so more input can finish it', () => {
    expect(() => tokenize(`echo "abc`)).toThrow(ShellSyntaxError);
    try {
      tokenize(`echo 'abc`);
    } catch (e) {
      expect((e as ShellSyntaxError).message).toBe('unterminated quote');
      expect((e as ShellSyntaxError).incomplete).toBe(true);
    }
  });

  it('rejects a ${...} it cannot expand as a bad substitution', () => {
    expect(() => tokenize('echo ${!x}')).toThrow('${!x}: bad substitution');
  });
});

describe('quoteArg', () => {
  it('leaves plain arguments bare and single-quotes the rest', () => {
    expect(quoteArgs(['kubectl', 'get', '-o', 'jsonpath={.items[0]}', "it's", 'A=b', ''])).toBe(
      `kubectl get -o 'jsonpath={.items[0]}' 'it'\\''s' 'A=b' ''`,
    );
  });

  it('round-trips any list of arguments through the tokenizer', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme-ascii' }).filter((s) => !s.includes('\0')),
          { maxLength: 6 },
        ),
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }),
        (ascii, unicode) => {
          const args = [...ascii, ...unicode];
          expect(argv(['args', ...args].map(quoteArg).join(' ')).slice(1)).toEqual(args);
        },
      ),
    );
  });

  it('quotes every shell metacharacter', () => {
    fc.assert(
      fc.property(fc.constantFrom(...'|&;<>()$`\\"\' \t\n*?[#~=%'.split('')), (c) => {
        expect(argv(`args ${quoteArg(`a${c}b`)}`)).toEqual(['args', `a${c}b`]);
      }),
    );
  });
});
