import { isSimError, utf8Length } from '@cilium-sim/core';
import { BUILTINS } from './builtins.ts';
import { UNMODELLED_BUILTINS } from './unmodelledBuiltins.ts';
import type { CommandResult, Dispatch } from './command.ts';
import { ExpansionError, expandWord, expandWordToString, type ExpandContext } from './expand.ts';
import { JobTable } from './jobTable.ts';
import { parse, type AndOrList, type Pipeline, type Program, type SimpleCommand } from './parse.ts';
import { tee } from './tee.ts';
import { applyRedirections, isInput, normalizePath, type ExpandedRedirection } from './redirect.ts';
import { defaultShellOptions, setBuiltin, type ShellOptions } from './shellOptions.ts';
import { ShellSyntaxError } from './shellSyntaxError.ts';
import { cutToLimit, SHELL_LIMITS, variableProblem } from './shellLimits.ts';

export interface ShellSessionOptions {
  readonly dispatch: Dispatch;
  /** Initial variables (`HOME`, ...); the session owns and changes its copy. */
  readonly env?: Readonly<Record<string, string>>;
  /** Reads a file the session's store does not hold (a script's manifests); undefined when absent. */
  readonly readFile?: (path: string) => string | undefined;
}

/** A line's result; `output` interleaves stdout and stderr command by command, as a terminal shows them. */
export interface RunResult extends CommandResult {
  readonly output: string;
}

/** Longer input lines are refused: no lab needs one, and it bounds the parser's work. */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * A shell session: variables, a file store for `> FILE`, the last exit status, and `run`,
 * which executes one input line (`;`, `&&`, `||`, pipes and all) against the dispatch.
 * It never throws for user input: syntax errors and unsupported syntax come back as
 * `cilium-sim: ...` on stderr with exit status 2, as bash reports its own syntax errors.
 *
 * @example
 * const sh = new ShellSession({ dispatch });
 * sh.run(`POD=$(kubectl get pods -o jsonpath='{.items[0].metadata.name}')`);
 * sh.run('kubectl logs $POD | grep -i error | head -5');
 */
export class ShellSession {
  readonly env: Record<string, string>;
  /** Files written with `>`/`>>`, by path as written (a leading `./` dropped). */
  readonly files = new Map<string, string>();
  lastStatus = 0;
  /** Set by `exit [N]`: the script runner and the REPL stop when they see it. */
  exitRequested: number | undefined;
  /** An arithmetic error ended the line being run: its remaining commands are skipped. */
  private lineEnded = false;
  /**
   * False while a script runs: a failed expansion (`${X:?message}`, an unset `$X` under `set -u`)
   * then ends it, as it ends a bash script; at a prompt only the command fails.
   */
  interactive = true;
  /** What `set -e`, `set -u` and `set -o pipefail` turned on. */
  readonly options: ShellOptions = defaultShellOptions();
  /** Background jobs (`cmd &`). */
  readonly jobs = new JobTable();
  private readonly dispatch: Dispatch;
  private readonly readFallback: ((path: string) => string | undefined) | undefined;

  constructor(options: ShellSessionOptions) {
    this.dispatch = options.dispatch;
    this.env = { ...options.env };
    this.readFallback = options.readFile;
  }

  /** Runs one input line, which may hold several commands. */
  run(line: string): RunResult {
    if (utf8Length(line) > MAX_LINE_BYTES) return this.shellError(`input line too long (over ${MAX_LINE_BYTES} bytes)`);
    let program: Program;
    try {
      program = parse(line);
    } catch (e) {
      if (e instanceof ShellSyntaxError) return this.shellError(e.message);
      throw e;
    }
    return this.execute(program);
  }

  /** Runs an already parsed program (the script runner parses every line before running any). */
  execute(program: Program): RunResult {
    const out = new Output();
    this.lineEnded = false;
    this.runProgram(program, this.env, out);
    this.lineEnded = false;
    return out.result(this.lastStatus);
  }

  /** A file from the store, else from the caller's reader. */
  readFile(path: string): string | undefined {
    // /dev/null reads as empty, where the host's reader refuses a device.
    if (path === '/dev/null') return '';
    return this.files.get(normalizePath(path)) ?? this.readFallback?.(path);
  }

