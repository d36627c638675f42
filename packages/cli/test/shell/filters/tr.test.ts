// tr as GNU coreutils' (in the C locale): translation with ranges, classes and escapes, -d, -s
// and -c, and its words for a bad command line. The outputs were compared with GNU tr 9.1.
import { describe, expect, it } from 'vitest';
import { newSession } from '../fakeTools.ts';

function run(line: string): { stdout: string; stderr: string; exitCode: number } {
  const r = newSession().run(line);
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}

describe('tr', () => {
  it.each([
    ['echo hello | tr a-z A-Z', 'HELLO\n'],
    ["echo hello | tr '[:lower:]' '[:upper:]'", 'HELLO\n'],
    ["printf 'a\\nb\\n' | tr -d '\\n'", 'ab'],
    ["echo 'a   b    c' | tr -s ' '", 'a b c\n'],
    ['echo hello | tr -d l', 'heo\n'],
    ['echo hello | tr el ip', 'hippo\n'],
    ['echo hello | tr a-z x', 'xxxxx\n'],
    ["echo 'hello world' | tr -c 'a-z\\n' '_'", 'hello_world\n'],
    ["echo 'aabbcc' | tr -s 'a-c'", 'abc\n'],
    ["echo 'a,b' | tr ',' '\\n'", 'a\nb\n'],
  ])('%s', (line, stdout) => {
    expect(run(line)).toEqual({ stdout, stderr: '', exitCode: 0 });
  });

  it.each([
    ['echo abc | tr', "tr: missing operand\nTry 'tr --help' for more information.\n"],
    [
      'echo abc | tr a',
      "tr: missing operand after 'a'\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n",
    ],
    [
      'echo abc | tr -d a b',
      "tr: extra operand 'b'\nOnly one string may be given when deleting without squeezing repeats.\nTry 'tr --help' for more information.\n",
    ],
    ['echo abc | tr z-a x', "tr: range-endpoints of 'z-a' are in reverse collating sequence order\n"],
    ["echo abc | tr '[:foo:]' x", "tr: invalid character class 'foo'\n"],
    ['echo abc | tr -x a b', "tr: invalid option -- 'x'\nTry 'tr --help' for more information.\n"],
  ])('%s is refused as GNU tr refuses it, with status 1', (line, stderr) => {
    expect(run(line)).toEqual({ stdout: '', stderr, exitCode: 1 });
  });
});
