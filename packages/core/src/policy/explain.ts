import { formatLabel, lookupLabel } from '../identity/labels.ts';
import { identityName, ReservedIdentity } from '../identity/reserved.ts';
import { AUTH_TYPE } from './authType.ts';
import { directionSide, type Direction } from './direction.ts';
import type { L4Filter } from './l4Filter.ts';
import { describePeer, identityCidr, type IdentityInfo, type PeerSelector } from './peerSelector.ts';
import type { PolicyDecision, TierVerdict } from './policyDecision.ts';
import type { PolicyMap } from './policyMap.ts';
import type { SelectorPolicy } from './resolve.ts';
import { formatRequirement, requirementHolds } from '../k8s/labelSelector.ts';
import type { SelectorCache } from './selectorCache.ts';
import { formatPolicySource, type PeerRule, type PolicyRule, type PortSpec } from './types.ts';
import { protocolName } from './u8proto.ts';

/**
 * Why a packet is allowed or dropped, as facts and as `cilium policy trace`-style sentences,
 * read from the live policy: the rules the subject's resolved policy holds (which policies select
 * it, which rule matched or why each did not, default deny versus explicit deny, authentication,
 * L7), judged with the selector cache's selections and the resolved port filters, and the verdict
 * taken from the subject's policy map. So the explanation is the datapath's decision, not a
 * second opinion about it.
 */
export type FindingOutcome = 'matched' | 'peer-mismatch' | 'port-mismatch';

export interface RuleFinding {
  readonly policy: string;
  /** `spec.ingress[0]`, `specs[1].egressDeny[2]`. */
  readonly path: string;
  readonly deny: boolean;
  readonly outcome: FindingOutcome;
  readonly fact: string;
}

/** What the explanation reads of the live policy; a PolicyEngine is one. */
export interface LivePolicy {
  readonly cache: Pick<SelectorCache, 'selects'>;
  selectorPolicy(subjectId: number): SelectorPolicy;
  policyMap(subjectId: number): Pick<PolicyMap, 'lookup' | 'firstTierRules'>;
}

/** One packet as one endpoint (the subject) sees it in one direction. */
export interface ExplainQuery {
  readonly subject: IdentityInfo;
  readonly remote: IdentityInfo;
  readonly direction: Direction;
  readonly proto: number;
  readonly port: number;
}

export interface PolicyExplanation {
  readonly query: ExplainQuery;
  /** Policies selecting the subject and the directions they have rules for. */
  readonly selecting: readonly {
    readonly policy: string;
    readonly specPath: string;
    readonly ingress: boolean;
    readonly egress: boolean;
  }[];
  readonly enforced: boolean;
  readonly defaultDeny: boolean;
  readonly findings: readonly RuleFinding[];
  /** The subject's policy map lookup for the packet: the datapath's decision. */
  readonly decision: PolicyDecision;
  readonly authRequired: boolean;
  readonly l7Note?: string;
  /** When ClusterNetworkPolicy tiers select the subject: the walk through them, one step each. */
  readonly tierWalk?: readonly string[];
}

/** Explains one direction of a packet for a subject identity the live policy knows. */
export function explainPolicy(live: LivePolicy, q: ExplainQuery): PolicyExplanation {
  const policy = live.selectorPolicy(q.subject.id);
  const dir = q.direction === 'INGRESS' ? policy.enforcement.ingress : policy.enforcement.egress;
  const decision = live.policyMap(q.subject.id).lookup(q.remote.id, q.direction, q.proto, q.port);
  // The resolved ports that hold the packet, and through them the rules that name those ports.
  const covering = new Set(policy.filters.filter((f) => f.direction === q.direction && holdsPacket(f, q)).flatMap((f) => f.peerRules));
  const findings = dir.enforced
    ? [
        ...policy.rules.flatMap(({ rule }) => sectionOf(rule, q.direction).map((pr) => finding(rule, pr, q, live, covering))),
        ...localhostFinding(q, policy),
      ]
    : [];
  const l7Note = decision.l7 === undefined ? undefined : l7Text(decision);
  const tierWalk = policy.npTier === undefined || !dir.enforced ? undefined : walkTiers(live, q, policy.npTier, decision);
  return {
    query: q,
    selecting: policy.rules.map(({ rule }) => ({
      policy: formatPolicySource(rule.source),
      specPath: rule.specPath,
      ingress: rule.hasIngress,
      egress: rule.hasEgress,
    })),
    enforced: dir.enforced,
    defaultDeny: dir.defaultDeny,
    findings,
    decision,
    authRequired: decision.allowed && decision.authType !== AUTH_TYPE.disabled,
    ...(l7Note === undefined ? {} : { l7Note }),
    ...(tierWalk === undefined ? {} : { tierWalk }),
  };
}

