import { compileRe2 } from '../re2.ts';
import { join, type FieldReader, type RawObject } from '../k8s/fieldReader.ts';
import type { HeaderMatch, HttpRule, SecretRef, TlsContext } from './types.ts';

const MISMATCH = ['LOG', 'ADD', 'DELETE', 'REPLACE'] as const;

/**
 * Why `source` is not a regex Envoy would accept, or undefined. Envoy compiles the rule with RE2
 * (`safe_regex`), so RE2's syntax is the test: no lookaround, no backreferences.
 */
export function regexProblem(source: string): string | undefined {
  const re = compileRe2(source);
  return typeof re === 'string' ? `"${source}" is not a valid RE2 regular expression (${re})` : undefined;
}

/** Reads one `rules.http` entry; regexes are kept as text, the proxy anchors them. */
export function readHttpRule(r: FieldReader, raw: RawObject, p: string): HttpRule {
  r.knownKeys(raw, p, ['method', 'path', 'host', 'headers', 'headerMatches']);
  const rule: { -readonly [K in keyof HttpRule]: HttpRule[K] } = {};
  for (const field of ['method', 'path', 'host'] as const) {
    const v = r.string(raw[field], join(p, field));
    // Cilium hands Envoy a matcher only for a non-empty field (Go reads "" as left out).
    if (v === undefined || v === '') continue;
    const problem = regexProblem(v);
    if (problem !== undefined) r.report('INVALID_REGEX', join(p, field), `${problem}; the ${field} is matched as a whole-value regex`);
    else rule[field] = v;
  }
  const headers: HeaderMatch[] = (r.strings(raw['headers'], join(p, 'headers')) ?? []).map(parseHeader);
  r.list(raw['headerMatches'], join(p, 'headerMatches'), (hm, hp) => {
    const h = readHeaderMatch(r, hm, hp);
    if (h !== undefined) headers.push(h);
    return undefined;
  });
  if (headers.length > 0) rule.headers = headers;
  return rule;
}

/**
 * A `headers` entry as Cilium hands it to Envoy (pkg/envoy getHTTPRule): split at the first
 * space, `"X-My-Header: true"` or `"X-My-Header true"` is the exact value after that space
 * (trailing colons dropped from the name; an empty value matches any); without a space the whole
 * text is the name of a header that must be present, so `"X-My-Header:true"` names a header
 * nobody sends. Nothing is trimmed: `"X-My-Header:  true"` wants the value ` true`.
 */
function parseHeader(text: string): HeaderMatch {
  const space = text.indexOf(' ');
  if (space < 0) return { name: text };
  const name = text.slice(0, space).replace(/:+$/, '');
  const value = text.slice(space + 1);
  return value === '' ? { name } : { name, value };
}

function readHeaderMatch(r: FieldReader, raw: RawObject, p: string): HeaderMatch | undefined {
  r.knownKeys(raw, p, ['name', 'value', 'secret', 'mismatch']);
  const name = r.string(raw['name'], join(p, 'name'));
  const value = r.string(raw['value'], join(p, 'value'));
  const mismatchText = r.string(raw['mismatch'], join(p, 'mismatch'));
  const mismatch = MISMATCH.find((m) => m === mismatchText);
  if (mismatchText !== undefined && mismatch === undefined)
    r.report('INVALID_FIELD', join(p, 'mismatch'), `mismatch must be one of ${MISMATCH.join(', ')}, got "${mismatchText}"`);
  const secret = readSecret(r, raw['secret'], join(p, 'secret'));
  if (name === undefined || name === '') {
    r.report('INVALID_FIELD', join(p, 'name'), 'a header match needs a header name');
    return undefined;
  }
  return {
    name,
    ...(value === undefined ? {} : { value }),
    ...(mismatch === undefined ? {} : { mismatch }),
    ...(secret === undefined ? {} : { secret }),
  };
}

function readSecret(r: FieldReader, value: unknown, p: string): SecretRef | undefined {
  const raw = r.record(value, p);
  if (raw === undefined) return undefined;
  r.knownKeys(raw, p, ['name', 'namespace']);
  const name = r.string(raw['name'], join(p, 'name'));
  const namespace = r.string(raw['namespace'], join(p, 'namespace'));
  if (name === undefined || name === '') {
    r.report('INVALID_FIELD', join(p, 'name'), 'a secret reference needs a name');
    return undefined;
  }
  return namespace === undefined ? { name } : { name, namespace };
}

/** The TLS fields only AccuKnox's Cilium fork has, gated by the spiffeTlsUpgrade extension. */
const FORK_TLS_FIELDS = ['spiffe', 'dstPort'] as const;

/** Readers of objects under admission without the spiffeTlsUpgrade extension. */
const forkTlsRejected = new WeakSet<FieldReader>();

/**
 * Makes `r` reject `spiffe` and `dstPort` in TLS contexts, as upstream Cilium's CRD does; the
 * admission of a cluster without the spiffeTlsUpgrade extension calls it. Objects already
 * admitted parse with them.
 */
export function rejectForkTlsFields(r: FieldReader): void {
  forkTlsRejected.add(r);
}

/**
 * `terminatingTLS` / `originatingTLS`: a secret or inline PEMs, plus AccuKnox's `spiffe.peerIDs`
 * and `dstPort` (an integer port) when the reader accepts them.
 */
export function readTls(r: FieldReader, value: unknown, p: string): TlsContext | undefined {
  const raw = r.record(value, p);
  if (raw === undefined) return undefined;
  r.knownKeys(raw, p, ['secret', 'certificate', 'privateKey', 'trustedCA', ...FORK_TLS_FIELDS]);
  if (forkTlsRejected.has(r)) {
    for (const f of FORK_TLS_FIELDS.filter((k) => raw[k] !== undefined)) {
      r.report(
        'UNKNOWN_FIELD',
        join(p, f),
        `unknown field "${f}": it comes from AccuKnox's Cilium fork, not upstream Cilium; enable the spiffeTlsUpgrade extension to use it`,
      );
    }
  }
  const tls: { -readonly [K in keyof TlsContext]: TlsContext[K] } = {};
  const secret = readSecret(r, raw['secret'], join(p, 'secret'));
  if (secret !== undefined) tls.secret = secret;
  for (const f of ['certificate', 'privateKey', 'trustedCA'] as const) {
    const v = r.string(raw[f], join(p, f));
    if (v !== undefined) tls[f] = v;
  }
  const spiffe = r.record(raw['spiffe'], join(p, 'spiffe'));
  if (spiffe !== undefined) {
    r.knownKeys(spiffe, join(p, 'spiffe'), ['peerIDs']);
    const ids = r.strings(spiffe['peerIDs'], join(p, 'spiffe.peerIDs')) ?? [];
    ids.forEach((id, i) => {
      if (!/^spiffe:\/\/[^/]+(\/.*)?$/.test(id))
        r.report(
          'INVALID_SPIFFE_ID',
          `${join(p, 'spiffe.peerIDs')}[${i}]`,
          `"${id}" is not a SPIFFE ID; expected spiffe://<trust-domain>/<path>`,
        );
    });
    tls.spiffePeerIds = ids;
  }
  const dstPort = readDstPort(r, raw['dstPort'], join(p, 'dstPort'));
  if (dstPort !== undefined) tls.dstPort = dstPort;
  return tls;
}

/** `dstPort: 443` (or `"443"`): a port from 1 to 65535. */
function readDstPort(r: FieldReader, value: unknown, p: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  r.report('INVALID_PORT', p, `dstPort must be a port from 1 to 65535, got ${JSON.stringify(value)}`);
  return undefined;
}
