import { type Cluster, hubble as hubbleLib, isSimError } from '@cilium-sim/core';
import { type CommandResult, fail, ok } from '../shell/command.ts';
import type { CommandHandler } from './cliContext.ts';

/** What `hubble status` takes that changes nothing in the simulator (the relay is always local). */
const STATUS_FLAGS = new Set(['--server', '--port-forward', '-P', '--debug', '-D', '--timeout', '--tls', '--config']);

/** `hubble observe ...` (the relay's view of every node) and `hubble status`. */
export const hubble: CommandHandler = (ctx, args) => {
  const [sub, ...rest] = args;
  const { cluster } = ctx;
  if (sub === 'observe') return observe(cluster, rest);
  if (sub === 'status') {
    const flag = rest.find((a) => a.startsWith('-') && !STATUS_FLAGS.has(a.split('=')[0]!));
    if (flag !== undefined) return fail(`Error: unknown flag: ${flag.split('=')[0]}\n`);
    const status = cluster.inspect.hubbleStatus();
    const nodes = status.nodes;
    const seen = status.seenFlows;
    const max = status.capacityPerNode * nodes;
    return ok(
      `Healthcheck (via localhost:4245): Ok\nCurrent/Max Flows: ${Math.min(seen, max).toLocaleString('en-US')}/${max.toLocaleString('en-US')} (${((100 * Math.min(seen, max)) / max).toFixed(2)}%)\nFlows/s: ${(seen / Math.max(1, cluster.now().elapsedNs / 1e9)).toFixed(2)}\nConnected Nodes: ${nodes}/${nodes}\n`,
    );
  }
  if (sub === undefined) return fail('Error: hubble needs a subcommand: observe or status\n');
  return fail(`Error: unknown command "${sub}" for "hubble"\nRun 'hubble --help' for usage.\n`);
};

/**
 * `hubble observe ARGS` against the relay: what the real command prints. A script cannot
 * stream, so `--follow` without another selector shows every flow recorded so far. Bad flags
 * give Hubble's message on stderr and exit code 1.
 */
function observe(cluster: Cluster, argv: readonly string[]): CommandResult {
  try {
    const args = hubbleLib.parseObserveArgs(argv, cluster.now().epochMs);
    const sel = args.selection;
    const flows = cluster.flows({
      whitelist: args.whitelist,
      blacklist: args.blacklist,
      ...(sel.first !== undefined ? { first: sel.first } : {}),
      ...(sel.last !== undefined && sel.last !== Infinity ? { last: sel.last } : {}),
      ...(sel.since !== undefined ? { since: sel.since } : {}),
      ...(sel.until !== undefined ? { until: sel.until } : {}),
    });
    return { stdout: hubbleLib.printFlows(flows, args), stderr: '', exitCode: 0 };
  } catch (e) {
    if (!isSimError(e)) throw e;
    return { stdout: '', stderr: `Error: ${e.issues[0]!.message}\n`, exitCode: 1 };
  }
}
