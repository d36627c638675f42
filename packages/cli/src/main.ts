#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import type { ClusterOptions } from '@cilium-sim/core';
import { CliUsage, clusterOptions, GLOBAL_OPTIONS } from './globalOptions.ts';
import { splitCiCommand } from './ciCommandLine.ts';

// The commands load the simulator when they run (one dynamic import, which the bundle compiles
// as one code-cached script), so `scenario list` and `--help` never load it.
const commandModules = () => import('./commandModules.ts');

const USAGE = `usage: cilium-sim [global options] COMMAND

Commands:
  run SCRIPT             run a walkthrough script, printing each command and its output
                         (run - reads the script from standard input)
  repl                   an interactive lab terminal (reads commands from a pipe too)
  scenario list          the bundled scenarios
  scenario NAME [--step] run a bundled scenario (--step pauses before each command)
  lab [NAME]             the labs with a task; NAME starts one: work in the REPL, then \`check\`
  test PATH ...          run ConnectivityTest files through the datapath (cilium-sim test -h)
  lint PATH ...          check policies for what Cilium refuses and for common traps
  replay FLOWS --with PATH
                         judge a Hubble export against candidate policies

Global options:
  --seed N               seed of every random choice (default 1)
  --nodes N              nodes of the kind cluster (default 3)
  --mutual-auth=false    run without SPIRE and mutual authentication (default on)
  --external NAME=IP     an outside host CoreDNS resolves (repeatable)
  --encryption MODE      disabled | wireguard | ipsec (default disabled)
  --cilium-version V     the Cilium installed, 1.14 to 1.20 (a minor or a release;
                         default 1.16.0, the labs' version)
  --tetragon             install Tetragon (runtime events: tetra getevents in ds/tetragon)
  --extension NAME       a feature outside upstream Cilium (repeatable): spiffe-tls-upgrade
                         (AccuKnox's originatingTLS/terminatingTLS with SPIFFE peer IDs)
  --trust-domain NAME    SPIRE's trust domain (default spiffe.cilium)
`;

