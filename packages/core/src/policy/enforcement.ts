import { lookupLabel } from '../identity/labels.ts';
import type { IdentityInfo } from './peerSelector.ts';
import { selectorMatches } from '../k8s/labelSelector.ts';
import type { Direction } from './direction.ts';
import type { PolicyRule, Subject } from './types.ts';

/** Helm `policyEnforcementMode` / agent `enable-policy`. */
export type EnforcementMode = 'default' | 'always' | 'never';

export interface DirectionEnforcement {
  /** Policy applies in this direction: lookups are made and verdicts emitted. */
  readonly enforced: boolean;
  /** What nothing allows is dropped (`Policy denied`). */
  readonly defaultDeny: boolean;
}

export interface Enforcement {
  readonly ingress: DirectionEnforcement;
  readonly egress: DirectionEnforcement;
}

/**
 * Does `rule` select `subject`? An endpointSelector selects workload identities and the ingress
 * identity (Cilium's ingress endpoint, whose policy Envoy enforces for Gateways and Ingresses),
 * never the other reserved ones such as host or world; a nodeSelector selects only the host.
 */
export function ruleSelects(rule: PolicyRule, subject: IdentityInfo): boolean {
  return subjectSelects(rule.subject, subject);
}

export function subjectSelects(s: Subject, subject: IdentityInfo): boolean {
  if (s.kind === 'nodes')
    return lookupLabel(subject.labels, 'reserved', 'host') !== undefined && selectorMatches(s.selector, subject.labels);
  return !subject.labels.some((l) => l.source === 'reserved' && l.key !== 'ingress') && selectorMatches(s.selector, subject.labels);
}

/**
 * Enforcement per direction (§2.3). Cases:
 * - `never`: nothing is enforced, deny rules included;
 * - `always`: both directions default-deny, with or without rules;
 * - `default`: a direction is enforced when some selecting rule has a section for it, and
 *   default-deny when some selecting rule with that section does not opt out with
 *   `enableDefaultDeny: false`; otherwise everything is allowed.
 */
export function computeEnforcement(selecting: readonly PolicyRule[], mode: EnforcementMode): Enforcement {
  if (mode === 'never') return { ingress: OFF, egress: OFF };
  if (mode === 'always') return { ingress: DENY, egress: DENY };
  return { ingress: direction(selecting, 'INGRESS'), egress: direction(selecting, 'EGRESS') };
}

const OFF: DirectionEnforcement = Object.freeze({ enforced: false, defaultDeny: false });
const DENY: DirectionEnforcement = Object.freeze({ enforced: true, defaultDeny: true });

function direction(rules: readonly PolicyRule[], dir: Direction): DirectionEnforcement {
  const has = (r: PolicyRule): boolean => (dir === 'INGRESS' ? r.hasIngress : r.hasEgress);
  const dd = (r: PolicyRule): boolean => (dir === 'INGRESS' ? r.defaultDeny.ingress : r.defaultDeny.egress);
  return { enforced: rules.some(has), defaultDeny: rules.some(dd) };
}
