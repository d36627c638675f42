import { describe, expect, it } from 'vitest';
import { MAX_SCRIPT_COMMANDS, parseScript, runScript } from '../../src/shell/script.ts';
import { newSession } from './fakeTools.ts';

describe('runScript', () => {
  it('echoes each command as $ COMMAND followed by its output, skipping comments and blank lines', () => {
    const script = [
      '# Find the server pod',
      '',
      `SERVER_POD=$(kubectl get pods -o jsonpath='{.items[0].metadata.name}')`,
      'echo "server: $SERVER_POD"',
      'kubectl get pods | grep -v NAME | wc -l',
    ].join('\n');
    expect(runScript(script, newSession())).toEqual({
      ok: true,
      exitCode: 0,
      transcript: [
        `$ SERVER_POD=$(kubectl get pods -o jsonpath='{.items[0].metadata.name}')`,
        '$ echo "server: $SERVER_POD"',
        'server: echo-server-7d8b9c-x2k4p',
        '$ kubectl get pods | grep -v NAME | wc -l',
        '2',
        '',
      ].join('\n'),
    });
  });

  it('joins \\ continuations and echoes the original lines', () => {
    const result = runScript('args one \\\n  two\necho done', newSession());
    expect(result.transcript).toBe('$ args one \\\n  two\n["one","two"]\n$ echo done\ndone\n');
  });

  it('puts stderr after stdout and ends output without a newline on its own line', () => {
    const result = runScript(`fail\nkubectl get pods -o jsonpath='{.items[1].metadata.name}'\necho next`, newSession());
    expect(result.transcript).toBe(
      `$ fail\npartial\nboom\n$ kubectl get pods -o jsonpath='{.items[1].metadata.name}'\npod-worker-5b6c7d-q9w8e\n$ echo next\nnext\n`,
    );
  });

  it('stays ok when a command fails, since only a malformed script is an error', () => {
    expect(runScript('false\nnope', newSession()).ok).toBe(true);
  });

  it('continues a quote across lines', () => {
    expect(runScript('echo "a\nb"', newSession()).transcript).toBe('$ echo "a\nb"\na\nb\n');
  });

  it('names the line of an unterminated quote and runs nothing', () => {
    const session = newSession();
    const result = runScript('X=1\n# note\necho ok\n\necho "oops\necho never', session, { name: 'lab.sh' });
    expect(result).toEqual({ ok: false, exitCode: 2, transcript: 'lab.sh:5: unterminated quote\n' });
    expect(session.env['X']).toBeUndefined();
  });

  it('reports every bad line, bad substitutions and unsupported syntax included', () => {
    const result = runScript('echo ${a b}\necho fine\nfor x in 1; do :; done', newSession());
    expect(result.transcript).toBe('script.sh:1: ${a b}: bad substitution\nscript.sh:3: unsupported shell syntax: for loop\n');
  });

  it('stops at exit', () => {
    expect(runScript('echo a\nexit 0\necho b', newSession()).transcript).toBe('$ echo a\na\n$ exit 0\n');
  });

  it('omits the echo when asked', () => {
    expect(runScript('echo a', newSession(), { echo: false }).transcript).toBe('a\n');
  });

  it('refuses a script with more than the command limit', () => {
    const result = parseScript('true\n'.repeat(MAX_SCRIPT_COMMANDS + 1));
    expect(result).toEqual({ errors: [`script.sh: too many commands (the limit is ${MAX_SCRIPT_COMMANDS})`] });
  });
});
