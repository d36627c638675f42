import { flowChangeLine, hubble, isSimError, replayFlows, type ClusterOptions, type FlowReplayReport } from '@cilium-sim/core';
import { type CiEnv, CiUsageError, EXIT, parseCiArgs } from '../ci/ciEnv.ts';
import { readInputFiles } from '../node/inputFiles.ts';
import { malformedLine, readDocuments } from '../ci/sourceDocuments.ts';
import { successLine, errorLine } from '../kubectl/resultLines.ts';

export const REPLAY_USAGE = `usage: cilium-sim replay FLOWS --with PATH ... [-R] [--format text|json]

Replays a Hubble export (hubble observe -o json or -o jsonpb, one flow per line; - for standard
input) against candidate policies: the workloads, labels and identities the flows show are
rebuilt, the policies in PATH (files or directories) applied, and every recorded connection and
HTTP request judged again. Lists the ones whose verdict would change and the policies that decide.
PATH is the whole policy set to judge with: an export holds no policies.

  --with PATH       candidate manifests (repeatable; directories read their .yaml/.yml/.json)
  --format F        text (default) or json
  -R, --recursive   read directories recursively

Exit status: 0 no verdict changes, 1 some would change, 2 malformed input.
Inside a session, cilium-sim replay --with PATH judges the flows recorded so far instead.
`;

/** `cilium-sim replay FLOWS --with PATH ...`. */
export function replayCommand(args: readonly string[], _cluster: ClusterOptions, env: CiEnv): number {
  const { values, positionals } = parseCiArgs(args, {
    with: { type: 'string', multiple: true },
    format: { type: 'string' },
    recursive: { type: 'boolean', short: 'R' },
  });
  if (values['help'] === true) {
    env.out(REPLAY_USAGE);
    return EXIT.ok;
  }
  const format = values['format'] ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new CiUsageError(`invalid argument "${String(format)}" for "--format" flag: must be one of text, json`);
  const [flowsPath, ...extra] = positionals;
  if (flowsPath === undefined) throw new CiUsageError('replay needs a Hubble export: cilium-sim replay FLOWS --with PATH');
  if (extra.length > 0) throw new CiUsageError(`one export at a time; candidate manifests go after --with (got ${extra.join(' ')})`);
  const withPaths = (values['with'] as string[] | undefined) ?? [];
  if (withPaths.length === 0) throw new CiUsageError('replay needs the candidate policies: --with PATH');
  const [exportFile] = readInputFiles([flowsPath], { cwd: env.cwd, recursive: false, stdin: env.stdin });
  const parsed = hubble.parseFlowExport(exportFile!.text);
  const candidates = readInputFiles(withPaths, { cwd: env.cwd, recursive: values['recursive'] === true, stdin: env.stdin });
  const { malformed } = readDocuments(candidates);
  const bad = [...parsed.issues.map((i) => ({ file: exportFile!.path, line: i.line, message: i.message })), ...malformed];
  if (bad.length > 0) {
    env.err(bad.map(malformedLine).join(''));
    return EXIT.malformed;
  }
  let report: FlowReplayReport;
  try {
    report = replayFlows(parsed.flows, candidates.map((c) => c.text).join('\n---\n'));
  } catch (e) {
    if (isSimError(e)) throw new CiUsageError(e.message);
    throw e;
  }
  env.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : replayText(report, exportFile!.path));
  return report.changes.length > 0 ? EXIT.failed : EXIT.ok;
}

/** The report as text: what was rebuilt, the candidate's objects as kubectl words them, the changes. */
export function replayText(report: FlowReplayReport, source: string): string {
  const lines = [
    `Replayed ${count(report.flows, 'flow')} (${count(report.connections, 'connection')}) from ${source}: rebuilt ${count(report.rebuilt.namespaces, 'namespace')}, ${count(report.rebuilt.pods, 'pod')}, ${count(report.rebuilt.names, 'outside name')}.`,
    ...report.results.map((r) => (r.ok ? successLine(r.ref, r.verb) : errorLine(r.error))),
    '',
    'Flows whose verdict would change:',
    ...(report.changes.length === 0 ? ['  (none)'] : report.changes.map((c) => `  ${flowChangeLine(c)}`)),
  ];
  return `${lines.join('\n')}\n`;
}

/** `1 pod`, `3 pods`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
