import { sectionDirection, type Direction } from '../../policy/direction.ts';
import { peerMatches, type IdentityInfo } from '../../policy/peerSelector.ts';
import type { PolicyDecision } from '../../policy/policyDecision.ts';
import { PolicyEngine } from '../../policy/policyEngine.ts';
import { selectorMatches } from '../../k8s/labelSelector.ts';
import { formatPolicySource, type PeerRule, type PolicyRule, type PolicyRules } from '../../policy/types.ts';
import { identityUniverse, type IdentityUniverse } from '../identityUniverse.ts';
import type { LintContext, LintPolicy } from '../lintContext.ts';
import type { LintHit, LintRule } from '../lintRule.ts';

/**
 * Rules that change nothing: an allow rule every packet of which a deny rule drops anyway, and a
 * rule another rule already covers. Decided by the policy maps themselves: the policies are
 * resolved with and without the rule over the identity universe (the manifests' pods, a pod per
 * selector, the reserved, CIDR and FQDN identities, every port the policies name), and a rule is
 * dead when no decision changes without it.
 */
interface RuleAt {
  readonly policy: LintPolicy;
  readonly rule: PolicyRule;
  readonly peerRule: PeerRule;
  readonly direction: Direction;
  readonly path: string;
}

type Keep = (pr: PeerRule, rule: PolicyRule) => boolean;

export const DEAD_RULES: readonly LintRule[] = [
  {
    code: 'allow-dead-by-deny',
    severity: 'warning',
    title: 'An allow rule every packet of which a deny rule drops',
    check: (ctx) =>
      deadRules(ctx)
        .filter((h) => h.kind === 'dead')
        .map((h) => h.hit),
  },
  {
    code: 'rule-shadowed',
    severity: 'warning',
    title: 'A rule another rule already covers',
    check: (ctx) =>
      deadRules(ctx)
        .filter((h) => h.kind === 'shadowed')
        .map((h) => h.hit),
  },
];

/** Both codes come from one analysis; it is memoised per context so the two rules run it once. */
const analyses = new WeakMap<LintContext, { kind: 'dead' | 'shadowed'; hit: LintHit }[]>();

function deadRules(ctx: LintContext): { kind: 'dead' | 'shadowed'; hit: LintHit }[] {
  const cached = analyses.get(ctx);
  if (cached !== undefined) return cached;
  const parsed = ctx.policies.filter((p) => p.rules !== undefined);
  const policies = parsed.map((p) => p.rules!);
  const u = identityUniverse(ctx, policies);
  const all = parsed.flatMap((policy) =>
    policy.rules!.rules.flatMap((rule) =>
      rule.subject.kind !== 'endpoints'
        ? []
        : [...rule.ingress, ...rule.egress].map(
            (peerRule): RuleAt => ({
              policy,
              rule,
              peerRule,
              direction: sectionDirection(peerRule.section),
              path: `${rule.specPath}.${peerRule.section}[${peerRule.index}]`,
            }),
          ),
    ),
  );
  const judge = new Judge(ctx, u, policies);
  const out: { kind: 'dead' | 'shadowed'; hit: LintHit }[] = [];
  // A rule found redundant is left out of the later questions, so of two identical rules only
  // one is reported; walking backwards, it is the later one.
  const removed = new Set<PeerRule>();
  for (const a of [...all].reverse()) {
    const selected = (pods: readonly IdentityInfo[]): IdentityInfo[] =>
      pods.filter((p) => a.rule.subject.kind === 'endpoints' && selectorMatches(a.rule.subject.selector, p.labels));
    const subjects = selected(u.pods);
    if (subjects.length === 0 || !admitsSomeone(a.peerRule, u, ctx)) continue;
    // The decisions with the rule and without it, the other rules kept as `keep` says, over
    // the given identities.
    const same = (keep: Keep, remotes: readonly IdentityInfo[], over: readonly IdentityInfo[]): boolean =>
      judge.same(
        over,
        remotes,
        a.direction,
        (pr, r) => (keep(pr, r) && !removed.has(pr)) || pr === a.peerRule,
        (pr, r) => keep(pr, r) && !removed.has(pr) && pr !== a.peerRule,
      );
    const everything: Keep = () => true;
    // Against the manifests' own pods when there are some: "dead" is about the cluster as written.
    const [remotes, over] = ctx.workloads.length > 0 ? [u.observed, selected(u.observed)] : [u.identities, subjects];
    const noDeny: Keep = (pr) => !pr.deny;
    if (!a.peerRule.deny && over.length > 0 && same(everything, remotes, over) && !same(noDeny, remotes, over)) {
      const denies = all.filter((d) => d.peerRule.deny && d.direction === a.direction && overlaps(d, a, u, ctx));
      out.push({ kind: 'dead', hit: deadHit(a, denies) });
      continue;
    }
    if (!same(everything, u.identities, subjects)) continue;
    removed.add(a.peerRule);
    const rivals = all.filter(
      (b) =>
        b !== a && !removed.has(b.peerRule) && b.peerRule.deny === a.peerRule.deny && b.direction === a.direction && overlaps(b, a, u, ctx),
    );
    const alone =
      (b: RuleAt): Keep =>
      (pr) =>
        pr.deny !== a.peerRule.deny || sectionDirection(pr.section) !== a.direction || pr === b.peerRule;
    const cover = rivals.find((b) => same(alone(b), u.identities, subjects));
    out.push({ kind: 'shadowed', hit: shadowHit(a, cover === undefined ? rivals : [cover], cover !== undefined) });
  }
  analyses.set(ctx, out);
  return out;
}

