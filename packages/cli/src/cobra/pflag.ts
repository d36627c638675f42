/**
 * Command-line flags as spf13/pflag (under cobra) reads them for kubectl, cilium and hubble:
 * flags and arguments may interleave; `--name=value`, `--name value`, `-n value`, `-nvalue`,
 * `-n=value`; booleans, and flags with a default for a bare use (pflag's NoOptDefVal), cluster
 * (`-it`, `-fA`) and take `--flag=false`; `--` ends the flags. node:util parseArgs cannot express
 * `--bool=false` or `-n=value`, hence this small reader. (spire-server is a Go `flag` program,
 * not a pflag one: see spire/goFlags.ts.)
 *
 * `scanFlags` yields the uses in order, as written, for tools whose flags act in order (hubble's
 * `--not` negates the next filter); `parseFlags` folds them into values by name.
 */
export type FlagKind = 'bool' | 'string' | 'list' | 'array';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  /** `list` is pflag's StringSlice: repeatable and comma-separated; `array` its StringArray: repeatable, each value whole. */
  readonly kind: FlagKind;
  /** pflag's NoOptDefVal: the value of a string flag written bare (`--dry-run` means `unchanged`). */
  readonly noOptDefault?: string;
}

/** One flag as the command line used it. */
export interface FlagUse {
  readonly spec: FlagSpec;
  /** `--last` or `-n`, as written, for error messages. */
  readonly spelled: string;
  /** The value written with it or after it; undefined for a bare boolean or NoOptDefVal flag. */
  readonly value: string | undefined;
}

export interface ScannedFlags {
  readonly uses: readonly FlagUse[];
  readonly positionals: readonly string[];
  /** The words after `--`, or undefined when there was no `--`. */
  readonly afterDash: readonly string[] | undefined;
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
 * A use with its value. A boolean's value is checked here, as pflag sets each flag as it reads
 * it: a bad value is reported before any later unknown flag.
 */
function use(spec: FlagSpec, spelled: string, value: string): FlagUse {
  if (spec.kind === 'bool') boolValue(value, spelled);
  return { spec, spelled, value };
}

/** Bare uses take no value: booleans, and flags with a NoOptDefVal. */
function takesNoValue(spec: FlagSpec): boolean {
  return spec.kind === 'bool' || spec.noOptDefault !== undefined;
}

/**
 * Splits `args` into flag uses (in order), positionals and the words after `--`. Throws
 * FlagParseError with pflag's wording for an unknown flag or a missing value; values are not
 * checked here.
 */
export function scanFlags(args: readonly string[], specs: readonly FlagSpec[]): ScannedFlags {
  const uses: FlagUse[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return { uses, positionals, afterDash: args.slice(i + 1) };
    if (arg.startsWith('--')) i = readLong(args, i, specs, uses);
    else if (arg.startsWith('-') && arg.length > 1) i = readShorts(args, i, specs, uses);
    else positionals.push(arg);
  }
  return { uses, positionals, afterDash: undefined };
}

function readLong(args: readonly string[], i: number, specs: readonly FlagSpec[], uses: FlagUse[]): number {
  const arg = args[i]!;
  const eq = arg.indexOf('=');
  const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
  const spelled = `--${name}`;
  const spec = specs.find((s) => s.name === name);
  if (spec === undefined) throw new FlagParseError({ flag: spelled, message: `unknown flag: ${spelled}` });
  if (eq !== -1) {
    uses.push(use(spec, spelled, arg.slice(eq + 1)));
    return i;
  }
  if (takesNoValue(spec)) {
    uses.push({ spec, spelled, value: undefined });
    return i;
  }
  if (i + 1 >= args.length) throw new FlagParseError({ flag: spelled, message: `flag needs an argument: ${spelled}` });
  uses.push({ spec, spelled, value: args[i + 1]! });
  return i + 1;
}

/** One `-xyz` argument: bare flags in a row, then at most one flag that takes the rest or the next argument. */
function readShorts(args: readonly string[], i: number, specs: readonly FlagSpec[], uses: FlagUse[]): number {
  const arg = args[i]!;
  for (let k = 1; k < arg.length; k++) {
    const c = arg[k]!;
    const spelled = `-${c}`;
    const spec = specs.find((s) => s.short === c);
    // pflag names the shorthands from the unknown one on: `-xq` with q unknown is `in -q`.
    if (spec === undefined) throw new FlagParseError({ flag: spelled, message: `unknown shorthand flag: '${c}' in -${arg.slice(k)}` });
    const rest = arg.slice(k + 1);
    if (takesNoValue(spec)) {
      if (rest.startsWith('=')) {
        uses.push(use(spec, spelled, rest.slice(1)));
        return i;
      }
      uses.push({ spec, spelled, value: undefined });
      continue;
    }
    if (rest !== '') {
      uses.push({ spec, spelled, value: rest.startsWith('=') ? rest.slice(1) : rest });
      return i;
    }
    if (i + 1 >= args.length) throw new FlagParseError({ flag: spelled, message: `flag needs an argument: '${c}' in ${spelled}` });
    uses.push({ spec, spelled, value: args[i + 1]! });
    return i + 1;
  }
  return i;
}

/**
 * Reads `args` against `specs` into values by flag name: the last use of a string flag wins, list
 * and array uses add up. Throws FlagParseError with pflag's wording; the caller turns it into the tool's
 * own error line.
 */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const scanned = scanFlags(args, specs);
  const values = new Map<string, string | boolean | readonly string[]>();
  for (const use of scanned.uses) store(use, values);
  return { values, positionals: scanned.positionals, afterDash: scanned.afterDash };
}

function store({ spec, spelled, value }: FlagUse, values: Map<string, string | boolean | readonly string[]>): void {
  if (spec.kind === 'bool') {
    values.set(spec.name, value === undefined ? true : boolValue(value, spelled));
  } else if (value === undefined) {
    values.set(spec.name, spec.noOptDefault ?? '');
  } else if (spec.kind === 'list' || spec.kind === 'array') {
    const prev = values.get(spec.name);
    const items = spec.kind === 'array' ? [value] : value === '' ? [] : value.split(',');
    values.set(spec.name, [...(Array.isArray(prev) ? (prev as readonly string[]) : []), ...items]);
  } else {
    values.set(spec.name, value);
  }
}

/** Go's strconv.ParseBool, as a pflag bool Value's Set runs it; pflag's message when it fails. */
export function boolValue(raw: string, spelled: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  throw new FlagParseError({
    flag: spelled,
    message: `invalid argument "${raw}" for "${spelled}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`,
  });
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
