import { SimError } from '../errors.ts';
import { FILTER_FLAGS } from './observeFilterFlags.ts';

/*
 * Splitting `hubble observe` argv into flag uses, with pflag's rules and error messages:
 * `--flag v`, `--flag=v`, `-n v`, `-nv`, grouped booleans `-fA`, `--` ends the flags.
 */

export type Kind = 'bool' | 'uint' | 'string';
/** The selector, formatting and connection flags (everything but filters). */
export const OTHER_FLAGS: Readonly<Record<string, { kind: Kind; short?: string }>> = {
  last: { kind: 'uint' },
  first: { kind: 'uint' },
  all: { kind: 'bool' },
  follow: { kind: 'bool', short: 'f' },
  since: { kind: 'string' },
  until: { kind: 'string' },
  output: { kind: 'string', short: 'o' },
  'print-node-name': { kind: 'bool' },
  'print-policy-names': { kind: 'bool' },
  'time-format': { kind: 'string' },
  numeric: { kind: 'bool' },
  'ip-translation': { kind: 'bool' },
  color: { kind: 'string' },
  server: { kind: 'string' },
  'port-forward': { kind: 'bool', short: 'P' },
  debug: { kind: 'bool', short: 'D' },
};

export function flagError(flag: string, message: string): SimError {
  return new SimError({ code: 'INVALID_FLAG', object: 'hubble observe', path: flag, message });
}

function shortToLong(short: string): string | undefined {
  for (const [name, f] of Object.entries(FILTER_FLAGS)) if (f.short === short) return name;
  for (const [name, f] of Object.entries(OTHER_FLAGS)) if (f.short === short) return name;
  return undefined;
}

/** Takes a value-less form (`--all`, `-A`): a bool, or a filter with a default value. */
function takesNoValue(name: string): boolean {
  return OTHER_FLAGS[name]?.kind === 'bool' || FILTER_FLAGS[name]?.noValue === true;
}

export interface FlagUse {
  readonly name: string;
  /** `--last` or `-n`, as written, for error messages. */
  readonly spelled: string;
  readonly value: string | undefined;
}

/** Splits argv into flag uses and positional arguments; unknown flags and missing values throw. */
export function tokenize(argv: readonly string[]): { uses: FlagUse[]; positional: string[] } {
  const uses: FlagUse[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spelled = `--${name}`;
      if (FILTER_FLAGS[name] === undefined && OTHER_FLAGS[name] === undefined && name !== 'not')
        throw flagError(spelled, `unknown flag: ${spelled}`);
      if (eq !== -1) uses.push({ name, spelled, value: arg.slice(eq + 1) });
      else if (takesNoValue(name) || name === 'not') uses.push({ name, spelled, value: undefined });
      else if (i + 1 < argv.length) uses.push({ name, spelled, value: argv[++i]! });
      else throw flagError(spelled, `flag needs an argument: ${spelled}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      i = shortGroup(arg, argv, i, uses);
    } else positional.push(arg);
  }
  return { uses, positional };
}

/** One `-xyz` argument: booleans in a row, then at most one flag that takes the rest or the next argument. */
function shortGroup(arg: string, argv: readonly string[], i: number, uses: FlagUse[]): number {
  for (let c = 1; c < arg.length; c++) {
    const ch = arg[c]!;
    const name = shortToLong(ch);
    if (name === undefined) throw flagError(`-${ch}`, `unknown shorthand flag: '${ch}' in -${arg.slice(c)}`);
    const rest = arg.slice(c + 1);
    if (takesNoValue(name)) {
      if (rest.startsWith('=')) {
        uses.push({ name, spelled: `-${ch}`, value: rest.slice(1) });
        return i;
      }
      uses.push({ name, spelled: `-${ch}`, value: undefined });
      continue;
    }
    if (rest !== '') uses.push({ name, spelled: `-${ch}`, value: rest.replace(/^=/, '') });
    else if (i + 1 < argv.length) uses.push({ name, spelled: `-${ch}`, value: argv[++i]! });
    else throw flagError(`-${ch}`, `flag needs an argument: '${ch}' in -${ch}`);
    return i;
  }
  return i;
}

export function parseBool(use: FlagUse): boolean {
  const v = use.value ?? 'true';
  if (/^(1|t|T|TRUE|true|True)$/.test(v)) return true;
  if (/^(0|f|F|FALSE|false|False)$/.test(v)) return false;
  throw flagError(`--${use.name}`, `invalid argument "${v}" for "${use.spelled}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
}

const MAX_UINT64 = 2n ** 64n - 1n;

export function parseUint(use: FlagUse): number {
  const v = use.value ?? '';
  if (!/^\d+$/.test(v))
    throw flagError(
      `--${use.name}`,
      `invalid argument "${v}" for "${use.spelled}" flag: strconv.ParseUint: parsing "${v}": invalid syntax`,
    );
  if (BigInt(v) > MAX_UINT64)
    throw flagError(
      `--${use.name}`,
      `invalid argument "${v}" for "${use.spelled}" flag: strconv.ParseUint: parsing "${v}": value out of range`,
    );
  return Number(v);
}