  /** A file a built-in (`cat`, `grep`) names; one the host cannot read as text is refused in the tool's words. */
  private readFileFor(tool: string, path: string): string | undefined {
    try {
      return this.readFile(path);
    } catch (e) {
      if (!isSimError(e)) throw e;
      throw new FileOperandError(`${tool}: ${path}: ${hostFileProblem(e.message)}`);
    }
  }

  private shellError(message: string): RunResult {
    this.lastStatus = 2;
    const stderr = `cilium-sim: ${message}\n`;
    return { stdout: '', stderr, exitCode: 2, output: stderr };
  }

  private runProgram(program: Program, env: Record<string, string>, out: Output): void {
    for (const list of program) {
      if (this.exitRequested !== undefined || this.lineEnded) return;
      if (list.background === true) this.runBackground(list, env, out);
      else this.runAndOr(list, env, out);
      // What background jobs printed while the command ran reaches the terminal after it.
      const jobOutput = this.jobs.drain(this.files);
      out.add(jobOutput.stdout, jobOutput.stderr);
    }
  }

  /**
   * `cmd &`: a lone command may start a job that keeps running (a capture); anything else runs
   * to its end at once, since commands here take no wall-clock time. Either way `$?` is 0.
   */
  private runBackground(list: AndOrList, env: Record<string, string>, out: Output): void {
    const lone = list.rest.length === 0 && list.first.commands.length === 1 && !list.first.negated;
    // A background list runs in a subshell: its `exit` or a failure under `set -e` ends only it.
    const exitBefore = this.exitRequested;
    if (lone) {
      const result = this.runCommand(list.first.commands[0]!, '', env, out, true);
      out.add(result.stdout, result.stderr);
    } else this.runAndOr(list, env, out);
    this.exitRequested = exitBefore;
    this.lastStatus = 0;
  }

  private runAndOr(list: AndOrList, env: Record<string, string>, out: Output): void {
    this.lastStatus = this.runPipeline(list.first, env, out);
    let last = list.first;
    for (const { op, pipeline } of list.rest) {
      if (this.exitRequested !== undefined || this.lineEnded) return;
      if ((op === '&&') === (this.lastStatus === 0)) [this.lastStatus, last] = [this.runPipeline(pipeline, env, out), pipeline];
    }
    // As bash's errexit: only the list's last pipeline counts (`a && b` where a fails goes on), and `!` exempts it.
    const lastRan = list.rest.length === 0 || last === list.rest.at(-1)!.pipeline;
    if (this.options.errexit && this.lastStatus !== 0 && lastRan && !last.negated && this.exitRequested === undefined)
      this.exitRequested = this.lastStatus;
  }

  private runPipeline(pipeline: Pipeline, env: Record<string, string>, out: Output): number {
    let stdin = '';
    let status = 0;
    const alone = pipeline.commands.length === 1;
    pipeline.commands.forEach((command, i) => {
      // Each stage of a real pipeline runs in a subshell, so its assignments and its `exit` do not stay.
      const exitBefore = this.exitRequested;
      const result = this.runCommand(command, stdin, alone ? env : { ...env }, out);
      if (!alone) this.exitRequested = exitBefore;
      const last = i === pipeline.commands.length - 1;
      // What one stage hands the next is bounded as what the terminal sees is.
      const piped = last ? { text: '', note: '' } : cutToLimit(result.stdout, SHELL_LIMITS.outputChars, 'output');
      out.add(last ? result.stdout : '', result.stderr + piped.note);
      stdin = piped.text;
      if (!this.options.pipefail || result.exitCode !== 0) status = result.exitCode;
    });
    return pipeline.negated ? Number(status === 0) : status;
  }

  private runCommand(command: SimpleCommand, stdin: string, env: Record<string, string>, out: Output, background = false): CommandResult {
    try {
      return this.expandAndRun(command, stdin, env, out, background);
    } catch (e) {
      // Expanding a word the limits let through can still run out of stack or string room: the command fails, never the session.
      if (e instanceof RangeError) return failure(`cilium-sim: internal error while expanding a word: ${e.message}`, 70);
      if (!(e instanceof ExpansionError)) throw e;
      // A shell that is not interactive (a script) ends at a failed expansion, as bash does; an
      // arithmetic error ends only the line.
      if (e.endsLineOnly) this.lineEnded = true;
      else if (!this.interactive && this.exitRequested === undefined) this.exitRequested = 1;
      return failure(`cilium-sim: ${e.message}`, 1);
    }
  }