async function main(argv: string[]): Promise<number> {
  // test, lint and replay parse their own flags: only the global options before them are ours.
  const ci = splitCiCommand(argv);
  const { values, positionals } = parseArgs({
    args: ci?.globals ?? argv,
    allowPositionals: true,
    options: {
      ...GLOBAL_OPTIONS,
      step: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = ci === undefined ? positionals : [ci.command];
  if (values.help === true || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  const stray = strayArgument(command, rest, values.step === true);
  if (stray !== undefined) return usageError(stray);
  // Core is loaded here only to check a --cilium-version; the commands load it anyway.
  const core = values['cilium-version'] === undefined ? undefined : (await commandModules()).core;
  const options = clusterOptions(values, core);
  if (ci !== undefined) return (await commandModules()).runCiCommand(ci.command, ci.args, options);
  switch (command) {
    case 'run': {
      const path = rest[0];
      if (path === undefined) return usageError('run needs a script: cilium-sim run SCRIPT');
      if (path === '') return noScript('');
      // `pnpm cilium-sim run FILE` runs in the workspace root; the user's FILE is relative to where they were.
      const cwd = process.env['INIT_CWD'] ?? process.cwd();
      const file = resolve(cwd, path);
      const { readHostFile, readStandardInput, createSimulator, nodeHostFiles, scriptDir, runScript } = await commandModules();
      // `run -` (or /dev/stdin, which is no regular file) reads the script from a pipe, as `bash -s`
      // does; its files are relative to where it runs.
      const piped = path === '-' || path === '/dev/stdin';
      const text = piped ? readStandardInput() : readScript(readHostFile, file, path);
      if (typeof text === 'number') return text;
      const sim = createSimulator(options, nodeHostFiles(piped ? cwd : scriptDir(file)));
      const result = runScript(text, sim.session, { name: piped ? 'stdin' : path, onOutput: print });
      // A malformed script runs nothing; its errors are the transcript. Otherwise the run ends with
      // the status of the last command run, as bash's does: `exit N`, a failure under `set -e`, or
      // the script's last line (a script whose last command fails fails).
      if (!result.ok) print(result.transcript);
      return result.ok ? result.exitCode : 1;
    }
    case 'repl': {
      const { createSimulator, nodeHostFiles, startRepl, completer, helpText } = await commandModules();
      const sim = createSimulator(options, nodeHostFiles(process.cwd()));
      return startRepl({
        input: process.stdin,
        output: process.stdout,
        session: sim.session,
        complete: completer(sim.cluster),
        help: helpText,
        isTTY: process.stdin.isTTY === true && process.stdout.isTTY === true,
      });
    }
    case 'scenario':
      return scenario(rest, options, values.step === true);
    case 'lab':
      return (await commandModules()).labCommand(rest, options);
    default:
      return usageError(`unknown command "${command}"`);
  }
}

/**
 * The script at `file`, or the status `bash FILE` ends with when there is none to read, after
 * bash's one line: 127 for a missing file, 126 for a folder.
 */
function readScript(read: (file: string) => string | undefined, file: string, path: string): string | number {
  let text: string | undefined;
  try {
    text = read(file);
  } catch (e) {
    if (!/is a directory/.test(e instanceof Error ? e.message : '')) throw e;
    process.stderr.write(`cilium-sim: run: ${path}: Is a directory\n`);
    return 126;
  }
  return text ?? noScript(path);
}

function noScript(path: string): number {
  process.stderr.write(`cilium-sim: run: ${path}: No such file or directory\n`);
  return 127;
}

/** How many words each command takes after its name; more is a usage error, as an unknown flag is. */
const MAX_ARGUMENTS: Readonly<Record<string, number>> = { run: 1, repl: 0, scenario: 1, lab: 1 };

/** What is wrong with the words after `command`, or undefined: a stray word, or --step where no scenario runs. */
function strayArgument(command: string, rest: readonly string[], step: boolean): string | undefined {
  const max = MAX_ARGUMENTS[command];
  const extra = max === undefined ? undefined : rest[max];
  if (extra !== undefined) return `${command}: unexpected argument "${extra}"`;
  if (step && (command !== 'scenario' || rest[0] === undefined || rest[0] === 'list' || rest[0] === '--list'))
    return '--step works with a scenario: cilium-sim scenario NAME --step';
  return undefined;
}

async function scenario(args: readonly string[], overrides: ClusterOptions, step: boolean): Promise<number> {
  const name = args[0];
  if (name === undefined || name === 'list' || name === '--list') {
    process.stdout.write((await import('./commands/scenarioTable.ts')).scenarioTable());
    return 0;
  }
  if (!step) {
    const { runScenario, nodeHostFiles } = await commandModules();
    const result = runScenario(name, overrides, nodeHostFiles(process.cwd()), print);
    if (!result.ok) print(result.transcript);
    return result.ok ? 0 : 1;
  }
  return stepThrough(name, overrides);
}

/** `--step`: shows each command's comment block, waits for Enter, then runs it. */
async function stepThrough(name: string, overrides: ClusterOptions): Promise<number> {
  const { loadScenario, scenarioClusterOptions, createSimulator, parseScript, nodeHostFiles } = await commandModules();
  const s = loadScenario(name);
  const sim = createSimulator(scenarioClusterOptions(s, overrides), nodeHostFiles(process.cwd()), s.files);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  const lines = rl[Symbol.asyncIterator]();
  process.stdout.write(`${s.title}\n${s.summary}\n\n`);
  const parsed = parseScript(s.script, `${name}/walkthrough.sh`);
  if ('errors' in parsed) {
    process.stderr.write(`${parsed.errors.join('\n')}\n`);
    return 1;
  }
  const scriptLines = s.script.split(/\r?\n/);
  for (const cmd of parsed.commands) {
    const comment = commentAbove(scriptLines, cmd.line);
    if (comment !== '') process.stdout.write(`\n${comment}\n`);
    process.stdout.write(`$ ${cmd.text}   [Enter to run] `);
    const next = await lines.next();
    if (next.done === true) process.stdout.write('\n');
    const r = sim.session.execute(cmd.program);
    process.stdout.write(r.output);
  }
  rl.close();
  return 0;
}

/** The `#` lines right above line `line` (1-based): the narrative of that step. */
function commentAbove(lines: readonly string[], line: number): string {
  const out: string[] = [];
  for (let i = line - 2; i >= 0 && lines[i]!.trim().startsWith('#'); i--) out.unshift(lines[i]!.trim().replace(/^#\s?/, ''));
  return out.join('\n');
}

function usageError(message: string): number {
  process.stderr.write(`cilium-sim: ${message}\n\n${USAGE}`);
  return 2;
}

/**
 * Writes one command's output at once. On Linux, Node writes to files and pipes synchronously,
 * so what a command printed is out before the next one starts: an error or a signal later
 * (SIGINT and SIGTERM keep their default action and stop the process at once, which a shell
 * reports as 130 and 143) loses nothing before it.
 */
function print(chunk: string): void {
  if (chunk !== '') process.stdout.write(chunk);
}

/** Bad input or a bug of any kind ends here with one clear line and an exit status, never a stack trace. */
function fatal(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string } | undefined)?.code;
  if (code === 'EPIPE') {
    // The reader went away (`| head`): stop quietly, as a tool killed by SIGPIPE does.
    process.exit(141);
  }
  const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '([^']+)'/.exec(message)?.[1] : undefined;
  const dashed = code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? /Option '(--[^']+)' argument is ambiguous/.exec(message)?.[1] : undefined;
  const option = clusterOptionProblem(e) ?? parseArgsProblem(code, message);
  if (unknown !== undefined) process.stderr.write(`cilium-sim: unknown flag: ${unknown}\n\n${USAGE}`);
  else if (dashed !== undefined)
    process.stderr.write(`cilium-sim: ${dashed}: a value that starts with a dash goes after =: ${dashed}=-N\n`);
  else process.stderr.write(`cilium-sim: ${option ?? message}\n`);
  process.exitCode = e instanceof CliUsage || option !== undefined || code?.startsWith('ERR_PARSE_ARGS') === true ? 2 : 1;
}

