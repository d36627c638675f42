/**
 * Command-line flags as spf13/pflag (under cobra) reads them for kubectl and cilium: flags and
 * arguments may interleave; `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`;
 * booleans cluster (`-it`) and take `--flag=false`; `--` ends the flags. node:util parseArgs
 * cannot express `--bool=false` or `-n=value`, hence this small reader.
 */
export type FlagKind = 'bool' | 'string' | 'list';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  /** `list` is pflag's StringSlice: repeatable and comma-separated. */
  readonly kind: FlagKind;
  /** pflag's NoOptDefVal: the value of a string flag written bare (`--dry-run` means `unchanged`). */
  readonly noOptDefault?: string;
}

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, string | boolean | readonly string[]>;
  readonly positionals: readonly string[];
  /** The words after `--`, or undefined when there was no `--`. */
  readonly afterDash: readonly string[] | undefined;
}

/** Why pflag refused a flag, with the flag as the user wrote it (the SimError path). */
export interface FlagProblem {
  readonly flag: string;
  /** pflag's own text: `unknown flag: --bogus`, `flag needs an argument: --namespace`. */
  readonly message: string;
}

export class FlagParseError extends Error {
  readonly problem: FlagProblem;
  constructor(problem: FlagProblem) {
    super(problem.message);
    this.problem = problem;
  }
}

/**
 * Reads `args` against `specs`. Throws FlagParseError with pflag's wording; the caller turns it
 * into the tool's own error line.
 */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const values = new Map<string, string | boolean | readonly string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return { values, positionals, afterDash: args.slice(i + 1) };
    if (arg.startsWith('--')) i = readLong(args, i, specs, values);
    else if (arg.startsWith('-') && arg.length > 1) i = readShorts(args, i, specs, values);
    else positionals.push(arg);
  }
  return { values, positionals, afterDash: undefined };
}

function readLong(
  args: readonly string[],
  i: number,
  specs: readonly FlagSpec[],
  values: Map<string, string | boolean | readonly string[]>,
): number {
  const arg = args[i]!;
  const eq = arg.indexOf('=');
  const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
  const spec = specs.find((s) => s.name === name);
  if (spec === undefined) throw new FlagParseError({ flag: `--${name}`, message: `unknown flag: --${name}` });
  if (eq !== -1) {
    store(spec, arg.slice(eq + 1), `--${name}`, values);
    return i;
  }
  if (spec.kind === 'bool') {
    values.set(spec.name, true);
    return i;
  }
  if (spec.noOptDefault !== undefined) {
    values.set(spec.name, spec.noOptDefault);
    return i;
  }
  if (i + 1 >= args.length) throw new FlagParseError({ flag: `--${name}`, message: `flag needs an argument: --${name}` });
  store(spec, args[i + 1]!, `--${name}`, values);
  return i + 1;
}

function readShorts(
  args: readonly string[],
  i: number,
  specs: readonly FlagSpec[],
  values: Map<string, string | boolean | readonly string[]>,
): number {
  const arg = args[i]!;
  for (let k = 1; k < arg.length; k++) {
    const c = arg[k]!;
    const spec = specs.find((s) => s.short === c);
    if (spec === undefined) throw new FlagParseError({ flag: `-${c}`, message: `unknown shorthand flag: '${c}' in ${arg}` });
    const rest = arg.slice(k + 1);
    if (spec.kind === 'bool') {
      if (rest.startsWith('=')) {
        store(spec, rest.slice(1), `-${c}`, values);
        return i;
      }
      values.set(spec.name, true);
      continue;
    }
    if (rest !== '') {
      store(spec, rest.startsWith('=') ? rest.slice(1) : rest, `-${c}`, values);
      return i;
    }
    if (i + 1 >= args.length) throw new FlagParseError({ flag: `-${c}`, message: `flag needs an argument: '${c}' in -${c}` });
    store(spec, args[i + 1]!, `-${c}`, values);
    return i + 1;
  }
  return i;
}

function store(spec: FlagSpec, raw: string, written: string, values: Map<string, string | boolean | readonly string[]>): void {
  if (spec.kind === 'bool') {
    const b = parseBool(raw);
    if (b === undefined) {
      throw new FlagParseError({
        flag: written,
        message: `invalid argument "${raw}" for "${written}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`,
      });
    }
    values.set(spec.name, b);
  } else if (spec.kind === 'list') {
    const prev = values.get(spec.name);
    const items = raw === '' ? [] : raw.split(',');
    values.set(spec.name, [...(Array.isArray(prev) ? (prev as readonly string[]) : []), ...items]);
  } else {
    values.set(spec.name, raw);
  }
}

/** Go's strconv.ParseBool. */
function parseBool(raw: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  return undefined;
}

/** Typed reads of a parse result. */
export function flagString(p: ParsedFlags, name: string): string | undefined {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagBool(p: ParsedFlags, name: string): boolean {
  return p.values.get(name) === true;
}

export function flagList(p: ParsedFlags, name: string): readonly string[] {
  const v = p.values.get(name);
  return Array.isArray(v) ? (v as readonly string[]) : [];
}

export function flagGiven(p: ParsedFlags, name: string): boolean {
  return p.values.has(name);
}
