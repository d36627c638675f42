import type { LintRule } from './lintRule.ts';
import { DEAD_RULES } from './rules/deadRules.ts';
import { EMPTY_DEFAULT_DENY_RULES } from './rules/emptyDefaultDeny.ts';
import { FQDN_WITHOUT_DNS_RULES } from './rules/fqdnWithoutDns.ts';
import { PEER_TRAP_RULES } from './rules/peerTraps.ts';
import { PORT_TRAP_RULES } from './rules/portTraps.ts';
import { SANITIZE_PEER_RULES } from './rules/sanitizePeers.ts';
import { SANITIZE_PORT_RULES } from './rules/sanitizePorts.ts';
import { SANITIZE_SUBJECT_RULES } from './rules/sanitizeSubject.ts';
import { SELECTION_TRAP_RULES } from './rules/selectionTraps.ts';
import { TIER_POLICY_RULES } from './rules/tierPolicies.ts';
import { UNKNOWN_FIELD_RULES } from './rules/unknownField.ts';
import { VERSION_CHANGE_RULES } from './rules/versionChanges.ts';

/**
 * Every lint rule, in the order findings of one object are listed: what Cilium refuses first
 * (the API server, then the sanitizer behind the operator's `Valid: False`), then the traps of
 * valid policies, then what changed between versions.
 */
export const LINT_RULES: readonly LintRule[] = [
  ...UNKNOWN_FIELD_RULES,
  ...SANITIZE_SUBJECT_RULES,
  ...SANITIZE_PEER_RULES,
  ...SANITIZE_PORT_RULES,
  ...FQDN_WITHOUT_DNS_RULES,
  ...PEER_TRAP_RULES,
  ...PORT_TRAP_RULES,
  ...EMPTY_DEFAULT_DENY_RULES,
  ...SELECTION_TRAP_RULES,
  ...DEAD_RULES,
  ...VERSION_CHANGE_RULES,
  ...TIER_POLICY_RULES,
];
