import { SimError } from '@cilium-sim/core';
import { boolValue, FlagParseError, type FlagSpec, type FlagUse } from '../cobra/pflag.ts';
import { FILTER_FLAGS } from './observeFilterFlags.ts';

/*
 * The flags of `hubble observe` for the shared pflag reader: the filter flags (read in order, as
 * `--not` negates the next one) and the selector, formatting and connection flags.
 */

/** The selector, formatting and connection flags (everything but filters); `uint` values are read as strings. */
const OTHER_FLAGS: readonly FlagSpec[] = [
  { name: 'last', kind: 'string' },
  { name: 'first', kind: 'string' },
  { name: 'all', kind: 'bool' },
  { name: 'follow', short: 'f', kind: 'bool' },
  { name: 'since', kind: 'string' },
  { name: 'until', kind: 'string' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'print-node-name', kind: 'bool' },
  { name: 'print-policy-names', kind: 'bool' },
  { name: 'time-format', kind: 'string' },
  { name: 'numeric', kind: 'bool' },
  { name: 'ip-translation', kind: 'bool' },
  { name: 'color', kind: 'string' },
  { name: 'server', kind: 'string' },
  { name: 'port-forward', short: 'P', kind: 'bool' },
  { name: 'debug', short: 'D', kind: 'bool' },
];

/**
 * Every flag of `hubble observe`. Filter flags are string Values; those with a default for a bare
 * use (`-A`, `--ipv4`, `--encrypted`) take no next argument. `--not` is one of them.
 */
export const OBSERVE_FLAGS: readonly FlagSpec[] = [
  ...Object.entries(FILTER_FLAGS).map(
    ([name, f]): FlagSpec => ({
      name,
      kind: 'string',
      ...(f.short === undefined ? {} : { short: f.short }),
      ...(f.noValue === true ? { noOptDefault: 'true' } : {}),
    }),
  ),
  { name: 'not', kind: 'string', noOptDefault: 'true' },
  ...OTHER_FLAGS,
];

/** A flag `hubble observe` refused: a SimError with Hubble's message, named by the flag. */
export function flagError(flag: string, message: string): SimError {
  return new SimError({ code: 'INVALID_FLAG', object: 'hubble observe', path: flag, message });
}

/** A pflag complaint about a flag, as `hubble observe`'s SimError. */
export function asFlagError(e: unknown): never {
  if (e instanceof FlagParseError) throw flagError(e.problem.flag, e.problem.message);
  throw e;
}

export function parseBool(use: FlagUse): boolean {
  try {
    return use.value === undefined ? true : boolValue(use.value, use.spelled);
  } catch (e) {
    if (e instanceof FlagParseError) throw flagError(`--${use.spec.name}`, e.problem.message);
    throw e;
  }
}

const MAX_UINT64 = 2n ** 64n - 1n;

export function parseUint(use: FlagUse): number {
  const v = use.value ?? '';
  if (!/^\d+$/.test(v))
    throw flagError(
      `--${use.spec.name}`,
      `invalid argument "${v}" for "${use.spelled}" flag: strconv.ParseUint: parsing "${v}": invalid syntax`,
    );
  if (BigInt(v) > MAX_UINT64)
    throw flagError(
      `--${use.spec.name}`,
      `invalid argument "${v}" for "${use.spelled}" flag: strconv.ParseUint: parsing "${v}": value out of range`,
    );
  return Number(v);
}
