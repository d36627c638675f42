import type { Target } from './targets.ts';
import { parseTargets } from './targets.ts';
import { ALL_NAMESPACES_FLAG, DRY_RUN_FLAG, SELECTOR_FLAG, dryRunOf, kubectlError, kubectlFlags, namespaceOf } from './kubectlFlags.ts';
import { flagBool, flagString } from '../cobra/pflag.ts';

/** `kubectl label|annotate TYPE NAME k=v k2- [--overwrite]`: `remove` lists the keys written `k-`. */
export interface LabelRequest {
  readonly verb: 'label' | 'annotate';
  readonly targets: readonly Target[];
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
  readonly overwrite: boolean;
  readonly namespace: string;
  readonly namespaceGiven: boolean;
  readonly selector: string | undefined;
  readonly all: boolean;
  readonly allNamespaces: boolean;
  readonly dryRun: 'none' | 'client' | 'server';
}

export interface ScaleRequest {
  readonly verb: 'scale';
  readonly targets: readonly Target[];
  readonly replicas: number;
  readonly namespace: string;
  readonly namespaceGiven: boolean;
}

export interface RunRequest {
  readonly verb: 'run';
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly port: number | undefined;
  readonly restart: 'Always' | 'OnFailure' | 'Never';
  readonly namespace: string;
  readonly namespaceGiven: boolean;
  /** The words after `--`: the container's args (or its command with `--command`). */
  readonly args: readonly string[];
  readonly command: boolean;
  readonly stdin: boolean;
  readonly tty: boolean;
  readonly rm: boolean;
  readonly dryRun: 'none' | 'client' | 'server';
}

/** A label key as Kubernetes validates it: optional DNS prefix, then a 63-character name. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

export function parseLabel(args: readonly string[]): LabelRequest {
  return parseMetadataChange('label', args);
}

/** `kubectl annotate`: as label, but a value may be any text (`description='two words'`). */
export function parseAnnotate(args: readonly string[]): LabelRequest {
  return parseMetadataChange('annotate', args);
}

function parseMetadataChange(verb: 'label' | 'annotate', args: readonly string[]): LabelRequest {
  const noun = verb === 'label' ? 'label' : 'annotation';
  const flags = kubectlFlags(verb, args, [
    SELECTOR_FLAG,
    ALL_NAMESPACES_FLAG,
    DRY_RUN_FLAG,
    { name: 'overwrite', kind: 'bool' },
    { name: 'all', kind: 'bool' },
  ]);
  const isChange = (a: string): boolean => a.includes('=') || a.endsWith('-');
  const firstChange = flags.positionals.findIndex(isChange);
  const resources = firstChange === -1 ? flags.positionals : flags.positionals.slice(0, firstChange);
  const changes = firstChange === -1 ? [] : flags.positionals.slice(firstChange);
  const stray = changes.find((c) => !isChange(c));
  if (stray !== undefined) throw kubectlError(verb, `error: all resources must be specified before ${noun} changes: ${stray}`, stray);
  if (changes.length === 0) throw kubectlError(verb, `error: at least one ${noun} update is required`);
  // A key such as `__proto__` must be a key like any other, refused by the checks below.
  const set: Record<string, string> = Object.create(null);
  const remove: string[] = [];
  for (const c of changes) {
    if (c.endsWith('-') && !c.includes('=')) remove.push(c.slice(0, -1));
    else set[c.slice(0, c.indexOf('='))] = c.slice(c.indexOf('=') + 1);
  }
  for (const [k, v] of Object.entries(set)) {
    if (!LABEL_KEY.test(k) || (verb === 'label' && !LABEL_VALUE.test(v)))
      throw kubectlError(verb, `error: invalid ${noun} spec: ${k}=${v}`, `${k}=${v}`);
  }
  if (resources.length === 0)
    throw kubectlError(verb, 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  return {
    verb,
    targets: parseTargets(verb, resources),
    set,
    remove,
    overwrite: flagBool(flags, 'overwrite'),
    ...namespaceOf(flags),
    selector: flagString(flags, 'selector'),
    all: flagBool(flags, 'all'),
    allNamespaces: flagBool(flags, 'all-namespaces'),
    dryRun: dryRunOf(verb, flags),
  };
}

export function parseScale(args: readonly string[]): ScaleRequest {
  const flags = kubectlFlags('scale', args, [
    { name: 'replicas', kind: 'string' },
    { name: 'current-replicas', kind: 'string' },
  ]);
  const raw = flagString(flags, 'replicas');
  if (raw === undefined) throw kubectlError('scale', 'error: required flag(s) "replicas" not set', '--replicas');
  if (!/^-?\d+$/.test(raw)) {
    throw kubectlError(
      'scale',
      `error: invalid argument "${raw}" for "--replicas" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`,
      '--replicas',
    );
  }
  const replicas = Number(raw);
  if (replicas < 0)
    throw kubectlError('scale', 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0', '--replicas');
  const targets = parseTargets('scale', flags.positionals);
  if (targets.length === 0 || targets.every((t) => t.names.length === 0)) {
    throw kubectlError('scale', 'error: resource(s) were provided, but no name was specified');
  }
  return { verb: 'scale', targets, replicas, ...namespaceOf(flags) };
}

export function parseRun(args: readonly string[]): RunRequest {
  const flags = kubectlFlags('run', args, [
    { name: 'image', kind: 'string' },
    { name: 'labels', short: 'l', kind: 'string' },
    { name: 'port', kind: 'string' },
    { name: 'restart', kind: 'string' },
    { name: 'command', kind: 'bool' },
    { name: 'stdin', short: 'i', kind: 'bool' },
    { name: 'tty', short: 't', kind: 'bool' },
    { name: 'rm', kind: 'bool' },
    DRY_RUN_FLAG,
  ]);
  const name = flags.positionals[0];
  if (name === undefined) throw kubectlError('run', 'error: NAME is required for run');
  const image = flagString(flags, 'image');
  if (image === undefined || image === '') throw kubectlError('run', 'error: required flag(s) "image" not set', '--image');
  const restart = flagString(flags, 'restart') ?? 'Always';
  if (restart !== 'Always' && restart !== 'OnFailure' && restart !== 'Never') {
    throw kubectlError('run', `error: invalid restart policy: ${restart}`, '--restart');
  }
  const portText = flagString(flags, 'port');
  if (portText !== undefined && !/^-?\d+$/.test(portText)) {
    throw kubectlError(
      'run',
      `error: invalid argument "${portText}" for "--port" flag: strconv.ParseInt: parsing "${portText}": invalid syntax`,
      '--port',
    );
  }
  return {
    verb: 'run',
    name,
    image,
    labels: parseLabelList(flagString(flags, 'labels')),
    port: portText === undefined ? undefined : Number(portText),
    restart,
    ...namespaceOf(flags),
    args: [...flags.positionals.slice(1), ...(flags.afterDash ?? [])],
    command: flagBool(flags, 'command'),
    stdin: flagBool(flags, 'stdin'),
    tty: flagBool(flags, 'tty'),
    rm: flagBool(flags, 'rm'),
    dryRun: dryRunOf('run', flags),
  };
}

/** `--labels=app=web,tier=front`. */
function parseLabelList(raw: string | undefined): Record<string, string> {
  const labels: Record<string, string> = Object.create(null);
  if (raw === undefined || raw === '') return {};
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (eq <= 0 || !LABEL_KEY.test(key) || !LABEL_VALUE.test(value))
      throw kubectlError('run', `error: invalid label spec: ${pair}`, '--labels');
    labels[key] = value;
  }
  return { ...labels };
}