  private expandAndRun(
    command: SimpleCommand,
    stdin: string,
    env: Record<string, string>,
    out: Output,
    background: boolean,
  ): CommandResult {
    let substStatus: number | undefined;
    const ctx: ExpandContext = {
      env,
      lastStatus: this.lastStatus,
      nounset: this.options.nounset,
      assign: (name, value) => {
        const problem = variableProblem(env, { [name]: value });
        if (problem !== undefined) throw new ExpansionError(problem);
        setVariable(env, name, value);
      },
      substitute: (program) => {
        const inner = new Output();
        const [exitBefore, lineEndedBefore] = [this.exitRequested, this.lineEnded];
        this.runProgram(program, { ...env }, inner);
        [this.exitRequested, this.lineEnded] = [exitBefore, lineEndedBefore];
        substStatus = this.lastStatus;
        out.add('', inner.stderr);
        return inner.stdout;
      },
    };
    const assigned = Object.fromEntries(command.assignments.map((a) => [a.name, expandWordToString(a.value, ctx)]));
    const argv = command.words.flatMap((w) => expandWord(w, ctx));
    const redirections = command.redirections.map(
      (r): ExpandedRedirection => ({ fd: r.fd, op: r.op, target: expandWordToString(r.target, ctx) }),
    );
    const bad = redirections.find((r) => r.target === '' && r.op !== '<<' && r.op !== '<<<');
    if (bad !== undefined) return failure('cilium-sim: ambiguous redirect', 1);
    if (argv.length === 0) {
      const problem = variableProblem(env, assigned);
      if (problem !== undefined) return failure(`cilium-sim: ${problem}`, 1);
      for (const [name, value] of Object.entries(assigned)) setVariable(env, name, value);
      return this.redirect({ stdout: '', stderr: '', exitCode: substStatus ?? 0 }, redirections);
    }
    let input = stdin;
    for (const r of redirections.filter((x) => isInput(x.op))) {
      const text = this.input(r);
      if (typeof text !== 'string') return text;
      input = text;
    }
    const result = this.invoke(argv, input, { ...env, ...assigned }, env, background);
    if (result.job !== undefined) this.jobs.start(command.words.map((w) => w.raw).join(' '), result.job, redirections);
    return this.redirect(result, redirections);
  }

  /** What an input redirection feeds: a file's text, a here-document's body, a here-string and a newline. */
  private input(r: ExpandedRedirection): string | CommandResult {
    if (r.op === '<<') return r.target;
    if (r.op === '<<<') return `${r.target}\n`;
    try {
      return this.readFile(r.target) ?? failure(`cilium-sim: ${r.target}: No such file or directory`, 1);
    } catch (e) {
      if (isSimError(e)) return failure(`cilium-sim: ${r.target}: ${hostFileProblem(e.message)}`, 1);
      throw e;
    }
  }

  private redirect(result: CommandResult, redirections: readonly ExpandedRedirection[]): CommandResult {
    const routed = applyRedirections(result, redirections, this.files);
    return typeof routed === 'string' ? failure(`cilium-sim: ${routed}`, 1) : routed;
  }

  private invoke(
    argv: string[],
    stdin: string,
    commandEnv: Record<string, string>,
    env: Record<string, string>,
    background: boolean,
  ): CommandResult {
    const [name, ...args] = argv as [string, ...string[]];
    try {
      if (name === 'export') return exportVariables(args, env);
      if (name === 'unset') return unsetVariables(args, env);
      if (name === 'exit') return this.exit(args);
      if (name === 'set') return setBuiltin(args, this.options, env);
      if (name === 'kill') return this.jobs.kill(args);
      if (name === 'wait') return this.jobs.wait(args);
      if (name === 'jobs') return this.jobs.list(args);
      if (name === 'tee') return tee(args, stdin, this.files);
      if (UNMODELLED_BUILTINS.has(name))
        return failure(`cilium-sim: ${name}: shell builtin not supported in cilium-sim (\`help\` lists the commands the shell runs)`, 2);
      const builtin = BUILTINS[name];
      if (builtin !== undefined) return builtin(args, { stdin, env: commandEnv, readFile: (p) => this.readFileFor(name, p) });
      return this.dispatch(argv, { stdin, env: commandEnv, ...(background ? { background: true } : {}) });
    } catch (e) {
      if (e instanceof FileOperandError) return failure(e.message, 1);
      // A command's own bug must not take the session down or show a stack trace.
      if (isSimError(e)) return failure(`error: ${e.message}`, 1);
      return failure(`cilium-sim: internal error while running ${name}: ${e instanceof Error ? e.message : String(e)}`, 70);
    }
  }

