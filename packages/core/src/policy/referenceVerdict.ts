import type { AuthType } from './authType.ts';
import type { Direction } from './direction.ts';
import { ALLOW_UNENFORCED, type PolicyDecision, type PolicyRef } from './policyDecision.ts';
import { matchTypeOf, portBlocks } from './policyMap.ts';
import { ReservedIdentity } from '../identity/reserved.ts';
import { computeEnforcement, ruleSelects, type EnforcementMode } from './enforcement.ts';
import type { NamedPorts, RuleWithRevision } from './l4Filter.ts';
import { l7Kinds, mergeL7, normaliseL7 } from './l7Merge.ts';
import { DEFAULT_POLICY_CONTEXT, isWildcardPeer, peerMatches, type IdentityInfo, type PolicyContext } from './peerSelector.ts';
import { PROTOCOL_NUMBERS, type HttpRule, type L7Rules, type PeerRule, type PolicyRules, type PortSpec } from './types.ts';

/**
 * The policy verdict computed the slow, obvious way: walk every rule for one packet. No
 * selector cache, no filters, no map. Property tests hold the fast path (resolution + policy
 * map lookup) to it; `explain` reports it.
 */
export interface ReferenceQuery {
  /** Parsed policies (revision 0) or repository rules with their revisions. */
  readonly policies: readonly PolicyRules[] | readonly RuleWithRevision[];
  readonly subject: IdentityInfo;
  readonly remote: IdentityInfo;
  readonly direction: Direction;
  readonly proto: number;
  readonly port: number;
  readonly mode?: EnforcementMode;
  readonly namedPorts?: { readonly ingress?: NamedPorts; readonly egress?: NamedPorts };
  readonly ctx?: PolicyContext;
  /** The agent's allow-localhost (default true, as on Kubernetes): the host may reach the subject. */
  readonly allowLocalhost?: boolean;
}

interface Contribution {
  readonly peerRule: PeerRule;
  readonly peerIndex: number;
  readonly l7: L7Rules | undefined;
  readonly ref: PolicyRef;
  readonly filter: string;
  readonly prefix: number | undefined;
}

interface Key {
  identity: number;
  slot: number;
  deny: boolean;
  l7: (L7Rules | undefined)[];
  redirect: boolean;
  auth: number;
  explicit: boolean;
  refs: Map<string, PolicyRef>;
}

export function toRuleList(policies: ReferenceQuery['policies']): readonly RuleWithRevision[] {
  return policies.flatMap((p: PolicyRules | RuleWithRevision) => ('rule' in p ? [p] : p.rules.map((rule) => ({ rule, revision: 0 }))));
}

/** The verdict for one packet; same shape and semantics as `PolicyMap.lookup`. Pure. */
export function referenceVerdict(q: ReferenceQuery): PolicyDecision {
  const selecting = toRuleList(q.policies).filter((r) => ruleSelects(r.rule, q.subject));
  const enforcement = computeEnforcement(
    selecting.map((r) => r.rule),
    q.mode ?? 'default',
  );
  const dir = q.direction === 'INGRESS' ? enforcement.ingress : enforcement.egress;
  if (!dir.enforced) return ALLOW_UNENFORCED;
  const all = q.mode === 'never' ? [] : contributions(selecting, q);
  const keys = new Map<string, Key>();
  const key = (identity: number, slot: number): Key => {
    const k = `${identity}/${slot}`;
    let v = keys.get(k);
    if (v === undefined)
      keys.set(k, (v = { identity, slot, deny: false, l7: [], redirect: false, auth: 0, explicit: false, refs: new Map() }));
    return v;
  };
  const ctx = q.ctx ?? DEFAULT_POLICY_CONTEXT;
  for (const c of all) {
    if (c.prefix === undefined) continue;
    const peer = c.peerRule.peers[c.peerIndex];
    if (peer === undefined || !peerMatches(peer, q.remote, ctx)) continue;
    const wildcard = isWildcardPeer(peer);
    const k = key(wildcard ? 0 : q.remote.id, c.prefix);
    k.refs.set(`${c.ref.kind}/${c.ref.namespace ?? ''}/${c.ref.name}`, c.ref);
    if (c.peerRule.deny) k.deny = true;
    else {
      const l7 = normaliseL7(c.l7, l7Kinds(all.filter((o) => o.filter === c.filter && !o.peerRule.deny).map((o) => o.l7)));
      if (l7 !== undefined) {
        k.redirect = true;
        k.l7.push(l7);
        if (!wildcard) k.l7.push(...wildcardL7Of(all, c.filter));
      }
      if (c.peerRule.authType !== undefined) [k.explicit, k.auth] = [true, Math.max(k.auth, c.peerRule.authType)];
    }
  }
  if (!dir.defaultDeny) key(0, 0);
  if (q.direction === 'INGRESS' && (q.allowLocalhost ?? true) && q.remote.id === ReservedIdentity.host)
    key(ReservedIdentity.host, 0).explicit = true;
  return choose([...keys.values()]);
}

