// Background jobs (`cmd &`), with a stand-in for a capture: `listen` run with & becomes a job that
// prints each `ping` it hears while the next commands run, and `bye` with its count when stopped.
import { describe, expect, it } from 'vitest';
import type { BackgroundJob, CommandResult, Dispatch, JobSignal } from '../../src/shell/command.ts';
import { ShellSession } from '../../src/shell/session.ts';

function session(): ShellSession {
  const listeners: Listener[] = [];
  const dispatch: Dispatch = (argv, io): CommandResult => {
    const [name, ...args] = argv;
    if (name === 'ping') {
      for (const l of listeners) l.hear(args.join(' '));
      return { stdout: 'pong\n', stderr: '', exitCode: 0 };
    }
    if (name === 'listen') {
      if (io.background !== true) return { stdout: '', stderr: 'listen: only in the background\n', exitCode: 1 };
      const l = new Listener(args[0] === '-c' ? Number(args[1]) : undefined);
      listeners.push(l);
      return { stdout: '', stderr: 'listening\n', exitCode: 0, job: l };
    }
    return { stdout: '', stderr: `bash: ${name}: command not found\n`, exitCode: 127 };
  };
  return new ShellSession({ dispatch });
}

class Listener implements BackgroundJob {
  #out = '';
  #err = '';
  #heard = 0;
  readonly #limit: number | undefined;
  status: number | undefined;
  constructor(limit: number | undefined) {
    this.#limit = limit;
  }
  hear(what: string): void {
    if (this.status !== undefined) return;
    this.#out += `heard ${what}\n`;
    if (++this.#heard === this.#limit) this.status = 0;
  }
  drain(): { stdout: string; stderr: string } {
    const d = { stdout: this.#out, stderr: this.#err };
    this.#out = '';
    this.#err = '';
    return d;
  }
  signal(signal: JobSignal): void {
    this.#err += `bye after ${this.#heard} (${signal})\n`;
    this.status = signal === 'KILL' ? 137 : 0;
  }
}

describe('background jobs', () => {
  it("shows a job's output after each command that made it, and its last words when killed", () => {
    const sh = session();

    const start = sh.run('listen &');
    const first = sh.run('ping one');
    const kill = sh.run('kill %1');

    expect([start.output, start.exitCode]).toEqual(['listening\n', 0]);
    expect(first.output).toBe('pong\nheard one\n');
    expect([kill.output, kill.exitCode]).toEqual(['bye after 1 (TERM)\n', 0]);
    expect(sh.run('ping two').output).toBe('pong\n');
    expect(sh.run('jobs').stdout).toBe('');
  });

  it('sends the signal kill names, and numbers the next job 1 again once a killed one is gone', () => {
    const sh = session();
    sh.run('listen &');
    expect(sh.run('kill -INT %%').output).toBe('bye after 0 (INT)\n');
    sh.run('listen &');
    expect(sh.run('jobs').stdout).toBe('[1]+  Running                 listen &\n');
    expect(sh.run('kill -s KILL %1').output).toBe('bye after 0 (KILL)\n');
  });

  it('waits for a job that ends by itself, and refuses to wait for one that never would', () => {
    const sh = session();
    sh.run('listen -c 1 &');
    sh.run('listen &');
    expect(sh.run('wait %2').stderr).toBe(
      'cilium-sim: wait: %2 (listen) would wait forever: nothing else runs while the shell waits; stop it with kill %2\n',
    );
    sh.run('ping once');
    expect(sh.run('jobs').stdout).toBe('[1]-  Done                    listen -c 1\n[2]+  Running                 listen &\n');
    expect(sh.run('wait %1').exitCode).toBe(127);
    const kill = sh.run('kill %2 %3');
    expect([kill.stderr, kill.exitCode]).toEqual(['cilium-sim: kill: %3: no such job\nbye after 1 (TERM)\n', 1]);
  });

  it('appends what a job prints later to the file its output was redirected to', () => {
    const sh = session();
    sh.run('listen > heard.txt &');
    sh.run('ping a');
    sh.run('ping b');
    sh.run('kill %1');
    expect(sh.files.get('heard.txt')).toBe('heard a\nheard b\n');
  });

  it('runs anything else sent to the background at once, with status 0', () => {
    const sh = session();
    const r = sh.run('ping now & ping then');
    expect([r.output, r.exitCode]).toEqual(['pong\npong\n', 0]);
    expect(sh.run('nosuch &').exitCode).toBe(0);
  });
});