/**
 * The tiers in evaluation order, as far as the packet goes: the first Admin rule that covers it
 * (Accept and Deny stop there, Pass goes on), the NetworkPolicy tier (it decides for a subject
 * it selects in this direction), the first Baseline rule, the default.
 */
function walkTiers(live: LivePolicy, q: ExplainQuery, np: SelectorPolicy['enforcement'], decision: PolicyDecision): string[] {
  const { admin, baseline } = live.policyMap(q.subject.id).firstTierRules(q.remote.id, q.direction, q.proto, q.port);
  const dir = directionSide(q.direction);
  const steps = [admin === undefined ? 'Admin tier: no rule matches' : tierStep(admin, dir)];
  if (admin !== undefined && admin.action !== 'Pass') return steps;
  const npDir = q.direction === 'INGRESS' ? np.ingress : np.egress;
  if (npDir.enforced) {
    const by = decision.policies
      .map((p) => (p.namespace === undefined ? `${p.kind} ${p.name}` : `${p.kind} ${p.namespace}/${p.name}`))
      .join(', ');
    const what = decision.denied
      ? `denied by ${by}`
      : decision.allowed
        ? `allowed${by === '' ? '' : ` by ${by}`}`
        : 'no rule allows it (default deny)';
    return [...steps, `NetworkPolicy tier: ${what}`];
  }
  steps.push(`NetworkPolicy tier: no rule selects identity ${identityName(q.subject.id)} for ${dir}`);
  steps.push(baseline === undefined ? 'Baseline tier: no rule matches' : tierStep(baseline, dir));
  if (baseline === undefined || baseline.action === 'Pass') steps.push('default: allow');
  return steps;
}

function tierStep(v: TierVerdict, dir: string): string {
  const rule = v.rule ?? `${dir}[${v.order % 1000}]`;
  return `${v.tier} '${v.ref.name}' rule '${rule}': ${v.action}`;
}

function sectionOf(rule: PolicyRule, direction: Direction): readonly PeerRule[] {
  return direction === 'INGRESS' ? rule.ingress : rule.egress;
}

/** Whether the packet's protocol and port fall in a resolved port filter. */
function holdsPacket(f: L4Filter, q: ExplainQuery): boolean {
  if (f.proto === 0) return true;
  if (f.proto !== q.proto) return false;
  if (f.port === 0 && !f.exact) return true;
  return q.port >= f.port && q.port <= f.endPort;
}

/** The agent's own allow for its host (allow-localhost), which no policy object states. */
function localhostFinding(q: ExplainQuery, policy: SelectorPolicy): RuleFinding[] {
  if (q.direction !== 'INGRESS' || q.remote.id !== ReservedIdentity.host || !policy.allowLocalhost) return [];
  return [
    {
      policy: 'allow-localhost-ingress',
      path: 'agent',
      deny: false,
      outcome: 'matched',
      fact: 'The agent allows the local host to reach its endpoints (allow-localhost: always on Kubernetes); only a deny rule can stop it.',
    },
  ];
}

function finding(rule: PolicyRule, pr: PeerRule, q: ExplainQuery, live: LivePolicy, covering: ReadonlySet<PeerRule>): RuleFinding {
  const base = { policy: formatPolicySource(rule.source), path: `${rule.specPath}.${pr.section}[${pr.index}]`, deny: pr.deny };
  const verb = pr.action !== undefined ? `says ${pr.action} to` : pr.deny ? 'denies' : 'allows';
  const peer = pr.peers.find((p) => live.cache.selects(p, q.remote.id));
  if (peer === undefined) {
    const why =
      pr.peers.length === 0 ? 'it names no peer at all, so it admits nothing' : pr.peers.map((p) => peerMiss(p, q.remote)).join('; ');
    return { ...base, outcome: 'peer-mismatch', fact: `${base.policy} ${base.path} does not apply: ${why}.` };
  }
  if (pr.portRules !== undefined && pr.portRules.length === 0) {
    return {
      ...base,
      outcome: 'port-mismatch',
      fact: `${base.policy} ${base.path} ${verb} ${describePeer(peer)} on no port at all: its toPorts and icmps entries list none.`,
    };
  }
  const ports = pr.portRules?.flatMap((p) => p.ports);
  const portText = ports === undefined || ports.length === 0 ? 'every port' : ports.map(formatPort).join(', ');
  if (ports !== undefined && ports.length > 0 && !covering.has(pr)) {
    return {
      ...base,
      outcome: 'port-mismatch',
      fact: `${base.policy} ${base.path} ${verb} ${describePeer(peer)} on ${portText} only; the packet is ${packetText(q)}.`,
    };
  }
  const auth =
    pr.authType === AUTH_TYPE.required
      ? ' and requires mutual authentication'
      : pr.authType === AUTH_TYPE['test-always-fail']
        ? ' and requires authentication that always fails (test-always-fail)'
        : '';
  return {
    ...base,
    outcome: 'matched',
    fact: `${base.policy} ${base.path} matches: it ${verb} ${describePeer(peer)} on ${portText}${auth}.`,
  };
}

