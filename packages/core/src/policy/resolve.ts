import type { PolicyRef } from './policyDecision.ts';
import { PolicyMap, policyMapKeyText, portBlocks, type PolicyMapEntry, type PolicyMapKey, type PortBlock } from './policyMap.ts';
import { computeEnforcement, ruleSelects, type EnforcementMode, type Enforcement } from './enforcement.ts';
import { buildL4Filters, type L4Filter, type RuleWithRevision } from './l4Filter.ts';
import type { SubjectNamedPorts } from './namedPorts.ts';
import { mergeL7 } from './l7Merge.ts';
import { isWildcardPeer, type IdentityInfo, type PeerSelector } from './peerSelector.ts';
import { ReservedIdentity } from '../identity/reserved.ts';
import { AUTH_TYPE, type AuthType } from './authType.ts';
import type { L7Rules } from './types.ts';

/**
 * Cilium's distillery: the policy of one subject identity, independent of which remote
 * identities exist (`SelectorPolicy`), and its expansion into policy map entries given the
 * selector cache's selections. Endpoints sharing an identity (and named ports) share both.
 */
export interface SelectorPolicy {
  readonly subject: IdentityInfo;
  readonly enforcement: Enforcement;
  readonly filters: readonly L4Filter[];
  /** Every distinct peer the filters use, for selector-cache registration. */
  readonly peers: readonly PeerSelector[];
  readonly rules: readonly RuleWithRevision[];
  /** The local host may always reach the endpoint (agent `allow-localhost`, `always` on Kubernetes). */
  readonly allowLocalhost: boolean;
}

export interface ResolveOptions {
  readonly mode?: EnforcementMode;
  readonly namedPorts?: SubjectNamedPorts;
  /**
   * Default true: Cilium's `allow-localhost` is `auto`, which becomes `always` in Kubernetes
   * mode ("Kubernetes demands that the localhost can always reach local pods"), so kubelet
   * probes pass default deny. Deny rules naming the host still win.
   */
  readonly allowLocalhost?: boolean;
}

/** Which identities a peer selects, by peer key (the selector cache's answer). */
export type Selections = (peerKey: string) => Iterable<number>;

export type MapEntries = Map<string, readonly [PolicyMapKey, PolicyMapEntry]>;

/** Resolves the rules selecting `subject`. Pure. `mode` defaults to `default`. */
export function resolvePolicy(subject: IdentityInfo, rules: Iterable<RuleWithRevision>, opts: ResolveOptions = {}): SelectorPolicy {
  const selecting = [...rules].filter((r) => ruleSelects(r.rule, subject));
  const mode = opts.mode ?? 'default';
  const enforcement = computeEnforcement(
    selecting.map((r) => r.rule),
    mode,
  );
  const filters = mode === 'never' ? [] : buildL4Filters(selecting, opts.namedPorts ?? {});
  const peers = new Map<string, PeerSelector>();
  for (const f of filters) for (const c of f.contributions) if (!isWildcardPeer(c.peer)) peers.set(c.peer.key, c.peer);
  return { subject, enforcement, filters, peers: [...peers.values()], rules: selecting, allowLocalhost: opts.allowLocalhost ?? true };
}

interface Acc {
  deny: boolean;
  l7: (L7Rules | undefined)[];
  redirect: boolean;
  auth: AuthType;
  explicit: boolean;
  refs: Map<string, PolicyRef>;
}

/**
 * The map entries of a policy. With `only`, just the entries keyed by those remote identities
 * (an identity appeared, vanished or changed selections): the incremental path.
 */
export function computeEntries(policy: SelectorPolicy, selections: Selections, only?: ReadonlySet<number>): MapEntries {
  const accs = new Map<string, [PolicyMapKey, Acc]>();
  const touch = (key: PolicyMapKey): Acc => {
    const text = policyMapKeyText(key);
    let a = accs.get(text);
    if (a === undefined)
      accs.set(text, (a = [key, { deny: false, l7: [], redirect: false, auth: AUTH_TYPE.disabled, explicit: false, refs: new Map() }]));
    return a[1];
  };
  for (const f of policy.filters) addFilter(f, selections, only, touch);
  // The agent's allow-localhost-ingress entry: an L3 allow for the host identity, explicitly
  // without authentication (pkg/policy mapstate, determineAllowLocalhostIngress).
  if (policy.allowLocalhost && policy.enforcement.ingress.enforced && (only === undefined || only.has(ReservedIdentity.host))) {
    touch({ identity: ReservedIdentity.host, direction: 'INGRESS', proto: 0, port: 0, portPrefixLength: 0 }).explicit = true;
  }
  for (const direction of ['INGRESS', 'EGRESS'] as const) {
    const e = direction === 'INGRESS' ? policy.enforcement.ingress : policy.enforcement.egress;
    if (e.enforced && !e.defaultDeny && (only === undefined || only.has(0)))
      touch({ identity: 0, direction, proto: 0, port: 0, portPrefixLength: 0 });
  }
  const interned = new Map<string, PolicyMapEntry>();
  const out: MapEntries = new Map();
  for (const [text, [key, acc]] of accs) out.set(text, [key, intern(finishEntry(acc), interned)]);
  return out;
}

