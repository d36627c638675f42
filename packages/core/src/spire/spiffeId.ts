import { SimError } from '../errors.ts';

/**
 * A SPIFFE ID, `spiffe://<trust-domain><path>`: the name an X.509 SVID carries in its one URI SAN.
 * Not to be confused with a Cilium security identity (a number); Cilium names identity N
 * `spiffe://spiffe.cilium/identity/N`.
 */
export interface SpiffeId {
  /** Lowercase, e.g. `spiffe.cilium`. */
  readonly trustDomain: string;
  /** Empty (the trust domain itself) or `/seg/seg`, e.g. `/identity/17947`. */
  readonly path: string;
  toString(): string;
}

const SCHEME_PREFIX = 'spiffe://';
/** The SPIFFE ID standard caps a trust domain at 255 bytes and a whole ID at 2048 bytes. */
const MAX_TRUST_DOMAIN_BYTES = 255;
const MAX_ID_BYTES = 2048;

/** go-spiffe's reasons, word for word, because `spire-server` prints them as they are. */
export const SPIFFE_ID_REASONS = {
  empty: 'cannot be empty',
  wrongScheme: 'scheme is missing or invalid',
  missingTrustDomain: 'trust domain is missing',
  badTrustDomainChar: 'trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores',
  badPathSegmentChar: 'path segment characters are limited to letters, numbers, dots, dashes, and underscores',
  dotSegment: 'path cannot contain dot segments',
  noLeadingSlash: 'path must have a leading slash',
  emptySegment: 'path cannot contain empty segments',
  trailingSlash: 'path cannot have a trailing slash',
  trustDomainTooLong: `trust domain cannot be longer than ${MAX_TRUST_DOMAIN_BYTES} bytes`,
  idTooLong: `SPIFFE ID cannot be longer than ${MAX_ID_BYTES} bytes`,
} as const;

export type SpiffeIdReason = (typeof SPIFFE_ID_REASONS)[keyof typeof SPIFFE_ID_REASONS];

function isTrustDomainChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '.' || c === '-' || c === '_';
}

function isPathSegmentChar(c: string): boolean {
  return isTrustDomainChar(c) || (c >= 'A' && c <= 'Z');
}

/**
 * Why `path` is not a valid SPIFFE ID path, or undefined when it is. Cases, in go-spiffe's order:
 * empty path (valid: the ID names the trust domain), no leading slash, an empty segment (`//`),
 * a dot segment (`/.`, `/..`), a character outside [a-zA-Z0-9._-], a trailing slash.
 */
export function spiffePathProblem(path: string): SpiffeIdReason | undefined {
  if (path === '') return undefined;
  if (path[0] !== '/') return SPIFFE_ID_REASONS.noLeadingSlash;
  let segmentStart = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '/') {
      const segment = path.slice(segmentStart, i);
      if (segment === '/') return SPIFFE_ID_REASONS.emptySegment;
      if (segment === '/.' || segment === '/..') return SPIFFE_ID_REASONS.dotSegment;
      segmentStart = i;
    } else if (!isPathSegmentChar(c)) {
      return SPIFFE_ID_REASONS.badPathSegmentChar;
    }
  }
  const last = path.slice(segmentStart);
  if (last === '/') return SPIFFE_ID_REASONS.trailingSlash;
  if (last === '/.' || last === '/..') return SPIFFE_ID_REASONS.dotSegment;
  return undefined;
}

/**
 * Why `text` is not a SPIFFE ID, as go-spiffe's `spiffeid.FromString` words it, or undefined.
 * The scheme must be exactly lowercase `spiffe://`; a port, userinfo, query or fragment fails on
 * the character that introduces it (`:`, `@`, `?`, `#` are outside both character sets).
 */
export function spiffeIdProblem(text: string): SpiffeIdReason | undefined {
  if (text === '') return SPIFFE_ID_REASONS.empty;
  if (!text.startsWith(SCHEME_PREFIX)) return SPIFFE_ID_REASONS.wrongScheme;
  const rest = text.slice(SCHEME_PREFIX.length);
  let i = 0;
  for (; i < rest.length && rest[i] !== '/'; i++) {
    if (!isTrustDomainChar(rest[i]!)) return SPIFFE_ID_REASONS.badTrustDomainChar;
  }
  if (i === 0) return SPIFFE_ID_REASONS.missingTrustDomain;
  if (i > MAX_TRUST_DOMAIN_BYTES) return SPIFFE_ID_REASONS.trustDomainTooLong;
  const pathProblem = spiffePathProblem(rest.slice(i));
  if (pathProblem !== undefined) return pathProblem;
  // Only ASCII passes the character checks, so characters are bytes here.
  if (text.length > MAX_ID_BYTES) return SPIFFE_ID_REASONS.idTooLong;
  return undefined;
}

function makeSpiffeId(trustDomain: string, path: string): SpiffeId {
  const text = SCHEME_PREFIX + trustDomain + path;
  return Object.freeze({ trustDomain, path, toString: () => text });
}

/**
 * Parses a SPIFFE ID, throwing a SimError INVALID_SPIFFE_ID that names the field.
 *
 * @example parseSpiffeId('spiffe://spiffe.cilium/identity/17947').path === '/identity/17947'
 */
export function parseSpiffeId(text: string, field = 'spiffeID', object?: string): SpiffeId {
  const problem = spiffeIdProblem(text);
  if (problem !== undefined) {
    throw new SimError({
      code: 'INVALID_SPIFFE_ID',
      ...(object === undefined ? {} : { object }),
      path: field,
      message:
        `invalid SPIFFE ID ${JSON.stringify(text)}: ${problem}; ` +
        'expected spiffe://<trust-domain>/<path> with a lowercase trust domain and path segments of ' +
        '[a-zA-Z0-9._-], e.g. spiffe://spiffe.cilium/identity/17947',
    });
  }
  const rest = text.slice(SCHEME_PREFIX.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? makeSpiffeId(rest, '') : makeSpiffeId(rest.slice(0, slash), rest.slice(slash));
}

/** True when `text` is a valid SPIFFE ID. */
export function isSpiffeId(text: string): boolean {
  return spiffeIdProblem(text) === undefined;
}

/**
 * Builds the SPIFFE ID `spiffe://<trustDomain>/<segments joined by />`, validating both parts.
 *
 * @example spiffeIdOf('spiffe.cilium', 'identity', '17947').toString()
 */
export function spiffeIdOf(trustDomain: string, ...segments: string[]): SpiffeId {
  const path = segments.length === 0 ? '' : `/${segments.join('/')}`;
  return parseSpiffeId(SCHEME_PREFIX + trustDomain + path);
}

/** Why `name` is not a trust domain name (e.g. `spiffe.cilium`), or undefined. */
export function trustDomainProblem(name: string): SpiffeIdReason | undefined {
  if (name === '') return SPIFFE_ID_REASONS.missingTrustDomain;
  for (const c of name) if (!isTrustDomainChar(c)) return SPIFFE_ID_REASONS.badTrustDomainChar;
  if (name.length > MAX_TRUST_DOMAIN_BYTES) return SPIFFE_ID_REASONS.trustDomainTooLong;
  return undefined;
}

/** Throws a SimError INVALID_SPIFFE_ID unless `name` is a valid trust domain name. */
export function assertTrustDomain(name: string, field = 'trustDomain'): string {
  const problem = trustDomainProblem(name);
  if (problem === undefined) return name;
  throw new SimError({
    code: 'INVALID_SPIFFE_ID',
    path: field,
    message: `invalid trust domain ${JSON.stringify(name)}: ${problem}; e.g. spiffe.cilium`,
  });
}