/** Node's parseArgs words a missing or unexpected value for JavaScript; this says it as a flag parser does. */
function parseArgsProblem(code: string | undefined, message: string): string | undefined {
  if (code !== 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return undefined;
  const missing = /^Option '(-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing !== null) return `flag needs an argument: ${missing[2]}`;
  const bool = /^Option '(--[\w-]+)' does not take an argument/.exec(message);
  return bool === null ? undefined : `${bool[1]} takes no value: leave it out, or write it alone to turn it on`;
}

/** The global option behind a cluster option core refused (`--nodes 0`), worded for the command line. */
function clusterOptionProblem(e: unknown): string | undefined {
  const issue = (e as { issues?: readonly { object?: string; path?: string; message?: string }[] } | undefined)?.issues?.[0];
  if (issue?.object !== 'cluster options' || issue.path === undefined || issue.message === undefined) return undefined;
  const flag = OPTION_FLAGS[issue.path.split(/[.[]/)[0]!];
  // Core words it for the library (`nodes must be ...`); the command line names the flag instead.
  return flag === undefined ? undefined : `${flag}: ${issue.message.replace(/^[A-Za-z]+ (?=must )/, '')}`;
}

const OPTION_FLAGS: Readonly<Record<string, string>> = {
  seed: '--seed',
  nodes: '--nodes',
  externalHosts: '--external',
  encryption: '--encryption',
  trustDomain: '--trust-domain',
  mutualAuth: '--mutual-auth',
};

async function entry(): Promise<void> {
  process.on('uncaughtException', (e) => {
    fatal(e);
    process.exit();
  });
  process.stdout.on('error', fatal);
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    fatal(e);
  }
}

await entry();
