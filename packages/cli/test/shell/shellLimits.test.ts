// The shell's stated limits: a loop of doublings or a flood of output stops with a message,
// and the session goes on.
import { describe, expect, it } from 'vitest';
import { SHELL_LIMITS } from '../../src/shell/shellLimits.ts';
import { newSession } from './fakeTools.ts';

/** A session whose A holds 655,360 characters: 10 doubled 16 times. */
function withBigVariable() {
  const sh = newSession();
  sh.run('A=xxxxxxxxxx');
  for (let i = 0; i < 16; i++) sh.run('A=$A$A');
  return sh;
}

describe('shell limits', () => {
  it('refuses a variable over its limit and keeps the old value', () => {
    const sh = withBigVariable();
    expect(sh.env['A']).toHaveLength(655_360);
    const r = sh.run('A=$A$A');
    expect(r).toMatchObject({
      exitCode: 1,
      stderr: `cilium-sim: A: value too long (1310720 characters; a variable holds at most ${SHELL_LIMITS.variableChars})\n`,
    });
    expect(sh.env['A']).toHaveLength(655_360);
    expect(sh.run('export B=$A$A').stderr).toMatch(/^cilium-sim: export: B: value too long/);
    expect(sh.env['B']).toBeUndefined();
    expect(sh.run('echo ok').stdout).toBe('ok\n');
  });

  it('refuses a variable past the most a session holds', () => {
    const sh = newSession();
    const count = SHELL_LIMITS.variables - Object.keys(sh.env).length;
    for (let i = 0; i < count; i++) sh.env[`V${i}`] = '';
    expect(sh.run('V0=set').exitCode).toBe(0);
    expect(sh.run('ONE_MORE=x')).toMatchObject({
      exitCode: 1,
      stderr: `cilium-sim: too many variables (a session holds at most ${SHELL_LIMITS.variables})\n`,
    });
  });

  it("cuts a line's output at its limit, says so once, and goes on", () => {
    const sh = withBigVariable();
    const words = Array.from({ length: 30 }, () => '$A').join(' ');
    const r = sh.run(`echo ${words}; echo ${words} | wc -c`);
    expect(r.output.length).toBeLessThanOrEqual(SHELL_LIMITS.outputChars + 100);
    expect(r.output.endsWith(`\ncilium-sim: output cut at ${SHELL_LIMITS.outputChars} characters (the shell's limit)\n`)).toBe(true);
    expect(r.stdout).toHaveLength(SHELL_LIMITS.outputChars);
    expect(sh.run('echo ok').output).toBe('ok\n');
  });

  it('cuts what one stage of a pipe hands the next', () => {
    const sh = withBigVariable();
    const r = sh.run(`echo ${Array.from({ length: 30 }, () => '$A').join(' ')} | wc -c`);
    expect(r.stdout).toBe(`${SHELL_LIMITS.outputChars}\n`);
    expect(r.stderr).toBe(`cilium-sim: output cut at ${SHELL_LIMITS.outputChars} characters (the shell's limit)\n`);
  });

  it('stops a file of the session at its limit', () => {
    const sh = withBigVariable();
    let last = sh.run('echo $A >> f');
    for (let i = 0; i < 30 && last.stderr === ''; i++) last = sh.run('echo $A >> f');
    expect(last.stderr).toBe(`cilium-sim: f cut at ${SHELL_LIMITS.fileChars} characters (the shell's limit)\n`);
    expect(sh.files.get('f')).toHaveLength(SHELL_LIMITS.fileChars);
  });
});
