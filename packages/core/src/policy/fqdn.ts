import type { Label } from '../identity/labels.ts';
import { behaviourIn, type CiliumVersion } from '../version/ciliumVersion.ts';

/**
 * toFQDNs selectors and DNS name patterns (pkg/policy/api/fqdn.go). Names compare
 * case-insensitively and without the trailing dot. In a pattern `*` stands for zero or more
 * DNS characters within one label, so `*.cilium.io` matches `www.cilium.io` but not
 * `cilium.io`; a leading `**.` matches any number of labels; `*` alone matches every name.
 */
export interface FqdnSelector {
  readonly matchName?: string;
  readonly matchPattern?: string;
}

const NAME_RE = /^[-a-zA-Z0-9_.]+$/;
const PATTERN_RE = /^[-a-zA-Z0-9_.*]+$/;

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * The canonical string of a selector: `matchName=api.github.com` or `matchPattern=*.cilium.io`.
 * The DNS proxy labels the identities it allocates for learned IPs with `fqdnSelectorLabel`,
 * which is how a toFQDNs peer finds them.
 */
export function fqdnSelectorString(sel: FqdnSelector): string {
  return sel.matchName !== undefined ? `matchName=${normalise(sel.matchName)}` : `matchPattern=${normalise(sel.matchPattern ?? '')}`;
}

/** The label `fqdn:matchName=api.github.com` (the whole selector string is the key, value ''). */
export function fqdnSelectorLabel(sel: FqdnSelector): Label {
  return { source: 'fqdn', key: fqdnSelectorString(sel), value: '' };
}

/** Why a `matchName` is not a DNS name, or undefined when it is. */
export function fqdnNameProblem(name: string): string | undefined {
  if (name === '' || name.length > 255 || !NAME_RE.test(name))
    return `"${name}" is not a DNS name (letters, digits, '-', '_' and '.', at most 255 characters)`;
  return undefined;
}

/** Why a `matchPattern` / serverNames entry is malformed, or undefined when it is fine. */
export function fqdnPatternProblem(pattern: string): string | undefined {
  if (pattern === '' || pattern.length > 255 || !PATTERN_RE.test(pattern))
    return `"${pattern}" is not a DNS pattern (DNS characters and '*' only)`;
  if (pattern.slice(pattern.startsWith('**.') ? 3 : 0).includes('**'))
    return `"${pattern}" uses "**", which is allowed only as a leading "**."`;
  return undefined;
}

/** How a Cilium version reads name patterns (version/ciliumVersion.ts). */
export interface NameMatching {
  /** A leading `**.` in toFQDNs and DNS rules matches any depth (1.19); before, one label, as `*.` does. */
  readonly doubleStarAnyDepth: boolean;
  /** `serverNames` take `*.` and `**.` patterns (1.18); before, names compare exactly. */
  readonly sniPatterns: boolean;
}

export function nameMatching(version: CiliumVersion): NameMatching {
  return {
    doubleStarAnyDepth: behaviourIn(version, 'fqdn-double-star-multilevel'),
    sniPatterns: behaviourIn(version, 'sni-wildcards'),
  };
}

/**
 * The anchored, case-insensitive RegExp of a pattern; callers validated it first. Without
 * `anyDepth` (Cilium before 1.19) `**` is two `*`s within one label, so `**.cilium.io` is `*.cilium.io`.
 */
export function fqdnPatternRegExp(pattern: string, anyDepth = true): RegExp {
  const given = normalise(pattern);
  const p = anyDepth || !given.startsWith('**.') ? given : given.slice(1);
  if (p === '*') return /^.+$/;
  const deep = p.startsWith('**.');
  const body = (deep ? p.slice(3) : p)
    .split('')
    .map((c) => (c === '*' ? '[-a-z0-9_]*' : c === '.' ? '\\.' : c))
    .join('');
  return new RegExp(`^${deep ? '(?:[-a-z0-9_]+\\.)+' : ''}${body}$`, 'i');
}

/** True when `name` (with or without trailing dot) is selected by `sel`; `anyDepth` as in fqdnPatternRegExp. */
export function fqdnSelectorMatches(sel: FqdnSelector, name: string, anyDepth = true): boolean {
  const n = normalise(name);
  if (sel.matchName !== undefined) return normalise(sel.matchName) === n;
  return sel.matchPattern !== undefined && fqdnPatternRegExp(sel.matchPattern, anyDepth).test(n);
}
