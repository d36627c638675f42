/** Network policy: parsing, selectors, selector cache, repository, resolution, explanation. */
export { parsePolicy, validatePolicyObject } from './parsePolicy.ts';
export { referencedCidrs } from './referencedCidrs.ts';
export { AUTH_TYPE, type AuthMode, type AuthType } from './authType.ts';
export { POLICY_KINDS, isPolicyKind, type PolicyKind } from './policyKinds.ts';
export { PROTOCOL_NUMBERS, protocolName } from './u8proto.ts';
export {
  formatPolicySource,
  policySourceKey,
  type DnsRule,
  type HeaderMatch,
  type HttpRule,
  type L7Rules,
  type Listener,
  type PeerRule,
  type PolicyProtocol,
  type PolicyRule,
  type PolicyRules,
  type PolicySource,
  type PortRule,
  type PortSpec,
  type RuleSection,
  type SecretRef,
  type Subject,
  type TlsContext,
} from './types.ts';
export {
  DEFAULT_POLICY_CONTEXT,
  ENTITIES,
  WILDCARD_PEER,
  describePeer,
  isWildcardPeer,
  peerMatches,
  type EntityName,
  type IdentityInfo,
  type PeerSelector,
  type PolicyContext,
} from './peerSelector.ts';
export { parseCidr, cidrContains, type Cidr } from './cidr.ts';
export { fqdnSelectorLabel, fqdnSelectorMatches, fqdnSelectorString, fqdnPatternRegExp, type FqdnSelector } from './fqdn.ts';
export { regexProblem } from './parseL7.ts';
export { Repository, type RepositoryChange } from './repository.ts';
export { SelectorCache, type SelectorChange, type SelectorUser } from './selectorCache.ts';
export { computeEnforcement, ruleSelects, type DirectionEnforcement, type Enforcement, type EnforcementMode } from './enforcement.ts';
export type { Contribution, L4Filter, RuleWithRevision } from './l4Filter.ts';
export type { NamedPort, NamedPortMap, NamedPortProtocol, PortProto, SubjectNamedPorts } from './namedPorts.ts';
export {
  buildPolicyMap,
  computeEntries,
  diffEntries,
  resolvePolicy,
  type MapEntries,
  type ResolveOptions,
  type SelectorPolicy,
  type Selections,
} from './resolve.ts';
export { PolicyEngine, type PolicyEngineOptions } from './policyEngine.ts';
export { allowRules, type AllowRules } from './allowRules.ts';
export {
  explainPolicy,
  explanationLines,
  type ExplainQuery,
  type FindingOutcome,
  type LivePolicy,
  type PolicyExplanation,
  type RuleFinding,
} from './explain.ts';
export {
  PolicyMap,
  matchTypeOf,
  portBlocks,
  policyMapKeyText,
  type MatchType,
  type PolicyMapEntry,
  type PolicyMapKey,
  type PortBlock,
} from './policyMap.ts';
export type { Direction } from './direction.ts';
