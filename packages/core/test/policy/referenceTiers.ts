// The verdict across the policy tiers computed the plain way, tier by tier, for one packet: walk
// the Admin tier's rules in order (policy priority, then list position) and stop at the first
// that covers the packet if it says Accept or Deny; a Pass goes on to the NetworkPolicy tier,
// which decides for a subject its rules select in this direction (the rule-by-rule reference
// evaluator over CNP, CCNP and NetworkPolicy alone); else the Baseline tier's first rule that
// covers the packet; else the default allow. No map, no precedence encoding, no code of the engine.
import { AUTH_TYPE } from '../../src/policy/authType.ts';
import type { PolicyDecision, TierVerdict } from '../../src/policy/policyDecision.ts';
import type { PolicyTier } from '../../src/policy/types.ts';
import { admits, admitsAnyone, enforcementOf, selectsSubject } from './referencePeers.ts';
import { packetSlot, portRanges, referenceVerdict, toRuleList, type ReferenceQuery } from './referenceVerdict.ts';

export interface TierQuery extends ReferenceQuery {
  /** `enable-k8s-cluster-network-policy`: without it the tiers' rules do nothing. */
  readonly tiers?: boolean;
}

const UNDECIDED: PolicyDecision = { allowed: true, denied: false, matchType: 'all', authType: AUTH_TYPE.disabled, policies: [] };

export function referenceTierVerdict(q: TierQuery): PolicyDecision {
  const rules = toRuleList(q.policies).filter((r) => q.tiers === true || r.rule.tier === undefined);
  const np = rules.filter((r) => r.rule.tier === undefined);
  const tierRules = rules.filter((r) => r.rule.tier !== undefined && selectsSubject(r.rule, q.subject));
  if (tierRules.length === 0) return referenceVerdict({ ...q, policies: np });
  const selecting = rules.filter((r) => selectsSubject(r.rule, q.subject)).map((r) => r.rule);
  if (!enforcementOf(selecting, q.mode ?? 'default', q.direction).enforced) return UNDECIDED;
  const admin = firstMatch(tierRules, 'Admin', q);
  if (admin !== undefined && admin.verdict.action !== 'Pass') return decide(admin);
  const npSelecting = np.filter((r) => selectsSubject(r.rule, q.subject)).map((r) => r.rule);
  if (enforcementOf(npSelecting, q.mode ?? 'default', q.direction).enforced) return referenceVerdict({ ...q, policies: np });
  const baseline = firstMatch(tierRules, 'Baseline', q);
  if (baseline !== undefined && baseline.verdict.action !== 'Pass') return decide(baseline);
  return UNDECIDED;
}

interface Match {
  readonly verdict: TierVerdict;
  /** How the rule covered the packet: by the remote's identity, and the port's slot. */
  readonly specific: boolean;
  readonly slot: number;
}

/** The rule of `tier` evaluated first among those covering the packet (Deny before Accept before Pass at one place). */
function firstMatch(rules: ReturnType<typeof toRuleList>, tier: PolicyTier, q: TierQuery): Match | undefined {
  const strength = { Deny: 2, Accept: 1, Pass: 0 } as const;
  const ctx = q.ctx ?? { clusterName: 'default' };
  const named = q.direction === 'INGRESS' ? q.namedPorts?.ingress : q.namedPorts?.egress;
  let found: Match | undefined;
  for (const { rule, revision } of rules) {
    if (rule.tier?.tier !== tier) continue;
    for (const pr of q.direction === 'INGRESS' ? rule.ingress : rule.egress) {
      const verdict: TierVerdict = {
        tier,
        order: rule.tier.priority * 1000 + pr.index,
        action: pr.action ?? 'Accept',
        ref: { ...rule.source, revision },
        ...(pr.name === undefined ? {} : { rule: pr.name }),
      };
      const specs =
        pr.portRules === undefined
          ? [{ spec: undefined, l7: undefined }]
          : pr.portRules.flatMap((p) => p.ports.map((spec) => ({ spec, l7: p.l7 })));
      for (const peer of pr.peers) {
        if (!admits(peer, q.remote, ctx)) continue;
        for (const { spec, l7 } of specs) {
          for (const [proto, start, end, exact] of portRanges(spec, named)) {
            const slot = packetSlot(proto, start, end, exact, q.proto, q.port);
            if (slot === undefined) continue;
            const m: Match = { verdict: l7 === undefined ? verdict : { ...verdict, l7 }, specific: !admitsAnyone(peer), slot };
            found = earlier(found, m, strength);
          }
        }
      }
    }
  }
  return found;
}

function earlier(a: Match | undefined, b: Match, strength: Readonly<Record<string, number>>): Match {
  if (a === undefined) return b;
  const [va, vb] = [a.verdict, b.verdict];
  if (va.order !== vb.order) return va.order < vb.order ? a : b;
  if (va.action !== vb.action) return strength[va.action]! > strength[vb.action]! ? a : b;
  const [ka, kb] = [`${va.ref.kind}/${va.ref.name}`, `${vb.ref.kind}/${vb.ref.name}`];
  if (ka !== kb) return ka < kb ? a : b;
  // One rule covering the packet several ways: the map reads the remote's own entries first, then the shortest prefix.
  if (a.specific !== b.specific) return a.specific ? a : b;
  return a.slot <= b.slot ? a : b;
}

function decide(m: Match): PolicyDecision {
  const allowed = m.verdict.action === 'Accept';
  const l3 = m.specific;
  const matchType = m.slot === 0 ? (l3 ? 'L3-Only' : 'all') : m.slot === 1 ? (l3 ? 'L3-Proto' : 'Proto-Only') : l3 ? 'L3-L4' : 'L4-Only';
  return {
    allowed,
    denied: !allowed,
    matchType,
    authType: AUTH_TYPE.disabled,
    policies: [m.verdict.ref],
    tier: m.verdict,
    ...(allowed && m.verdict.l7 !== undefined ? { l7: m.verdict.l7 } : {}),
  };
}