/** One sentence saying why `peer` does not admit `remote`. */
function peerMiss(peer: PeerSelector, remote: IdentityInfo): string {
  const who = `identity ${identityName(remote.id)}`;
  if (peer.kind === 'endpoints') {
    const failed = peer.selector.requirements.find((r) => !requirementHolds(r, remote.labels));
    if (failed === undefined) return `it selects ${describePeer(peer)}`;
    const have = lookupLabel(remote.labels, failed.source, failed.key);
    const has = have === undefined ? `has no ${failed.key} label` : `has ${formatLabel(have)}`;
    return `it selects ${describePeer(peer)}, and ${who} ${has} (needs ${formatRequirement(failed)})`;
  }
  if (peer.kind === 'cidr') {
    const own = identityCidr(remote);
    return `it admits only ${describePeer(peer)}, and ${who} ${own === undefined ? 'is not a CIDR identity (CIDR rules never match cluster endpoints)' : `is ${own.text}`}`;
  }
  return `it admits only ${describePeer(peer)}, which does not include ${who}`;
}

function formatPort(p: PortSpec): string {
  return `${p.protocol}/${p.port === 0 && p.protocol !== 'ICMP' && p.protocol !== 'ICMPv6' ? '*' : p.port}${p.endPort === undefined ? '' : `-${p.endPort}`}`;
}

function packetText(q: ExplainQuery): string {
  return `${protocolName(q.proto) ?? `proto ${q.proto}`}/${q.port}`;
}

function l7Text(d: PolicyDecision): string {
  const l7 = d.l7!;
  const parts = [
    l7.http === undefined ? undefined : `HTTP requests must match one of ${l7.http.length} rule(s) (else 403 Access denied)`,
    l7.dns === undefined ? undefined : `DNS queries must match one of ${l7.dns.length} rule(s) (else REFUSED)`,
    l7.serverNames === undefined ? undefined : `TLS server names must match ${l7.serverNames.join(', ')}`,
  ].filter((p) => p !== undefined);
  return `The port is redirected to the L7 proxy: ${parts.length === 0 ? 'TLS is handled by the proxy' : parts.join('; ')}.`;
}

/**
 * The explanation as `cilium policy trace`-style sentences, one fact per line, up to the
 * verdict (which the trace words with the datapath's drop reason). Pure.
 */
export function explanationLines(e: PolicyExplanation): string[] {
  const q = e.query;
  const [from, to] = q.direction === 'INGRESS' ? [q.remote, q.subject] : [q.subject, q.remote];
  const dir = directionSide(q.direction);
  const lines = [
    `Tracing From: ${identityText(from)} => To: ${identityText(to)} Ports: [${q.port}/${protocolName(q.proto) ?? q.proto}]`,
    '',
    `Resolving ${dir} policy for identity ${identityName(q.subject.id)}:`,
    ...e.selecting.map(
      (s) =>
        `  ${s.policy} (${s.specPath}) selects it, with ${[s.ingress ? 'ingress' : '', s.egress ? 'egress' : ''].filter(Boolean).join(' and ') || 'no'} rules.`,
    ),
    `${e.selecting.length} rule(s) select identity ${identityName(q.subject.id)}.`,
  ];
  if (!e.enforced) {
    lines.push(`No selecting rule has ${dir} rules, so ${dir} policy is not enforced and everything is allowed.`);
  } else {
    lines.push(
      e.tierWalk !== undefined
        ? `${cap(dir)} policy is enforced in tiers: the Admin tier first, then the NetworkPolicy tier for endpoints its policies select, then the Baseline tier, then allow.`
        : e.defaultDeny
          ? `${cap(dir)} policy is enforced with default deny: what no rule allows is dropped.`
          : `${cap(dir)} policy is enforced without default deny (enableDefaultDeny: false): only deny rules drop.`,
    );
    lines.push(...e.findings.map((f) => `  ${f.fact}`));
    if (e.tierWalk !== undefined) lines.push('Walking the policy tiers (Admin, NetworkPolicy, Baseline):', `  ${e.tierWalk.join(' -> ')}`);
  }
  if (e.authRequired)
    lines.push(
      `The matching rule requires ${e.decision.authType === AUTH_TYPE.required ? 'mutual authentication (SPIRE)' : 'authentication (test-always-fail)'}: the first packet is dropped with "Authentication required" until the handshake completes.`,
    );
  if (e.l7Note !== undefined) lines.push(e.l7Note);
  return lines;
}

function identityText(i: IdentityInfo): string {
  return `identity ${identityName(i.id)} [${i.labels.map(formatLabel).join(', ')}]`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