/** Policy engines over the universe, one per set of kept rules, and the decisions they make. */
class Judge {
  readonly #ctx: LintContext;
  readonly #u: IdentityUniverse;
  readonly #policies: readonly PolicyRules[];

  constructor(ctx: LintContext, u: IdentityUniverse, policies: readonly PolicyRules[]) {
    this.#ctx = ctx;
    this.#u = u;
    this.#policies = policies;
  }

  /** Whether the policies keeping `a` decide every packet from `remotes` of `subjects` in `direction` as those keeping `b`. */
  same(subjects: readonly IdentityInfo[], remotes: readonly IdentityInfo[], direction: Direction, a: Keep, b: Keep): boolean {
    const x = this.#engine(a);
    const y = this.#engine(b);
    for (const s of subjects)
      for (const r of remotes)
        for (const { proto, port } of this.#u.ports)
          if (
            signature(x.policyMap(s.id).lookup(r.id, direction, proto, port)) !==
            signature(y.policyMap(s.id).lookup(r.id, direction, proto, port))
          )
            return false;
    return true;
  }

  #engine(keep: Keep): PolicyEngine {
    const named = [...this.#u.namedPorts.values()].flat();
    const byName = (ports: typeof named): Map<string, { port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[]> => {
      const m = new Map<string, { port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[]>();
      for (const p of ports) m.set(p.name, [...(m.get(p.name) ?? []), { port: p.port, protocol: p.protocol }]);
      return m;
    };
    const services = this.#ctx.services;
    const engine = new PolicyEngine({
      ctx: { clusterName: 'default', serviceSelector: (ns, name) => services.get(`${ns}/${name}`) },
      namedPorts: (subject) => ({ ingress: byName([...(this.#u.namedPorts.get(subject.id) ?? [])]), egress: byName(named) }),
    });
    for (const info of this.#u.identities) engine.upsertIdentity(info);
    for (const p of this.#policies) {
      const rules = p.rules.map((r) => ({
        ...r,
        ingress: r.ingress.filter((pr) => keep(pr, r)),
        egress: r.egress.filter((pr) => keep(pr, r)),
      }));
      engine.apply({ source: p.source, rules });
    }
    return engine;
  }
}

function signature(d: PolicyDecision): string {
  return `${d.allowed ? 'A' : 'D'}${d.denied ? '!' : ''}${d.authType}${d.l7 === undefined ? '' : JSON.stringify(d.l7)}`;
}

function admitsSomeone(pr: PeerRule, u: IdentityUniverse, ctx: LintContext): boolean {
  const pctx = { clusterName: 'default', serviceSelector: (ns: string, name: string) => ctx.services.get(`${ns}/${name}`) };
  return pr.peers.some((peer) => u.identities.some((id) => peerMatches(peer, id, pctx)));
}

/** Whether two rules can meet a packet: some pod both select, some peer both admit. */
function overlaps(b: RuleAt, a: RuleAt, u: IdentityUniverse, ctx: LintContext): boolean {
  const selects = (x: RuleAt, p: IdentityInfo): boolean =>
    x.rule.subject.kind === 'endpoints' && selectorMatches(x.rule.subject.selector, p.labels);
  if (!u.pods.some((p) => selects(a, p) && selects(b, p))) return false;
  const pctx = { clusterName: 'default', serviceSelector: (ns: string, name: string) => ctx.services.get(`${ns}/${name}`) };
  const admits = (x: RuleAt, id: IdentityInfo): boolean => x.peerRule.peers.some((peer) => peerMatches(peer, id, pctx));
  return u.identities.some((id) => admits(a, id) && admits(b, id));
}

function where(r: RuleAt): string {
  return `${formatPolicySource(r.rule.source)} ${r.path}`;
}

function deadHit(a: RuleAt, denies: readonly RuleAt[]): LintHit {
  return {
    policy: a.policy,
    path: a.path,
    message: `Every packet this rule allows is dropped by a deny rule (${denies.map(where).join('; ') || 'a deny rule'}): deny rules win over allow rules in every policy, so the allow never takes effect.`,
    fix: 'Narrow the deny rule (peers or ports) if the traffic should flow, or delete the allow rule.',
  };
}

function shadowHit(a: RuleAt, by: readonly RuleAt[], single: boolean): LintHit {
  const verb = a.peerRule.deny ? 'denies' : 'allows';
  return {
    policy: a.policy,
    path: a.path,
    message: single
      ? `Everything this rule ${verb} is already ${a.peerRule.deny ? 'denied' : 'allowed'} by ${where(by[0]!)}, so removing it changes no decision.`
      : `Everything this rule ${verb} is already covered by the other rules (${by.map(where).join('; ')}), so removing it changes no decision.`,
    fix: 'Delete the redundant rule, or narrow the wider one if this rule was meant to be the only way in.',
  };
}
