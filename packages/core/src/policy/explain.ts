import { AUTH_TYPE } from './authType.ts';
import type { PolicyDecision } from './policyDecision.ts';
import { formatLabel, lookupLabel } from '../identity/labels.ts';
import { identityName, ReservedIdentity } from '../identity/reserved.ts';
import { computeEnforcement, ruleSelects } from './enforcement.ts';
import { DEFAULT_POLICY_CONTEXT, describePeer, identityCidr, peerMatches, type IdentityInfo, type PeerSelector } from './peerSelector.ts';
import { referenceVerdict, toRuleList, type ReferenceQuery } from './referenceVerdict.ts';
import { formatRequirement, requirementHolds } from './selector.ts';
import { formatPolicySource, PROTOCOL_NUMBERS, type PeerRule, type PolicyRule, type PortSpec } from './types.ts';

/**
 * Why a packet is allowed or dropped, as facts and as `cilium policy trace`-style sentences:
 * which policies select the subject, which rule matched (or why each did not), default deny
 * versus explicit deny, authentication and L7. Built on the reference evaluator, so the
 * explanation always agrees with the verdict it explains.
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

export interface PolicyExplanation {
  readonly query: ReferenceQuery;
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
  readonly decision: PolicyDecision;
  /** `Policy denied` (133) or `Policy denied by denylist` (181) for drops. */
  readonly dropReason?: 'Policy denied' | 'Policy denied by denylist';
  readonly authRequired: boolean;
  readonly l7Note?: string;
}

const PROTO_NAMES = new Map(Object.entries(PROTOCOL_NUMBERS).map(([n, v]) => [v, n]));

export function explain(q: ReferenceQuery): PolicyExplanation {
  const selected = toRuleList(q.policies).filter((r) => ruleSelects(r.rule, q.subject));
  const enf = computeEnforcement(
    selected.map((r) => r.rule),
    q.mode ?? 'default',
  );
  const dir = q.direction === 'INGRESS' ? enf.ingress : enf.egress;
  const decision = referenceVerdict(q);
  const findings = dir.enforced ? [...selected.flatMap(({ rule }) => ruleFindings(rule, q)), ...localhostFinding(q)] : [];
  const dropReason = decision.allowed ? undefined : decision.denied ? 'Policy denied by denylist' : 'Policy denied';
  const l7Note = decision.l7 === undefined ? undefined : l7Text(decision);
  return {
    query: q,
    selecting: selected.map(({ rule }) => ({
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
    ...(dropReason === undefined ? {} : { dropReason }),
    ...(l7Note === undefined ? {} : { l7Note }),
  };
}

/** The agent's own allow for its host (allow-localhost), which no policy object states. */
function localhostFinding(q: ReferenceQuery): RuleFinding[] {
  if (q.direction !== 'INGRESS' || q.remote.id !== ReservedIdentity.host || q.allowLocalhost === false) return [];
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

function ruleFindings(rule: PolicyRule, q: ReferenceQuery): RuleFinding[] {
  const rules = q.direction === 'INGRESS' ? rule.ingress : rule.egress;
  return rules.map((pr) => finding(rule, pr, q));
}

function finding(rule: PolicyRule, pr: PeerRule, q: ReferenceQuery): RuleFinding {
  const base = { policy: formatPolicySource(rule.source), path: `${rule.specPath}.${pr.section}[${pr.index}]`, deny: pr.deny };
  const verb = pr.deny ? 'denies' : 'allows';
  const ctx = q.ctx ?? DEFAULT_POLICY_CONTEXT;
  const peer = pr.peers.find((p) => peerMatches(p, q.remote, ctx));
  if (peer === undefined) {
    const why =
      pr.peers.length === 0 ? 'it names no peer at all, so it admits nothing' : pr.peers.map((p) => peerMiss(p, q.remote)).join('; ');
    return { ...base, outcome: 'peer-mismatch', fact: `${base.policy} ${base.path} does not apply: ${why}.` };
  }
  const ports = pr.portRules?.flatMap((p) => p.ports);
  const portText = ports === undefined || ports.length === 0 ? 'every port' : ports.map(formatPort).join(', ');
  if (ports !== undefined && ports.length > 0 && !ports.some((p) => portCovers(p, q))) {
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

function portCovers(p: PortSpec, q: ReferenceQuery): boolean {
  if (PROTOCOL_NUMBERS[p.protocol] !== q.proto) return false;
  if (typeof p.port === 'string') {
    const named = q.direction === 'INGRESS' ? q.namedPorts?.ingress : q.namedPorts?.egress;
    return (named?.get(p.port) ?? []).some((n) => n.port === q.port && n.protocol === p.protocol);
  }
  if (p.port === 0 && p.protocol !== 'ICMP' && p.protocol !== 'ICMPv6') return true;
  return q.port >= p.port && q.port <= (p.endPort ?? p.port);
}

function packetText(q: ReferenceQuery): string {
  return `${PROTO_NAMES.get(q.proto) ?? `proto ${q.proto}`}/${q.port}`;
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

/** The explanation as `cilium policy trace`-style text, one fact per line. Pure. */
export function renderExplanation(e: PolicyExplanation): string {
  const q = e.query;
  const [from, to] = q.direction === 'INGRESS' ? [q.remote, q.subject] : [q.subject, q.remote];
  const dir = q.direction === 'INGRESS' ? 'ingress' : 'egress';
  const lines = [
    `Tracing From: ${identityText(from)} => To: ${identityText(to)} Ports: [${q.port}/${PROTO_NAMES.get(q.proto) ?? q.proto}]`,
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
      e.defaultDeny
        ? `${cap(dir)} policy is enforced with default deny: what no rule allows is dropped.`
        : `${cap(dir)} policy is enforced without default deny (enableDefaultDeny: false): only deny rules drop.`,
    );
    lines.push(...e.findings.map((f) => `  ${f.fact}`));
  }
  if (e.authRequired)
    lines.push(
      `The matching rule requires ${e.decision.authType === AUTH_TYPE.required ? 'mutual authentication (SPIRE)' : 'authentication (test-always-fail)'}: the first packet is dropped with "Authentication required" until the handshake completes.`,
    );
  if (e.l7Note !== undefined) lines.push(e.l7Note);
  lines.push('', `Final verdict: ${e.decision.allowed ? 'ALLOWED' : 'DENIED'}${e.dropReason === undefined ? '' : ` (${e.dropReason})`}`);
  return lines.join('\n');
}

function identityText(i: IdentityInfo): string {
  return `identity ${identityName(i.id)} [${i.labels.map(formatLabel).join(', ')}]`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