  /**
   * `exit [N]`, as bash's: N modulo 256; more than one word is refused and the shell goes on; a
   * word that is no 64-bit number is refused and the shell still ends, with status 2.
   */
  private exit(args: readonly string[]): CommandResult {
    if (args.length > 1) return failure('cilium-sim: exit: too many arguments', 1);
    const text = args[0]?.trim();
    const numeric = text !== undefined && /^[-+]?\d+$/.test(text) && BigInt(text) <= 2n ** 63n - 1n && BigInt(text) >= -(2n ** 63n);
    if (text !== undefined && !numeric) {
      this.exitRequested = 2;
      return failure(`cilium-sim: exit: ${args[0]}: numeric argument required`, 2);
    }
    const code = text === undefined ? this.lastStatus : Number(BigInt.asUintN(8, BigInt(text)));
    this.exitRequested = code;
    return { stdout: '', stderr: '', exitCode: code };
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A file operand a built-in cannot read (`cat .`): its message is the whole line, as coreutils print it. */
class FileOperandError extends Error {}

/** What the host's reader said, in the words of coreutils and bash (`Is a directory`). */
function hostFileProblem(message: string): string {
  if (/: is a directory\b/.test(message)) return 'Is a directory';
  if (/: Permission denied$/.test(message)) return 'Permission denied';
  return message.replace(/^.*?: (?=is |cannot )/, '');
}

function exportVariables(args: readonly string[], env: Record<string, string>): CommandResult {
  if (args.length === 0)
    return {
      stdout: Object.keys(env)
        .sort()
        .map((k) => `declare -x ${k}="${env[k]!.replace(/(["\\$`])/g, '\\$1')}"\n`)
        .join(''),
      stderr: '',
      exitCode: 0,
    };
  let stderr = '';
  for (const arg of args.filter((a) => a !== '-p')) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!NAME.test(name)) stderr += `cilium-sim: export: \`${arg}': not a valid identifier\n`;
    else if (eq >= 0) {
      const problem = variableProblem(env, { [name]: arg.slice(eq + 1) });
      if (problem === undefined) setVariable(env, name, arg.slice(eq + 1));
      else stderr += `cilium-sim: export: ${problem}\n`;
    }
  }
  return { stdout: '', stderr, exitCode: stderr === '' ? 0 : 1 };
}

/** Stores a variable as an own property, so `__proto__=x` is a variable like any other. */
function setVariable(env: Record<string, string>, name: string, value: string): void {
  Object.defineProperty(env, name, { value, writable: true, enumerable: true, configurable: true });
}

function unsetVariables(args: readonly string[], env: Record<string, string>): CommandResult {
  for (const name of args) delete env[name];
  return { stdout: '', stderr: '', exitCode: 0 };
}

function failure(message: string, exitCode: number): CommandResult {
  return { stdout: '', stderr: `${message}\n`, exitCode };
}

/** What a line printed: separately, and interleaved in the order commands finished. */
class Output {
  stdout = '';
  stderr = '';
  output = '';
  #full = false;

  /** Adds a command's output; past SHELL_LIMITS.outputChars the rest is dropped, and a note says so once. */
  add(stdout: string, stderr: string): void {
    if (this.#full) return;
    const room = SHELL_LIMITS.outputChars - this.output.length;
    if (stdout.length + stderr.length <= room) {
      this.stdout += stdout;
      this.stderr += stderr;
      this.output += stdout + stderr;
      return;
    }
    this.#full = true;
    const out = stdout.slice(0, room);
    const err = stderr.slice(0, room - out.length);
    const note = `cilium-sim: output cut at ${SHELL_LIMITS.outputChars} characters (the shell's limit)\n`;
    this.stdout += out;
    this.stderr += err + (err === '' || err.endsWith('\n') ? '' : '\n') + note;
    const sep = out + err === '' || (out + err).endsWith('\n') ? '' : '\n';
    this.output += out + err + sep + note;
  }

  result(exitCode: number): RunResult {
    return { stdout: this.stdout, stderr: this.stderr, exitCode, output: this.output };
  }
}
