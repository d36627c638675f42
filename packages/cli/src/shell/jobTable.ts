import type { BackgroundJob, CommandResult, JobSignal } from './command.ts';
import { applyRedirections, type ExpandedRedirection } from './redirect.ts';

interface Job {
  readonly id: number;
  readonly pid: number;
  /** The command as typed, for `jobs`. */
  readonly text: string;
  readonly job: BackgroundJob;
  /** Where its output goes (`tcpdump ... > out.txt &`), applied to every chunk it prints. */
  readonly redirections: readonly ExpandedRedirection[];
  /** Ended by `kill`. */
  killed: boolean;
}

/** bash's signal names and numbers for `kill -SIG` / `kill -N` / `kill -s SIG`. */
const SIGNALS: Readonly<Record<string, JobSignal>> = {
  HUP: 'HUP',
  SIGHUP: 'HUP',
  '1': 'HUP',
  INT: 'INT',
  SIGINT: 'INT',
  '2': 'INT',
  KILL: 'KILL',
  SIGKILL: 'KILL',
  '9': 'KILL',
  TERM: 'TERM',
  SIGTERM: 'TERM',
  '15': 'TERM',
};

/**
 * The shell's background jobs (`cmd &`): what they print reaches the terminal after each
 * command, as a terminal shows a job's output while the next commands run; `kill` stops one,
 * `wait` collects one that has ended, `jobs` lists them. As in a non-interactive shell, starting
 * and ending a job prints no `[1] PID` or `Done` notices.
 */
export class JobTable {
  readonly #jobs: Job[] = [];
  #nextPid = 4127;

  start(text: string, job: BackgroundJob, redirections: readonly ExpandedRedirection[]): void {
    const id = Math.max(0, ...this.#jobs.map((j) => j.id)) + 1;
    // The files were opened when the job started; what it prints later adds to them.
    const later = redirections.map((r) => (r.op === '>' ? { ...r, op: '>>' as const } : r));
    this.#jobs.push({ id, pid: this.#nextPid++, text, job, redirections: later, killed: false });
  }

  /**
   * What the jobs printed since the last call, through their redirections. A job a signal ended
   * leaves the table once its last words are out, as an interactive shell reports and forgets it,
   * so the next job is `%1` again; one that ended on its own waits for `wait` or `jobs`.
   */
  drain(files: Map<string, string>): { stdout: string; stderr: string } {
    let stdout = '';
    let stderr = '';
    for (const j of [...this.#jobs]) {
      const d = j.job.drain();
      if (j.killed) this.#jobs.splice(this.#jobs.indexOf(j), 1);
      if (d.stdout === '' && d.stderr === '') continue;
      const routed = applyRedirections({ ...d, exitCode: 0 }, j.redirections, files);
      if (typeof routed === 'string') continue;
      stdout += routed.stdout;
      stderr += routed.stderr;
    }
    return { stdout, stderr };
  }

  /** `kill [-SIG | -s SIG] %N|%%|%+|PID ...` */
  kill(args: readonly string[]): CommandResult {
    let signal: JobSignal = 'TERM';
    let rest = [...args];
    if (rest[0] === '-s' && rest[1] !== undefined) {
      const named = SIGNALS[rest[1].toUpperCase()];
      if (named === undefined) return failure(`kill: ${rest[1]}: invalid signal specification`);
      signal = named;
      rest = rest.slice(2);
    } else if (rest[0]?.startsWith('-') === true && rest[0] !== '-') {
      const named = SIGNALS[rest[0].slice(1).toUpperCase()];
      if (named === undefined) return failure(`kill: ${rest[0].slice(1)}: invalid signal specification`);
      signal = named;
      rest = rest.slice(1);
    }
    if (rest.length === 0)
      return failure('kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]', 2);
    let stderr = '';
    for (const target of rest) {
      const j = this.#find(target);
      if (typeof j === 'string') stderr += `cilium-sim: kill: ${j}\n`;
      else if (j.job.status === undefined) {
        j.job.signal(signal);
        j.killed = true;
      } else stderr += `cilium-sim: kill: (${j.pid}) - No such process\n`;
    }
    return { stdout: '', stderr, exitCode: stderr === '' ? 0 : 1 };
  }

  /** `wait [%N ...]`: the status of jobs that have ended; a job still waiting for packets never would. */
  wait(args: readonly string[]): CommandResult {
    const targets = args.length === 0 ? this.#jobs.map((j) => `%${j.id}`) : args;
    let status = 0;
    for (const target of targets) {
      const j = this.#find(target);
      if (typeof j === 'string') return failure(`wait: ${j}`, 127);
      if (j.job.status === undefined) {
        return failure(
          `wait: %${j.id} (${j.text}) would wait forever: nothing else runs while the shell waits; stop it with kill %${j.id}`,
        );
      }
      status = j.job.status;
      this.#jobs.splice(this.#jobs.indexOf(j), 1);
    }
    return { stdout: '', stderr: '', exitCode: status };
  }

  /** `jobs [-l]`: bash's listing; jobs that have ended are listed once, then forgotten. */
  list(args: readonly string[]): CommandResult {
    const long = args.includes('-l');
    let out = '';
    this.#jobs.forEach((j, i) => {
      const mark = i === this.#jobs.length - 1 ? '+' : i === this.#jobs.length - 2 ? '-' : ' ';
      const state = j.job.status === undefined ? 'Running' : j.job.status === 0 ? 'Done' : `Exit ${j.job.status}`;
      out += `[${j.id}]${mark}  ${long ? `${j.pid} ` : ''}${state.padEnd(24)}${j.text}${j.job.status === undefined ? ' &' : ''}\n`;
    });
    for (const j of this.#jobs.filter((x) => x.job.status !== undefined)) this.#jobs.splice(this.#jobs.indexOf(j), 1);
    return { stdout: out, stderr: '', exitCode: 0 };
  }

  #find(target: string): Job | string {
    const last = this.#jobs.at(-1);
    if (target === '%%' || target === '%+' || target === '%') return last ?? 'current: no such job';
    if (target === '%-') return this.#jobs.at(-2) ?? '%-: no such job';
    if (target.startsWith('%')) {
      const n = Number(target.slice(1));
      const byId = this.#jobs.find((j) => j.id === n);
      const byName = this.#jobs.find((j) => j.text.startsWith(target.slice(1)));
      return byId ?? byName ?? `${target}: no such job`;
    }
    if (/^\d+$/.test(target)) return this.#jobs.find((j) => j.pid === Number(target)) ?? `(${target}) - No such process`;
    return `${target}: arguments must be process or job IDs`;
  }
}

function failure(message: string, exitCode = 1): CommandResult {
  return { stdout: '', stderr: `cilium-sim: ${message}\n`, exitCode };
}
