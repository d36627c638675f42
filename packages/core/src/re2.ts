import { RE2JS } from 're2js';
import { assert } from './errors.ts';

/**
 * A regular expression from a user (an L7 rule's path, a Hubble filter, `grep -E`), compiled
 * with RE2 as Cilium (Go's regexp), Envoy (`safe_regex`) and Hubble do: RE2's syntax (`(?i)`,
 * `(?P<name>...)`, `[[:alpha:]]`, `\z`, `\p{L}`), no lookaround and no backreferences, and
 * matching in time linear in the input, so a nested quantifier cannot blow up.
 */
export interface Re2 {
  /** The pattern as the user wrote it. */
  readonly source: string;
  /** True when the pattern matches somewhere in `text`. */
  test(text: string): boolean;
  /** True when the pattern matches the whole of `text` (Envoy's `safe_regex` on a header value). */
  fullMatch(text: string): boolean;
  /** Every non-overlapping match in `text`, left to right (`grep -o`): group `group`'s text. */
  matchAll(text: string, group?: number): string[];
}

/** Options of `compileRe2`. */
export interface Re2Options {
  /** Case-insensitive matching, as `(?i)` or `grep -i`. */
  readonly ignoreCase?: boolean;
}

/**
 * The longest pattern compiled: RE2 bounds a program's size too; this keeps a pasted blob from
 * costing a compile before it is refused.
 */
export const MAX_RE2_PATTERN_CHARS = 4096;

/**
 * Compiles `source` with RE2's syntax, or returns why RE2 refuses it, worded as Go's regexp
 * does (`error parsing regexp: missing closing ): ...`). Callers name the field.
 */
export function compileRe2(source: string, options: Re2Options = {}): Re2 | string {
  const key = `${options.ignoreCase === true ? 'i' : '-'}${source}`;
  let re = cache.get(key);
  if (re === undefined) {
    // Compiled patterns are pure functions of their text: a bounded cache is safe across clusters.
    if (cache.size >= CACHE_SIZE) cache.clear();
    re = compile(source, options);
    cache.set(key, re);
  }
  return re;
}

const CACHE_SIZE = 1024;
const cache = new Map<string, Re2 | string>();

function compile(source: string, options: Re2Options): Re2 | string {
  if (source.length > MAX_RE2_PATTERN_CHARS)
    return `error parsing regexp: expression too large (${source.length} characters, the limit is ${MAX_RE2_PATTERN_CHARS})`;
  // re2js accepts lookbehind as an extension of its own; RE2, Go and Envoy do not.
  const lookbehind = /\(\?<[=!]/.exec(source);
  if (lookbehind !== null) return `error parsing regexp: invalid or unsupported Perl syntax: \`${lookbehind[0]}\``;
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, options.ignoreCase === true ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return {
    source,
    test: (text: string) => re.matcher(text).find(),
    fullMatch: (text: string) => re.matches(text),
    matchAll: (text: string, group = 0) => {
      const out: string[] = [];
      const m = re.matcher(text);
      while (m.find()) out.push(m.group(group) ?? '');
      return out;
    },
  };
}

/**
 * Compiles a pattern the simulator built itself from validated input (a DNS wildcard), which
 * RE2 always accepts; a failure is a bug in the builder.
 */
export function compiledRe2(source: string, ignoreCase = false): Re2 {
  const re = compileRe2(source, { ignoreCase });
  assert(typeof re !== 'string', `built an invalid RE2 pattern ${source}: ${re}`);
  return re;
}
