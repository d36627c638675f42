import { describe, expect, it } from 'vitest';
import { parse } from '../../src/shell/parse.ts';
import { ShellSyntaxError } from '../../src/shell/shellSyntaxError.ts';

function syntaxError(line: string): ShellSyntaxError {
  try {
    parse(line);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${line}`);
}

describe('parse', () => {
  it('builds lists of and-or chains of pipelines', () => {
    const program = parse('a | b && c || d; e');
    expect(program).toHaveLength(2);
    expect(program[0]!.first.commands.map((c) => c.words[0]!.raw)).toEqual(['a', 'b']);
    expect(program[0]!.rest.map((r) => [r.op, r.pipeline.commands[0]!.words[0]!.raw])).toEqual([
      ['&&', 'c'],
      ['||', 'd'],
    ]);
  });

  it('separates leading assignments from the command words', () => {
    const [list] = parse('A=1 B="x y" kubectl get C=3');
    const command = list!.first.commands[0]!;
    expect(command.assignments.map((a) => a.name)).toEqual(['A', 'B']);
    expect(command.words.map((w) => w.raw)).toEqual(['kubectl', 'get', 'C=3']);
  });

  it('parses the body of a command substitution before anything runs', () => {
    expect(syntaxError('X=$(echo "open)').message).toBe('unterminated quote');
  });

  it('turns &> into stdout to the file and stderr to stdout', () => {
    const [list] = parse('cmd &> all.log');
    expect(list!.first.commands[0]!.redirections.map((r) => [r.fd, r.op, r.target.raw])).toEqual([
      [1, '>', 'all.log'],
      [2, 'dup', '1'],
    ]);
  });

  it.each([
    ['for i in 1 2; do echo $i; done', 'unsupported shell syntax: for loop'],
    ['while true; do :; done', 'unsupported shell syntax: while loop'],
    ['if true; then echo; fi', 'unsupported shell syntax: if'],
    ['f() { echo; }', 'unsupported shell syntax: function definition'],
    ['cat <<EOF', "here-document delimited by end-of-file (wanted `EOF')"],
    ['(cd x)', 'unsupported shell syntax: subshell ( ... )'],
    ['echo $((1+2)', 'unterminated command substitution $('],
    ['diff <(a) <(b)', 'unsupported shell syntax: process substitution <(...)'],
  ])('refuses %s clearly', (line, message) => {
    expect(syntaxError(line).message).toBe(message);
  });

  it('ends a list with & as a background job, and goes on to the next command', () => {
    const lists = parse('docker exec kind-worker tcpdump -i any -nn port 80 & kubectl get pods');
    expect(lists.map((l) => [l.first.commands[0]!.words[0]!.raw, l.background === true])).toEqual([
      ['docker', true],
      ['kubectl', false],
    ]);
    expect(parse('sleep 1 &')[0]?.background).toBe(true);
    expect(syntaxError('sleep 1 & ;').message).toBe("syntax error near unexpected token `;'");
  });

  it('reports a misplaced operator as bash does', () => {
    expect(syntaxError('| grep x').message).toBe("syntax error near unexpected token `|'");
    expect(syntaxError('echo >').message).toBe("syntax error near unexpected token `newline'");
  });

  it('asks for more input after a trailing pipe or &&', () => {
    expect(syntaxError('kubectl get pods |').incomplete).toBe(true);
    expect(syntaxError('true &&').incomplete).toBe(true);
  });

  it('refuses substitutions nested too deeply instead of exhausting the stack', () => {
    const deep = `${'$('.repeat(40)}x${')'.repeat(40)}`;
    expect(syntaxError(`echo ${deep}`).message).toMatch(/nested deeper than/);
  });
});
