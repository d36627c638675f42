import type { Direction } from './direction.ts';
import type { LivePolicy } from './explain.ts';
import type { PeerRule, PolicyRule } from './types.ts';

export interface AllowRules {
  /** The rules selecting the subject (its resolved policy's, in repository order). */
  readonly selecting: readonly PolicyRule[];
  /** Their allow rules in the direction that admit the remote identity (every allow rule when none is named). */
  readonly admitting: readonly { readonly rule: PolicyRule; readonly peerRule: PeerRule }[];
}

/**
 * Which rules of the live policy could let identity `remoteId` talk to the subject in `direction`, whatever
 * the port: read from the subject's resolved policy and the selector cache's selections, as the
 * policy map is built. Lab checks ask it whether such a rule requires authentication.
 */
export function allowRules(
  live: Pick<LivePolicy, 'cache' | 'selectorPolicy'>,
  subjectId: number,
  direction: Direction,
  remoteId?: number,
): AllowRules {
  const selecting = live.selectorPolicy(subjectId).rules.map((r) => r.rule);
  const admitting = selecting.flatMap((rule) =>
    (direction === 'INGRESS' ? rule.ingress : rule.egress)
      .filter((pr) => !pr.deny && (remoteId === undefined || pr.peers.some((p) => live.cache.selects(p, remoteId))))
      .map((peerRule) => ({ rule, peerRule })),
  );
  return { selecting, admitting };
}
