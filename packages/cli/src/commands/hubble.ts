import { hubbleObserve } from '../hubble/observe.ts';
import { fail, ok } from '../shell/command.ts';
import type { CommandHandler } from './cliContext.ts';

/** What `hubble status` takes that changes nothing in the simulator (the relay is always local). */
const STATUS_FLAGS = new Set(['--server', '--port-forward', '-P', '--debug', '-D', '--timeout', '--tls', '--config']);

/** `hubble observe ...` (the relay's view of every node) and `hubble status`. */
export const hubble: CommandHandler = (ctx, args) => {
  const [sub, ...rest] = args;
  const { cluster } = ctx;
  if (sub === 'observe') return hubbleObserve((query) => cluster.flows(query), rest, cluster.now().epochMs);
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
