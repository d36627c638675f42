import { SimError, type SimIssue } from '../errors.ts';
import { normalizeSelectors, parseSelector, type Selector } from './entry.ts';
import { parseSpiffeId } from './spiffeId.ts';
import { MIN_X509_SVID_TTL_NS, NOT_BEFORE_CUSHION_NS } from './svid.ts';
import { NS_PER_S } from '../sim/duration.ts';

/** What a caller gives to create an entry; the server fills in ID and revision. */
export interface EntryInput {
  readonly spiffeId: string;
  /** Required unless `node`; a node entry's parent is the server, `spiffe://<td>/spire/server`. */
  readonly parentId?: string;
  /** At least one; `type:value` strings or parsed selectors. */
  readonly selectors: readonly (Selector | string)[];
  /** Seconds; omitted or 0 = server default (1h). */
  readonly x509SvidTtl?: number;
  /** Seconds; omitted or 0 = server default (5m). */
  readonly jwtSvidTtl?: number;
  /** A node entry: applies to agents whose attested selectors match, not to workloads. */
  readonly node?: boolean;
  readonly admin?: boolean;
  readonly downstream?: boolean;
  readonly dnsNames?: readonly string[];
  readonly expiresAt?: number;
}

export interface ValidEntryFields {
  readonly spiffeId: string;
  readonly parentId: string;
  readonly selectors: readonly Selector[];
  readonly x509SvidTtl: number;
  readonly jwtSvidTtl: number;
  readonly admin: boolean;
  readonly downstream: boolean;
  readonly dnsNames: readonly string[];
  readonly expiresAt: number;
}

const OBJECT = 'SPIRE registration entry';

function issueOf(e: unknown): SimIssue {
  if (e instanceof SimError) return e.issues[0]!;
  throw e;
}

function ttl(value: number | undefined, field: string, issues: SimIssue[], minS = 0): number {
  if (value === undefined) return 0;
  if (Number.isInteger(value) && value > 0 && value < minS) {
    issues.push({
      code: 'INVALID_FIELD',
      object: OBJECT,
      path: field,
      message: `TTL must be at least ${minS} seconds: the agent rotates an SVID at half its lifetime, which starts ${NOT_BEFORE_CUSHION_NS / NS_PER_S} s back, got ${value}`,
    });
    return 0;
  }
  if (Number.isInteger(value) && value >= 0) return value;
  issues.push({
    code: 'INVALID_FIELD',
    object: OBJECT,
    path: field,
    message: `TTL must be a whole number of seconds >= 0 (0 = server default), got ${value}`,
  });
  return 0;
}

function spiffeIdIn(text: string, field: string, trustDomain: string, issues: SimIssue[]): string {
  try {
    const id = parseSpiffeId(text, field, OBJECT);
    if (id.trustDomain !== trustDomain) {
      issues.push({
        code: 'INVALID_SPIFFE_ID',
        object: OBJECT,
        path: field,
        message: `${JSON.stringify(text)} is not a member of trust domain "${trustDomain}"; use spiffe://${trustDomain}/...`,
      });
    }
    return id.toString();
  } catch (e) {
    issues.push(issueOf(e));
    return text;
  }
}

function selectorsOf(input: EntryInput, issues: SimIssue[]): Selector[] {
  if (input.selectors.length === 0) {
    issues.push({
      code: 'INVALID_FIELD',
      object: OBJECT,
      path: 'selectors',
      message: 'at least one selector is required, e.g. cilium:mutual-auth',
    });
  }
  const out: Selector[] = [];
  input.selectors.forEach((s, i) => {
    try {
      out.push(typeof s === 'string' ? parseSelector(s, `selectors[${i}]`) : s);
    } catch (e) {
      issues.push({ ...issueOf(e), object: OBJECT });
    }
  });
  return normalizeSelectors(out);
}

/**
 * Validates an entry in one pass and reports every problem: SPIFFE ID and parent ID valid and in
 * the trust domain, a parent unless `node`, at least one well-formed selector, TTLs >= 0.
 */
export function validateEntryInput(input: EntryInput, trustDomain: string): ValidEntryFields {
  const issues: SimIssue[] = [];
  const spiffeId = spiffeIdIn(input.spiffeId, 'spiffeID', trustDomain, issues);
  let parentId = `spiffe://${trustDomain}/spire/server`;
  if (input.node !== true) {
    if (input.parentId === undefined || input.parentId === '') {
      issues.push({
        code: 'INVALID_FIELD',
        object: OBJECT,
        path: 'parentID',
        message: 'a parent ID is required if the node flag is not set',
      });
    } else {
      parentId = spiffeIdIn(input.parentId, 'parentID', trustDomain, issues);
    }
  }
  const selectors = selectorsOf(input, issues);
  const fields: ValidEntryFields = {
    spiffeId,
    parentId,
    selectors,
    x509SvidTtl: ttl(input.x509SvidTtl, 'x509SVIDTTL', issues, MIN_X509_SVID_TTL_NS / NS_PER_S),
    jwtSvidTtl: ttl(input.jwtSvidTtl, 'jwtSVIDTTL', issues),
    admin: input.admin ?? false,
    downstream: input.downstream ?? false,
    dnsNames: [...(input.dnsNames ?? [])],
    expiresAt: input.expiresAt ?? 0,
  };
  if (issues.length > 0) throw SimError.of(issues);
  return fields;
}