function wildcardL7Of(all: readonly Contribution[], filter: string): (L7Rules | undefined)[] {
  const same = all.filter((o) => o.filter === filter && !o.peerRule.deny);
  const kinds = l7Kinds(same.map((o) => o.l7));
  return same
    .filter((o) => isWildcardPeer(o.peerRule.peers[o.peerIndex] ?? { kind: 'wildcard', key: '*' }))
    .map((o) => normaliseL7(o.l7, kinds));
}

/** Every (peer rule, peer, port) of the direction, with the packet's slot when the port matches. */
function contributions(selecting: readonly RuleWithRevision[], q: ReferenceQuery): Contribution[] {
  const out: Contribution[] = [];
  const named = q.direction === 'INGRESS' ? q.namedPorts?.ingress : q.namedPorts?.egress;
  for (const { rule, revision } of selecting) {
    const ref: PolicyRef = { ...rule.source, revision };
    for (const pr of q.direction === 'INGRESS' ? rule.ingress : rule.egress) {
      type Target = { spec: PortSpec | undefined; l7: L7Rules | undefined };
      const targets: Target[] =
        pr.portRules === undefined
          ? [{ spec: undefined, l7: undefined }]
          : pr.portRules.flatMap((p): Target[] =>
              p.ports.length === 0 ? [{ spec: undefined, l7: p.l7 }] : p.ports.map((spec) => ({ spec, l7: p.l7 })),
            );
      for (const { spec, l7 } of targets) {
        for (const [proto, start, end, exact] of ranges(spec, named)) {
          const filter = `${proto}/${start}/${end}/${exact}`;
          const prefix = slotFor(proto, start, end, exact, q.proto, q.port);
          for (const peerIndex of pr.peers.keys()) out.push({ peerRule: pr, peerIndex, l7, ref, filter, prefix });
        }
      }
    }
  }
  return out;
}

function ranges(spec: PortSpec | undefined, named: NamedPorts | undefined): [number, number, number, boolean][] {
  if (spec === undefined) return [[0, 0, 0, false]];
  const proto = PROTOCOL_NUMBERS[spec.protocol];
  const exact = spec.protocol === 'ICMP' || spec.protocol === 'ICMPv6';
  if (typeof spec.port === 'string') {
    return (named?.get(spec.port) ?? []).filter((n) => n.protocol === spec.protocol).map((n) => [proto, n.port, n.port, false]);
  }
  return [[proto, spec.port, spec.endPort ?? spec.port, exact]];
}

/** The map slot (0 = any protocol, 1 + port prefix bits) of the block holding the packet, if any. */
function slotFor(proto: number, start: number, end: number, exact: boolean, pktProto: number, pktPort: number): number | undefined {
  if (proto === 0) return 0;
  if (proto !== pktProto) return undefined;
  if (start === 0 && !exact) return 1;
  const block = portBlocks(start, end).find((b) => pktPort >= b.port && pktPort < b.port + 2 ** (16 - b.prefixLength));
  return block === undefined ? undefined : 1 + block.prefixLength;
}

function rank(k: Key): number {
  const prefix = k.slot === 0 ? 0 : 8 + k.slot - 1;
  return (k.redirect && !k.deny ? 100 : 0) + prefix * 2 + (k.identity !== 0 ? 1 : 0);
}

