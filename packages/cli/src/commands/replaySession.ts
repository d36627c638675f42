import { flowChangeLine, whatIf } from '@cilium-sim/core';
import type { CommandHandler } from './cliContext.ts';
import { fail, ok } from '../shell/command.ts';
import { errorLine, successLine } from '../kubectl/resultLines.ts';
import { manifestFilesOf, readManifests } from './manifestSource.ts';

const USAGE = 'usage: cilium-sim replay --with FILE|DIR ...';

/**
 * `cilium-sim replay --with PATH` inside a session: the flows recorded so far judged against the
 * cluster's policies with PATH applied on top (a dry run: nothing changes), reported as the
 * binary's replay of an export reports them. PATH is a manifest file or a directory of them.
 */
export const replaySessionCommand: CommandHandler = (ctx, args) => {
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const path = a === '--with' ? args[++i] : a.startsWith('--with=') ? a.slice('--with='.length) : undefined;
    if ((a === '--with' || a.startsWith('--with=')) && (path === undefined || path === ''))
      return fail(`error: flag needs an argument: --with\n${USAGE}\n`);
    if (path !== undefined) paths.push(path);
    else if (a === '-h' || a === '--help') return ok(`${USAGE}\n`);
    else
      return fail(
        `error: cilium-sim replay: unexpected argument "${a}" (a session replays its own flows; an export is replayed from your shell: cilium-sim replay FLOWS --with PATH)\n${USAGE}\n`,
      );
  }
  if (paths.length === 0) return fail(`error: cilium-sim replay needs the candidate policies: --with FILE|DIR\n${USAGE}\n`);
  for (const f of paths.flatMap((p) => manifestFilesOf(ctx, p)))
    if (ctx.readFile(f) === undefined) return fail(`error: the path "${f}" does not exist\n`);
  const report = whatIf(ctx.cluster, { apply: paths.map((p) => readManifests(ctx, p)).join('\n---\n') });
  const lines = [
    ...report.results.map((r) => (r.ok ? `${successLine(r.ref, r.verb)} (server dry run)` : errorLine(r.error))),
    '',
    'Flows whose verdict would change:',
    ...(report.flows.length === 0 ? ['  (none)'] : report.flows.map((f) => `  ${flowChangeLine(f)}`)),
  ];
  return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: report.flows.length > 0 ? 1 : 0 };
};
