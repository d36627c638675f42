import { isSimError, parseDuration } from '@cilium-sim/core';

/**
 * Command-line flags as Go's standard `flag` package parses them, because `spire-server` uses it
 * (through mitchellh/cli), not cobra's pflag: `-name value`, `-name=value`, `--name`, booleans
 * without a value, no shorthands or grouping, parsing stops at the first non-flag argument or
 * `--`, and errors print the message followed by the usage. A different parser from
 * cobra/pflag.ts, kept apart on purpose.
 */
export interface FlagSpec {
  readonly name: string;
  /** `strings` is SPIRE's repeatable StringsFlag (shown as `value`). */
  readonly kind: 'string' | 'int' | 'bool' | 'duration' | 'strings';
  readonly usage: string;
  /** Printed as `(default ...)` in the usage. */
  readonly defaultValue?: string;
}

export type FlagValue = string | number | boolean | readonly string[];

export type FlagParse =
  | { readonly ok: true; readonly values: ReadonlyMap<string, FlagValue>; readonly args: readonly string[] }
  | { readonly ok: false; readonly stderr: string };

const TYPE_NAMES: Record<FlagSpec['kind'], string> = { string: 'string', int: 'int', bool: '', duration: 'duration', strings: 'value' };

/** Go's `PrintDefaults` under SPIRE's `Usage of <command>:` header; flags sorted by name. */
export function flagUsage(command: string, specs: readonly FlagSpec[]): string {
  const lines = [...specs]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => {
      const head = `  -${f.name}${TYPE_NAMES[f.kind] === '' ? '' : ` ${TYPE_NAMES[f.kind]}`}`;
      const def =
        f.defaultValue === undefined
          ? ''
          : f.kind === 'string'
            ? ` (default ${JSON.stringify(f.defaultValue)})`
            : ` (default ${f.defaultValue})`;
      return `${head}${head.length <= 4 ? '\t' : '\n    \t'}${f.usage}${def}\n`;
    });
  return `Usage of ${command}:\n${lines.join('')}`;
}

function convert(spec: FlagSpec, raw: string): FlagValue | undefined {
  switch (spec.kind) {
    case 'bool':
      return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)
        ? true
        : ['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)
          ? false
          : undefined;
    case 'int':
      return /^[+-]?\d+$/.test(raw) ? Number(raw) : undefined;
    case 'duration':
      try {
        return parseDuration(raw);
      } catch (e) {
        if (isSimError(e)) return undefined;
        throw e;
      }
    default:
      return raw;
  }
}

/** Parses `argv` against `specs`; on error, `stderr` is what Go prints (message, then usage). */
export function parseGoFlags(command: string, specs: readonly FlagSpec[], argv: readonly string[]): FlagParse {
  const values = new Map<string, FlagValue>();
  const fail = (message: string): FlagParse => ({ ok: false, stderr: `${message}\n${flagUsage(command, specs)}` });
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.length < 2 || arg[0] !== '-') break;
    if (arg === '--') {
      i++;
      break;
    }
    const body = arg.slice(arg[1] === '-' ? 2 : 1);
    if (body === '' || body[0] === '-' || body[0] === '=') return fail(`bad flag syntax: ${arg}`);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = specs.find((s) => s.name === name);
    if (spec === undefined) return fail(`flag provided but not defined: -${name}`);
    let raw = eq < 0 ? undefined : body.slice(eq + 1);
    if (raw === undefined && spec.kind !== 'bool') {
      if (i + 1 >= argv.length) return fail(`flag needs an argument: -${name}`);
      raw = argv[++i]!;
    }
    const value = convert(spec, raw ?? 'true');
    // Go's int is 64 bits: strconv.ParseInt's range error, worded as the flag package words it.
    if (spec.kind === 'int' && typeof value === 'number' && !inInt64(raw!))
      return fail(`invalid value ${JSON.stringify(raw)} for flag -${name}: value out of range`);
    if (value === undefined) {
      return fail(
        spec.kind === 'bool'
          ? `invalid boolean value ${JSON.stringify(raw)} for -${name}: parse error`
          : `invalid value ${JSON.stringify(raw)} for flag -${name}: parse error`,
      );
    }
    const prev = values.get(name);
    values.set(name, spec.kind === 'strings' ? [...((prev as readonly string[] | undefined) ?? []), value as string] : value);
  }
  return { ok: true, values, args: argv.slice(i) };
}

function inInt64(text: string): boolean {
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** Typed readers over parsed values, with each flag's zero value when it was not given. */
export function flagString(values: ReadonlyMap<string, FlagValue>, name: string, fallback = ''): string {
  const v = values.get(name);
  return typeof v === 'string' ? v : fallback;
}

export function flagStrings(values: ReadonlyMap<string, FlagValue>, name: string): readonly string[] {
  const v = values.get(name);
  return Array.isArray(v) ? v : [];
}

export function flagNumber(values: ReadonlyMap<string, FlagValue>, name: string): number {
  const v = values.get(name);
  return typeof v === 'number' ? v : 0;
}

export function flagBool(values: ReadonlyMap<string, FlagValue>, name: string): boolean {
  return values.get(name) === true;
}