function choose(keys: readonly Key[]): PolicyDecision {
  const best = (ks: readonly Key[]): Key | undefined =>
    ks.reduce<Key | undefined>((a, k) => (a === undefined || rank(k) > rank(a) ? k : a), undefined);
  const refs = (k: Key): PolicyRef[] => [...k.refs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  const mt = (k: Key): string => matchTypeOf({ identity: k.identity, proto: k.slot === 0 ? 0 : 1, portPrefixLength: k.slot - 1 });
  const deny = best(keys.filter((k) => k.deny));
  if (deny !== undefined) return { allowed: false, denied: true, matchType: mt(deny), authType: 0, policies: refs(deny) };
  const allows = keys.filter((k) => !k.deny);
  const chosen = best(allows);
  if (chosen === undefined) return { allowed: false, denied: false, matchType: 'none', authType: 0, policies: [] };
  const others = Math.max(0, ...allows.filter((k) => k.explicit).map((k) => k.auth));
  const l7 = chosen.redirect ? mergeL7(chosen.l7) : undefined;
  return {
    allowed: true,
    denied: false,
    matchType: mt(chosen),
    authType: (chosen.explicit ? chosen.auth : others) as AuthType,
    policies: refs(chosen),
    ...(l7 === undefined ? {} : { l7 }),
  };
}

/** The parts of an HTTP request L7 rules look at. */
export interface ReferenceHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: readonly (readonly [string, string])[];
}

/**
 * Whether the L7 rules of a decision let an HTTP request through, computed from the rule
 * semantics (cilium-facts §2.4), not from the proxy's matcher: no HTTP rules, no restriction;
 * otherwise some rule must match with all its fields. `method`, `path` and `host` are regexes
 * over the whole value (Envoy's safe_regex); a header needs a same-named header (names in any
 * case) with exactly the value, or only its presence; a header with a mismatch action never
 * denies; one whose value lives in a secret cannot match in the sandbox.
 */
export function referenceHttpAllows(l7: L7Rules | undefined, req: ReferenceHttpRequest): boolean {
  if (l7?.http === undefined) return true;
  const whole = (re: string | undefined, value: string): boolean => re === undefined || new RegExp(`^(?:${re})$`).test(value);
  const header = (h: NonNullable<HttpRule['headers']>[number]): boolean => {
    if (h.mismatch !== undefined) return true;
    if (h.value === undefined && h.secret !== undefined) return false;
    return req.headers.some(([k, v]) => k.toLowerCase() === h.name.toLowerCase() && (h.value === undefined || h.value === v));
  };
  return l7.http.some(
    (r) => whole(r.method, req.method) && whole(r.path, req.path) && whole(r.host, req.host) && (r.headers ?? []).every(header),
  );
}

/**
 * Whether the L7 rules of a decision let a DNS query for `name` through: no DNS rules, no
 * restriction; otherwise some `matchName` equals the name or some `matchPattern` matches it,
 * both case-insensitive and ignoring a trailing dot. In a pattern `*` stands for zero or more
 * characters within one label, `*` alone for every name, a leading `**.` for one or more labels.
 * Matched label by label, character by character, without regexes.
 */
export function referenceDnsAllows(l7: L7Rules | undefined, name: string): boolean {
  if (l7?.dns === undefined) return true;
  const norm = (s: string): string => s.toLowerCase().replace(/\.$/, '');
  const n = norm(name);
  return l7.dns.some((r) =>
    r.matchName !== undefined ? norm(r.matchName) === n : r.matchPattern !== undefined && patternMatches(norm(r.matchPattern), n),
  );
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return name.length > 0;
  const labels = name.split('.');
  if (pattern.startsWith('**.')) {
    const rest = pattern.slice(3).split('.');
    // One or more whole labels first, then the rest label by label.
    return labels.length > rest.length && labels.slice(labels.length - rest.length).every((l, i) => labelMatches(rest[i]!, l));
  }
  const parts = pattern.split('.');
  return parts.length === labels.length && parts.every((p, i) => labelMatches(p, labels[i]!));
}

/** Glob within one label: `*` is any run of characters, every other character itself. */
function labelMatches(p: string, l: string): boolean {
  if (p === '') return l === '';
  if (p[0] === '*') {
    for (let i = 0; i <= l.length; i++) if (labelMatches(p.slice(1), l.slice(i))) return true;
    return false;
  }
  return l !== '' && p[0] === l[0] && labelMatches(p.slice(1), l.slice(1));
}
