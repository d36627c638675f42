import { hash32 } from '../sim/rng.ts';
import type { LogLine } from './agentLog.ts';

/** What the agent prints on start: its options, the banner with its build, and readiness. */
export interface StartupInput {
  /** When the container started, epoch ms. */
  readonly atEpochMs: number;
  /** The cilium-config ConfigMap the agent reads. */
  readonly config: Readonly<Record<string, string>>;
  /** `1.16.0 go version go1.22.5 linux/amd64` (version/ciliumComponents.ts `agentBuild`). */
  readonly build: string;
  /** Names this start among the node's agent starts, so each one takes its own time. */
  readonly seed: string;
}

/** How long an agent on a kind node takes from its first line to `Daemon initialization completed`. */
const MIN_BOOTSTRAP_NS = 3_000_000_000;
const BOOTSTRAP_SPREAD_NS = 4_000_000_000;

/**
 * The agent's start-up lines, a short set of what cilium-agent prints: each option it was
 * started with as `  --key='value'` (option.LogRegisteredOptions, the ConfigMap's keys here),
 * the Cilium banner and `Cilium <build>`, then `Daemon initialization completed` with the
 * bootstrap time (Go's duration format) once it is ready, a few seconds later.
 */
export function startupLines(input: StartupInput): LogLine[] {
  const info = (msg: string, atEpochMs = input.atEpochMs, fields: LogLine['fields'] = []): LogLine => ({
    atEpochMs,
    level: 'info',
    msg,
    fields,
    subsys: 'daemon',
  });
  const options = Object.keys(input.config)
    .sort()
    .map((key) => info(`  --${key}='${input.config[key]}'`));
  const banner = ['     _ _ _', ' ___|_| |_|_ _ _____', '|  _| | | | | |     |', '|___|_|_|_|___|_|_|_|', `Cilium ${input.build}`].map(
    (m) => info(m),
  );
  const bootstrapNs = MIN_BOOTSTRAP_NS + (hash32(input.seed) % BOOTSTRAP_SPREAD_NS);
  const ready = info('Daemon initialization completed', input.atEpochMs + Math.floor(bootstrapNs / 1e6), [
    ['bootstrapTime', goDuration(bootstrapNs)],
  ]);
  return [...options, ...banner, ready];
}

/** Go's time.Duration String for durations from 1 s to 1 min: `5.742683401s`. */
function goDuration(ns: number): string {
  const whole = Math.floor(ns / 1e9);
  const frac = String(ns % 1e9)
    .padStart(9, '0')
    .replace(/0+$/, '');
  return `${whole}${frac === '' ? '' : `.${frac}`}s`;
}
