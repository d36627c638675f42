/**
 * Short-option parsing as getopt does it for the coreutils: `-iv` bundles flags, `-n5` and
 * `-n 5` give a value, `--` ends options, long options map to short ones through `long`.
 */
export interface OptionSpec {
  /** Letters of flags without a value. */
  readonly flags: string;
  /** Letters of options taking a value. */
  readonly values: string;
  /** `--count` -> `c`, `--lines` -> `n` (`--lines=5` works too). */
  readonly long?: Readonly<Record<string, string>>;
}

export interface ParsedOptions {
  readonly flags: ReadonlySet<string>;
  /** Every value given, in order (grep takes several -e). */
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly operands: readonly string[];
}

/** Returns the parsed options, or the message of the first bad option. */
export function parseOptions(args: readonly string[], spec: OptionSpec): ParsedOptions | string {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const operands: string[] = [];
  const addValue = (k: string, v: string): void => void values.set(k, [...(values.get(k) ?? []), v]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, inline] = splitLong(arg);
      const letter = spec.long?.[name];
      if (letter === undefined) return `unrecognized option '${arg}'`;
      if (!spec.values.includes(letter)) flags.add(letter);
      else if (inline !== undefined) addValue(letter, inline);
      else if (i + 1 < args.length) addValue(letter, args[++i]!);
      else return `option '${arg}' requires an argument`;
      continue;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      if (spec.flags.includes(letter)) {
        flags.add(letter);
      } else if (spec.values.includes(letter)) {
        const rest = arg.slice(j + 1);
        if (rest !== '') addValue(letter, rest);
        else if (i + 1 < args.length) addValue(letter, args[++i]!);
        else return `option requires an argument -- '${letter}'`;
        break;
      } else {
        return `invalid option -- '${letter}'`;
      }
    }
  }
  return { flags, values, operands };
}

function splitLong(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg.slice(2), undefined] : [arg.slice(2, eq), arg.slice(eq + 1)];
}

/** The last value of an option (later ones win, as in getopt users). */
export function lastValue(options: ParsedOptions, letter: string): string | undefined {
  return options.values.get(letter)?.at(-1);
}
