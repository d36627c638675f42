// The policy verdict computed the slow, obvious way: walk every rule for one packet. No selector
// cache, no L4 filters, no prefix-block map, no code of the engine: property tests hold the fast
// path (resolution + policy map lookup) and `cilium policy trace` to it, so it re-derives what
// it needs (enforcement, peers, L7 merge, port blocks, match types) from the rule semantics.
import { AUTH_TYPE, type AuthType } from '../../src/policy/authType.ts';
import type { Direction } from '../../src/policy/direction.ts';
import type { RuleWithRevision } from '../../src/policy/l4Filter.ts';
import type { NamedPortMap, SubjectNamedPorts } from '../../src/policy/namedPorts.ts';
import type { IdentityInfo, PolicyContext } from '../../src/policy/peerSelector.ts';
import type { PolicyDecision, PolicyRef } from '../../src/policy/policyDecision.ts';
import type { L7Rules, PeerRule, PolicyRules, PortSpec } from '../../src/policy/types.ts';
import { PROTOCOL_NUMBERS } from '../../src/policy/u8proto.ts';
import { ReservedIdentity } from '../../src/identity/reserved.ts';
import { restrictedAspects, unionL7, widenL7 } from './referenceL7.ts';
import { admits, admitsAnyone, enforcementOf, selectsSubject, type ReferenceMode } from './referencePeers.ts';

export interface ReferenceQuery {
  /** Parsed policies (revision 0) or repository rules with their revisions. */
  readonly policies: readonly PolicyRules[] | readonly RuleWithRevision[];
  readonly subject: IdentityInfo;
  readonly remote: IdentityInfo;
  readonly direction: Direction;
  readonly proto: number;
  readonly port: number;
  readonly mode?: ReferenceMode;
  readonly namedPorts?: SubjectNamedPorts;
  readonly ctx?: PolicyContext;
  /** The agent's allow-localhost (default true, as on Kubernetes): the host may reach the subject. */
  readonly allowLocalhost?: boolean;
}

/** One (peer rule, peer, port) of the direction, with where the packet falls in its port. */
interface Contribution {
  readonly peerRule: PeerRule;
  readonly peerIndex: number;
  readonly l7: L7Rules | undefined;
  readonly ref: PolicyRef;
  /** Which rules share a port: L7 rules combine per port. */
  readonly port: string;
  /** The slot of the packet in this port (undefined: the packet is not on it). */
  readonly slot: number | undefined;
}

/** What the rules say about one (remote identity or 0 = anyone, slot). */
interface Verdict {
  identity: number;
  /** 0 = any protocol; 1 + n = protocol fixed and the first n bits of the port. */
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
  const selecting = toRuleList(q.policies).filter((r) => selectsSubject(r.rule, q.subject));
  const mode = q.mode ?? 'default';
  const dir = enforcementOf(
    selecting.map((r) => r.rule),
    mode,
    q.direction,
  );
  if (!dir.enforced) return { allowed: true, denied: false, matchType: 'all', authType: AUTH_TYPE.disabled, policies: [] };
  const all = mode === 'never' ? [] : contributions(selecting, q);
  const verdicts = new Map<string, Verdict>();
  const at = (identity: number, slot: number): Verdict => {
    const k = `${identity}/${slot}`;
    let v = verdicts.get(k);
    if (v === undefined)
      verdicts.set(k, (v = { identity, slot, deny: false, l7: [], redirect: false, auth: 0, explicit: false, refs: new Map() }));
    return v;
  };
  const ctx = q.ctx ?? { clusterName: 'default' };
  for (const c of all) {
    if (c.slot === undefined) continue;
    const peer = c.peerRule.peers[c.peerIndex];
    if (peer === undefined || !admits(peer, q.remote, ctx)) continue;
    const anyone = admitsAnyone(peer);
    const v = at(anyone ? 0 : q.remote.id, c.slot);
    v.refs.set(`${c.ref.kind}/${c.ref.namespace ?? ''}/${c.ref.name}`, c.ref);
    if (c.peerRule.deny) v.deny = true;
    else {
      const l7 = widenL7(c.l7, aspectsOnPort(all, c.port));
      if (l7 !== undefined) {
        v.redirect = true;
        v.l7.push(l7);
        // The proxy consults every rule of the port for a known peer, the L4-only allows included.
        if (!anyone) v.l7.push(...anyoneL7OnPort(all, c.port));
      }
      if (c.peerRule.authType !== undefined) [v.explicit, v.auth] = [true, Math.max(v.auth, c.peerRule.authType)];
    }
  }
  if (!dir.defaultDeny) at(0, 0);
  if (q.direction === 'INGRESS' && (q.allowLocalhost ?? true) && q.remote.id === ReservedIdentity.host)
    at(ReservedIdentity.host, 0).explicit = true;
  return choose([...verdicts.values()]);
}

