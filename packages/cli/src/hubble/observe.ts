import { isSimError, type Flow, type hubble } from '@cilium-sim/core';
import type { CommandResult } from '../shell/command.ts';
import { parseObserveArgs, type ObserveArgs } from './observeArgs.ts';
import { printCompact } from './printers/compact.ts';
import { printDict } from './printers/dict.ts';
import { printJson } from './printers/json.ts';
import { printTable } from './printers/table.ts';

/** Answers a GetFlows request over every node's buffer (the Relay view): `cluster.flows`. */
export type FlowSource = (query: hubble.FlowQuery) => Flow[];

/**
 * The query a parsed `hubble observe` sends. A command run in a script cannot stream, so
 * `--follow` without another selector asks for every flow recorded so far: what a terminal
 * left following since the start would have printed.
 */
export function observeQuery(args: ObserveArgs): hubble.FlowQuery {
  const sel = args.selection;
  const last = sel.last === Infinity ? undefined : sel.last;
  return {
    whitelist: args.whitelist,
    blacklist: args.blacklist,
    ...(sel.first !== undefined ? { first: sel.first } : {}),
    ...(last !== undefined ? { last } : {}),
    ...(sel.since !== undefined ? { since: sel.since } : {}),
    ...(sel.until !== undefined ? { until: sel.until } : {}),
  };
}

/** Prints flows in one of `hubble observe`'s output formats. */
export function printFlows(flows: readonly Flow[], args: Pick<ObserveArgs, 'output' | 'print'>): string {
  switch (args.output) {
    case 'compact':
      return printCompact(flows, args.print);
    case 'dict':
      return printDict(flows, args.print);
    case 'json':
    case 'jsonpb':
      return printJson(flows);
    case 'table':
      return printTable(flows, args.print);
  }
}

/**
 * Runs `hubble observe ARGS` against the flows `source` answers (the Relay view of all nodes)
 * and returns what the real command prints. Bad flags give Hubble's message on stderr
 * (`Error: unknown flag: --bogus`) and exit code 1, never a stack trace.
 *
 * @example hubbleObserve((q) => cluster.flows(q), ['--verdict', 'DROPPED', '--last', '5'], cluster.now().epochMs)
 */
export function hubbleObserve(source: FlowSource, argv: readonly string[], nowEpochMs: number): CommandResult {
  try {
    const args = parseObserveArgs(argv, nowEpochMs);
    return { stdout: printFlows(source(observeQuery(args)), args), stderr: '', exitCode: 0 };
  } catch (e) {
    if (!isSimError(e)) throw e;
    return { stdout: '', stderr: `Error: ${e.issues[0]!.message}\n`, exitCode: 1 };
  }
}
