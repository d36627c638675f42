import type { RuleSection } from './types.ts';

/**
 * The direction of traffic relative to an endpoint, in the two spellings Cilium uses: upper
 * case in policy map keys, policy verdicts and Hubble's `traffic_direction` (`INGRESS`), lower
 * case in policy sections, flow fields and agent text (`ingress`, `ingress_allowed_by`).
 */
export type Direction = 'INGRESS' | 'EGRESS';

/** The lower-case spelling: a policy's `ingress:` section, a conntrack entry's side. */
export type DirectionSide = 'ingress' | 'egress';

/** `INGRESS` -> `ingress`. */
export function directionSide(d: Direction): DirectionSide {
  return d === 'INGRESS' ? 'ingress' : 'egress';
}

/** `ingress` -> `INGRESS`. */
export function sideDirection(side: DirectionSide): Direction {
  return side === 'ingress' ? 'INGRESS' : 'EGRESS';
}

/** The direction of a rule section: `ingress` and `ingressDeny` are INGRESS, the others EGRESS. */
export function sectionDirection(section: RuleSection): Direction {
  return section.startsWith('ingress') ? 'INGRESS' : 'EGRESS';
}