function filterBlocks(f: L4Filter): PortBlock[] {
  if (f.proto === 0) return [{ port: 0, prefixLength: 0 }];
  if (f.port === 0 && !f.exact) return [{ port: 0, prefixLength: 0 }];
  return portBlocks(f.port, f.endPort);
}

function addFilter(f: L4Filter, selections: Selections, only: ReadonlySet<number> | undefined, touch: (k: PolicyMapKey) => Acc): void {
  const blocks = filterBlocks(f);
  // Envoy consults every selector of the port for a remote identity, so an identity-specific
  // entry also carries the L7 rules of the port's wildcard (L4-only) allows.
  const wildcardL7 = f.contributions.filter((c) => !c.deny && isWildcardPeer(c.peer)).map((c) => c.l7);
  for (const c of f.contributions) {
    const ids = isWildcardPeer(c.peer) ? [0] : selections(c.peer.key);
    for (const id of ids) {
      if (only !== undefined && !only.has(id)) continue;
      for (const b of blocks) {
        const acc = touch({
          identity: id,
          direction: f.direction,
          proto: f.proto,
          port: b.port,
          portPrefixLength: f.proto === 0 ? 0 : b.prefixLength,
        });
        addContribution(acc, c, id !== 0 ? wildcardL7 : []);
      }
    }
  }
}

function addContribution(acc: Acc, c: L4Filter['contributions'][number], extraL7: readonly (L7Rules | undefined)[]): void {
  acc.refs.set(`${c.ref.kind}/${c.ref.namespace ?? ''}/${c.ref.name}`, c.ref);
  if (c.deny) {
    acc.deny = true;
    return;
  }
  if (c.l7 !== undefined) {
    acc.redirect = true;
    acc.l7.push(c.l7, ...extraL7);
  }
  if (c.authType !== undefined) {
    acc.explicit = true;
    acc.auth = Math.max(acc.auth, c.authType) as AuthType;
  }
}

function finishEntry(acc: Acc): PolicyMapEntry {
  const derivedFrom = [...acc.refs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  if (acc.deny) return { deny: true, authType: AUTH_TYPE.disabled, hasExplicitAuth: false, derivedFrom };
  const l7 = acc.redirect ? mergeL7(acc.l7) : undefined;
  return { deny: false, authType: acc.auth, hasExplicitAuth: acc.explicit, derivedFrom, ...(l7 === undefined ? {} : { l7 }) };
}

/** Equal entries share one frozen object: thousands of identities selected alike cost one value. */
function intern(e: PolicyMapEntry, seen: Map<string, PolicyMapEntry>): PolicyMapEntry {
  const text = JSON.stringify(e);
  const hit = seen.get(text);
  if (hit !== undefined) return hit;
  const frozen = Object.freeze(e);
  seen.set(text, frozen);
  return frozen;
}

/** The changes turning `prev` into `next` (entries compared by value). */
export function diffEntries(
  prev: MapEntries,
  next: MapEntries,
): { adds: (readonly [PolicyMapKey, PolicyMapEntry])[]; deletes: PolicyMapKey[] } {
  const adds: (readonly [PolicyMapKey, PolicyMapEntry])[] = [];
  const deletes: PolicyMapKey[] = [];
  for (const [text, [key]] of prev) if (!next.has(text)) deletes.push(key);
  for (const [text, kv] of next) {
    const old = prev.get(text);
    if (old === undefined || JSON.stringify(old[1]) !== JSON.stringify(kv[1])) adds.push(kv);
  }
  return { adds, deletes };
}

/** A fresh policy map holding every entry of `policy`. */
export function buildPolicyMap(policy: SelectorPolicy, selections: Selections): PolicyMap {
  const map = new PolicyMap({ ingress: policy.enforcement.ingress.enforced, egress: policy.enforcement.egress.enforced });
  map.applyChanges([...computeEntries(policy, selections).values()], []);
  return map;
}