function allowsOnPort(all: readonly Contribution[], port: string): Contribution[] {
  return all.filter((o) => o.port === port && !o.peerRule.deny);
}

function aspectsOnPort(all: readonly Contribution[], port: string): ReturnType<typeof restrictedAspects> {
  return restrictedAspects(allowsOnPort(all, port).map((o) => o.l7));
}

function anyoneL7OnPort(all: readonly Contribution[], port: string): (L7Rules | undefined)[] {
  const aspects = aspectsOnPort(all, port);
  return allowsOnPort(all, port)
    .filter((o) => admitsAnyone(o.peerRule.peers[o.peerIndex] ?? { kind: 'wildcard', key: '*' }))
    .map((o) => widenL7(o.l7, aspects));
}

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
        for (const [proto, start, end, exact] of portRanges(spec, named)) {
          const port = `${proto}/${start}/${end}/${exact}`;
          const slot = packetSlot(proto, start, end, exact, q.proto, q.port);
          for (const peerIndex of pr.peers.keys()) out.push({ peerRule: pr, peerIndex, l7, ref, port, slot });
        }
      }
    }
  }
  return out;
}

/** [protocol or 0 = any, first port, last port, exact]; a named port may stand for none or several. */
function portRanges(spec: PortSpec | undefined, named: NamedPortMap | undefined): [number, number, number, boolean][] {
  if (spec === undefined) return [[0, 0, 0, false]];
  const proto = PROTOCOL_NUMBERS[spec.protocol];
  // ICMP carries the type in the port, where 0 is a type of its own, not "every port".
  const exact = spec.protocol === 'ICMP' || spec.protocol === 'ICMPv6';
  if (typeof spec.port === 'string') {
    return (named?.get(spec.port) ?? []).filter((n) => n.protocol === spec.protocol).map((n) => [proto, n.port, n.port, false]);
  }
  return [[proto, spec.port, spec.endPort ?? spec.port, exact]];
}

/**
 * Where the packet falls in a port range, as a map slot: 0 for any protocol, 1 + n when the
 * protocol and n port bits are fixed. A range is stored as the largest aligned blocks it holds,
 * so the packet's block is the largest aligned one around its port that stays inside the range.
 */
function packetSlot(proto: number, start: number, end: number, exact: boolean, pktProto: number, pktPort: number): number | undefined {
  if (proto === 0) return 0;
  if (proto !== pktProto) return undefined;
  if (start === 0 && !exact) return 1;
  if (pktPort < start || pktPort > end) return undefined;
  for (let fixed = 0; fixed <= 16; fixed++) {
    const size = 2 ** (16 - fixed);
    const first = pktPort - (pktPort % size);
    if (first >= start && first + size - 1 <= end) return 1 + fixed;
  }
  return undefined;
}

/** Hubble's name for how the chosen entry matched (pkg/monitor/api/types.go). */
function matchType(v: Verdict): string {
  const l3 = v.identity !== 0;
  if (v.slot === 0) return l3 ? 'L3-Only' : 'all';
  if (v.slot === 1) return l3 ? 'L3-Proto' : 'Proto-Only';
  return l3 ? 'L3-L4' : 'L4-Only';
}

/** A proxy redirect first, then the longer protocol/port prefix, then a named identity over anyone. */
function precedence(v: Verdict): number {
  const bits = v.slot === 0 ? 0 : 8 + v.slot - 1;
  return (v.redirect && !v.deny ? 100 : 0) + bits * 2 + (v.identity !== 0 ? 1 : 0);
}

function choose(verdicts: readonly Verdict[]): PolicyDecision {
  const best = (vs: readonly Verdict[]): Verdict | undefined =>
    vs.reduce<Verdict | undefined>((a, v) => (a === undefined || precedence(v) > precedence(a) ? v : a), undefined);
  const refs = (v: Verdict): PolicyRef[] => [...v.refs.keys()].sort().map((k) => v.refs.get(k)!);
  const deny = best(verdicts.filter((v) => v.deny));
  if (deny !== undefined)
    return { allowed: false, denied: true, matchType: matchType(deny), authType: AUTH_TYPE.disabled, policies: refs(deny) };
  const allows = verdicts.filter((v) => !v.deny);
  const chosen = best(allows);
  if (chosen === undefined) return { allowed: false, denied: false, matchType: 'none', authType: AUTH_TYPE.disabled, policies: [] };
  // Without an auth type of its own, the chosen entry takes the strongest one another matching entry states.
  const others = Math.max(0, ...allows.filter((v) => v.explicit).map((v) => v.auth));
  const l7 = chosen.redirect ? unionL7(chosen.l7) : undefined;
  return {
    allowed: true,
    denied: false,
    matchType: matchType(chosen),
    authType: (chosen.explicit ? chosen.auth : others) as AuthType,
    policies: refs(chosen),
    ...(l7 === undefined ? {} : { l7 }),
  };
}
