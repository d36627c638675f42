import type { Direction } from './direction.ts';
import {
  ALLOW_UNENFORCED,
  firstVerdict,
  type EndpointPolicyView,
  type PolicyDecision,
  type PolicyRef,
  type TierVerdict,
} from './policyDecision.ts';
import type { Enforcement } from './enforcement.ts';
import { AUTH_TYPE, type AuthType } from './authType.ts';
import type { L7Rules } from './types.ts';
import { bumpStateRevision } from '../sim/stateRevision.ts';

/**
 * The resolved policy of one subject identity, as the agent computes it (pkg/policy/mapstate.go)
 * and the datapath reads it per packet (cilium_policy_v2): key = (remote identity or 0 = any,
 * direction, protocol or 0 = any, port block), value = verdict material. Port ranges are
 * stored as prefix-aligned blocks, as the BPF LPM trie stores them, so a lookup probes at most
 * one key per prefix length in use: a small constant number of Map.get calls, no rule iteration.
 *
 * An unenforced direction (no rule selecting the endpoint has that direction, mode not
 * `always`) answers ALLOW_UNENFORCED (matchType `all`) without a lookup; Hubble emits no
 * policy-verdict there. An enforced direction without default deny (`enableDefaultDeny: false`)
 * holds an allow-all entry (identity 0, any protocol) that deny entries still override.
 */
export type MatchType = 'none' | 'L3-Only' | 'L3-L4' | 'L4-Only' | 'all' | 'L3-Proto' | 'Proto-Only';

export interface PolicyMapKey {
  /** Remote identity, 0 = any. */
  readonly identity: number;
  readonly direction: Direction;
  /** IANA protocol number, 0 = any (then the port is ignored). */
  readonly proto: number;
  /** First port of the block (already masked). */
  readonly port: number;
  /** Bits of the port that are fixed: 16 = one port, 0 = every port. */
  readonly portPrefixLength: number;
}

export interface PolicyMapEntry {
  readonly deny: boolean;
  readonly authType: AuthType;
  readonly hasExplicitAuth: boolean;
  /** Present when the port is redirected to the L7 proxy: what the proxy enforces for this peer. */
  readonly l7?: L7Rules;
  readonly derivedFrom: readonly PolicyRef[];
  /** The first rule of the Admin tier that covers this key, if any. */
  readonly admin?: TierVerdict;
  /** The first rule of the Baseline tier that covers this key, if any. */
  readonly baseline?: TierVerdict;
  /** Only the tiers' rules hold this key: it says nothing for the NetworkPolicy tier. */
  readonly tierOnly?: true;
}

export interface PortBlock {
  readonly port: number;
  readonly prefixLength: number;
}

/**
 * Splits `start..end` into the fewest prefix-aligned blocks (80..444 -> 80/12, 96/11, ...).
 *
 * @example portBlocks(80, 83) // [{ port: 80, prefixLength: 14 }]
 */
export function portBlocks(start: number, end: number): PortBlock[] {
  const out: PortBlock[] = [];
  let p = start;
  while (p <= end) {
    let size = 1;
    while (size < 65536 && p % (size * 2) === 0 && p + size * 2 - 1 <= end) size *= 2;
    out.push({ port: p, prefixLength: 16 - Math.log2(size) });
    p += size;
  }
  return out;
}

/** A printable, unique text of a key: `INGRESS 12345 6/80/16`. */
export function policyMapKeyText(k: PolicyMapKey): string {
  return `${k.direction} ${k.identity} ${k.proto}/${k.proto === 0 ? 0 : k.port}/${k.proto === 0 ? 0 : k.portPrefixLength}`;
}

/** Hubble's match type for the entry at `key` (pkg/monitor/api/types.go names). */
export function matchTypeOf(key: Pick<PolicyMapKey, 'identity' | 'proto' | 'portPrefixLength'>): MatchType {
  const l3 = key.identity !== 0;
  if (key.proto === 0) return l3 ? 'L3-Only' : 'all';
  if (key.portPrefixLength === 0) return l3 ? 'L3-Proto' : 'Proto-Only';
  return l3 ? 'L3-L4' : 'L4-Only';
}

// Slot 0 is "any protocol"; slot 1 + n is "protocol fixed, n port bits fixed".
const SLOTS = 18;

function slotOf(k: Pick<PolicyMapKey, 'proto' | 'portPrefixLength'>): number {
  return k.proto === 0 ? 0 : 1 + k.portPrefixLength;
}

function maskPort(port: number, prefixLength: number): number {
  return prefixLength === 0 ? 0 : port & ((0xffff << (16 - prefixLength)) & 0xffff);
}

function innerKey(proto: number, port: number, slot: number): number {
  return slot === 0 ? 0 : ((proto << 16) | maskPort(port, slot - 1)) * SLOTS + slot;
}

interface Bucket {
  readonly entries: Map<number, PolicyMapEntry>;
  readonly slotCounts: Int32Array;
}

export class PolicyMap implements EndpointPolicyView {
  #ingressEnforced: boolean;
  #egressEnforced: boolean;
  #tiers: Enforcement | undefined;
  readonly #buckets = new Map<number, Bucket>();
  #size = 0;

  // Every change of a map's verdicts bumps the state revision, so no connection keeps a verdict
  // the map no longer gives (see sim/stateRevision.ts).
  constructor(enforcement: { ingress: boolean; egress: boolean }) {
    bumpStateRevision();
    this.#ingressEnforced = enforcement.ingress;
    this.#egressEnforced = enforcement.egress;
    this.#tiers = undefined;
  }

  get ingressEnforced(): boolean {
    return this.#ingressEnforced;
  }

  set ingressEnforced(on: boolean) {
    if (on !== this.#ingressEnforced) bumpStateRevision();
    this.#ingressEnforced = on;
  }

  get egressEnforced(): boolean {
    return this.#egressEnforced;
  }

  set egressEnforced(on: boolean) {
    if (on !== this.#egressEnforced) bumpStateRevision();
    this.#egressEnforced = on;
  }

  /**
   * Set when rules of the Admin or Baseline tier select the subject: the NetworkPolicy tier's own
   * enforcement. Lookups then walk the tiers (see `#lookupTiers`); without it they are as before.
   */
  get tiers(): Enforcement | undefined {
    return this.#tiers;
  }

  set tiers(tiers: Enforcement | undefined) {
    if (tiers !== this.#tiers) bumpStateRevision();
    this.#tiers = tiers;
  }

  get size(): number {
    return this.#size;
  }

  /** Applies a diff: deletes first, then adds (an add replaces an entry with the same key). */
  applyChanges(adds: readonly (readonly [PolicyMapKey, PolicyMapEntry])[], deletes: readonly PolicyMapKey[]): void {
    if (adds.length > 0 || deletes.length > 0) bumpStateRevision();
    for (const k of deletes) this.#delete(k);
    for (const [k, v] of adds) this.#set(k, v);
  }

  get(key: PolicyMapKey): PolicyMapEntry | undefined {
    return this.#buckets.get(bucketId(key.identity, key.direction))?.entries.get(innerKey(key.proto, key.port, slotOf(key)));
  }

  /**
   * The verdict for one packet in the original direction, with Cilium's precedence (§2.7): a
   * matching deny wins; then a proxy redirect; then the longer protocol/port prefix; then the
   * identity-specific entry over the wildcard. Without an explicit auth type on the chosen
   * entry, the largest explicit one of the other matching entries applies.
   */
  lookup(remoteIdentity: number, direction: Direction, proto: number, port: number): PolicyDecision {
    if (!(direction === 'INGRESS' ? this.ingressEnforced : this.egressEnforced)) return ALLOW_UNENFORCED;
    if (this.tiers !== undefined) return this.#lookupTiers(remoteIdentity, direction, proto, port, this.tiers);
    // Plain locals instead of candidate objects: a lookup allocates nothing once its decision is cached.
    let best: PolicyMapEntry | undefined;
    let bestRank = -1;
    let bestSpecific = false;
    let bestSlot = 0;
    let deny: PolicyMapEntry | undefined;
    let denyRank = -1;
    let denySpecific = false;
    let denySlot = 0;
    let explicitAuth: AuthType = AUTH_TYPE.disabled;
    for (let pass = 0; pass < 2; pass++) {
      const id = pass === 0 ? remoteIdentity : 0;
      if (pass === 1 && remoteIdentity === 0) break;
      const bucket = this.#buckets.get(bucketId(id, direction));
      if (bucket === undefined) continue;
      for (let slot = 0; slot < SLOTS; slot++) {
        if (bucket.slotCounts[slot] === 0) continue;
        const entry = bucket.entries.get(innerKey(proto, port, slot));
        if (entry === undefined) continue;
        const rank = rankOf(entry, slot, id !== 0);
        if (entry.deny) {
          if (rank > denyRank) [deny, denyRank, denySpecific, denySlot] = [entry, rank, id !== 0, slot];
        } else {
          if (rank > bestRank) [best, bestRank, bestSpecific, bestSlot] = [entry, rank, id !== 0, slot];
          if (entry.hasExplicitAuth && entry.authType > explicitAuth) explicitAuth = entry.authType;
        }
      }
    }
    if (deny !== undefined) return decision(deny, denySpecific, denySlot, false, AUTH_TYPE.disabled);
    if (best === undefined) return DEFAULT_DENY;
    return decision(best, bestSpecific, bestSlot, true, best.hasExplicitAuth ? best.authType : explicitAuth);
  }

  /**
   * The verdict across the tiers, as the network-policy-api defines it and Cilium 1.20's policy
   * map resolves it: the first Admin rule that covers the packet decides if it says Accept or
   * Deny, and a Pass hands over; then the NetworkPolicy tier decides for a subject it selects in
   * this direction (its denies, its allows, its default deny); otherwise the first Baseline rule
   * that says Accept or Deny; and what nothing decides is allowed. The same probes as `lookup`, so
   * still a constant number of map reads per packet.
   */
  #lookupTiers(remoteIdentity: number, direction: Direction, proto: number, port: number, np: Enforcement): PolicyDecision {
    let admin: TierVerdict | undefined;
    let baseline: TierVerdict | undefined;
    const at = { admin: 0, baseline: 0 };
    let best: PolicyMapEntry | undefined;
    let bestRank = -1;
    let bestAt = 0;
    let deny: PolicyMapEntry | undefined;
    let denyRank = -1;
    let denyAt = 0;
    let explicitAuth: AuthType = AUTH_TYPE.disabled;
    for (let pass = 0; pass < 2; pass++) {
      const id = pass === 0 ? remoteIdentity : 0;
      if (pass === 1 && remoteIdentity === 0) break;
      const bucket = this.#buckets.get(bucketId(id, direction));
      if (bucket === undefined) continue;
      for (let slot = 0; slot < SLOTS; slot++) {
        if (bucket.slotCounts[slot] === 0) continue;
        const entry = bucket.entries.get(innerKey(proto, port, slot));
        if (entry === undefined) continue;
        // Where the entry matched, as `decision` encodes it: slot and identity-specific.
        const where = slot * 2 + (id !== 0 ? 1 : 0);
        if (entry.admin !== undefined && firstVerdict(admin, entry.admin) === entry.admin) [admin, at.admin] = [entry.admin, where];
        if (entry.baseline !== undefined && firstVerdict(baseline, entry.baseline) === entry.baseline)
          [baseline, at.baseline] = [entry.baseline, where];
        if (entry.tierOnly === true) continue;
        const rank = rankOf(entry, slot, id !== 0);
        if (entry.deny) {
          if (rank > denyRank) [deny, denyRank, denyAt] = [entry, rank, where];
        } else {
          if (rank > bestRank) [best, bestRank, bestAt] = [entry, rank, where];
          if (entry.hasExplicitAuth && entry.authType > explicitAuth) explicitAuth = entry.authType;
        }
      }
    }
    if (admin !== undefined && admin.action !== 'Pass') return tierDecision(admin, at.admin);
    if ((direction === 'INGRESS' ? np.ingress : np.egress).enforced) {
      if (deny !== undefined) return decision(deny, denyAt % 2 === 1, denyAt >> 1, false, AUTH_TYPE.disabled);
      if (best === undefined) return DEFAULT_DENY;
      return decision(best, bestAt % 2 === 1, bestAt >> 1, true, best.hasExplicitAuth ? best.authType : explicitAuth);
    }
    if (baseline !== undefined && baseline.action !== 'Pass') return tierDecision(baseline, at.baseline);
    return ALLOW_BY_DEFAULT;
  }

  /**
   * The first Admin and Baseline rules that cover a packet, a Pass included: the steps of the tier
   * walk `cilium policy trace` tells. Not on the per-packet path.
   */
  firstTierRules(
    remoteIdentity: number,
    direction: Direction,
    proto: number,
    port: number,
  ): { admin?: TierVerdict; baseline?: TierVerdict } {
    let admin: TierVerdict | undefined;
    let baseline: TierVerdict | undefined;
    for (const id of remoteIdentity === 0 ? [0] : [remoteIdentity, 0]) {
      const bucket = this.#buckets.get(bucketId(id, direction));
      for (let slot = 0; bucket !== undefined && slot < SLOTS; slot++) {
        const entry = bucket.entries.get(innerKey(proto, port, slot));
        admin = firstVerdict(admin, entry?.admin);
        baseline = firstVerdict(baseline, entry?.baseline);
      }
    }
    return { ...(admin === undefined ? {} : { admin }), ...(baseline === undefined ? {} : { baseline }) };
  }

  /** Every entry, sorted by key text (for `cilium-sim map` and tests). */
  entries(): [PolicyMapKey, PolicyMapEntry][] {
    const out: [PolicyMapKey, PolicyMapEntry][] = [];
    for (const [bid, bucket] of this.#buckets) {
      for (const [ik, v] of bucket.entries) out.push([decodeKey(bid, ik), v]);
    }
    return out.sort(([a], [b]) => compareKeys(a, b));
  }

  #set(k: PolicyMapKey, v: PolicyMapEntry): void {
    const bid = bucketId(k.identity, k.direction);
    let bucket = this.#buckets.get(bid);
    if (bucket === undefined) {
      bucket = { entries: new Map(), slotCounts: new Int32Array(SLOTS) };
      this.#buckets.set(bid, bucket);
    }
    const slot = slotOf(k);
    const ik = innerKey(k.proto, k.port, slot);
    if (!bucket.entries.has(ik)) {
      bucket.slotCounts[slot] = (bucket.slotCounts[slot] ?? 0) + 1;
      this.#size++;
    }
    bucket.entries.set(ik, v);
  }

  #delete(k: PolicyMapKey): void {
    const bid = bucketId(k.identity, k.direction);
    const bucket = this.#buckets.get(bid);
    const slot = slotOf(k);
    if (bucket === undefined || !bucket.entries.delete(innerKey(k.proto, k.port, slot))) return;
    bucket.slotCounts[slot] = (bucket.slotCounts[slot] ?? 1) - 1;
    this.#size--;
    if (bucket.entries.size === 0) this.#buckets.delete(bid);
  }
}

const DEFAULT_DENY: PolicyDecision = Object.freeze({
  allowed: false,
  denied: false,
  matchType: 'none',
  authType: AUTH_TYPE.disabled,
  policies: [],
});

/** Nothing in any tier decided: the Kubernetes default lets the packet through. */
const ALLOW_BY_DEFAULT: PolicyDecision = Object.freeze({
  allowed: true,
  denied: false,
  matchType: 'all',
  authType: AUTH_TYPE.disabled,
  policies: [],
});

const tierDecisions = new WeakMap<TierVerdict, Map<number, PolicyDecision>>();

/** The decision of an Accept or Deny of the Admin or Baseline tier; cached per verdict and place. */
function tierDecision(verdict: TierVerdict, where: number): PolicyDecision {
  let byPlace = tierDecisions.get(verdict);
  if (byPlace === undefined) tierDecisions.set(verdict, (byPlace = new Map()));
  const hit = byPlace.get(where);
  if (hit !== undefined) return hit;
  const slot = where >> 1;
  const allowed = verdict.action === 'Accept';
  const made: PolicyDecision = Object.freeze({
    allowed,
    denied: !allowed,
    matchType: matchTypeOf({ identity: where % 2, proto: slot === 0 ? 0 : 1, portPrefixLength: slot - 1 }),
    authType: AUTH_TYPE.disabled,
    policies: [verdict.ref],
    tier: verdict,
    ...(allowed && verdict.l7 !== undefined ? { l7: verdict.l7 } : {}),
  });
  byPlace.set(where, made);
  return made;
}

/** Proxy redirect first, then prefix length (protocol counts 8 bits), then identity-specific. */
function rankOf(entry: PolicyMapEntry, slot: number, identitySpecific: boolean): number {
  const prefix = slot === 0 ? 0 : 8 + (slot - 1);
  return (entry.l7 === undefined ? 0 : 100) + prefix * 2 + (identitySpecific ? 1 : 0);
}

/**
 * Decisions are cached per (interned, frozen) entry, so the per-packet path reuses one object
 * for every packet that lands on the same entry the same way.
 */
const decisions = new WeakMap<PolicyMapEntry, Map<number, PolicyDecision>>();

function decision(entry: PolicyMapEntry, identitySpecific: boolean, slot: number, allowed: boolean, authType: AuthType): PolicyDecision {
  const code = ((slot * 2 + (identitySpecific ? 1 : 0)) * 2 + (allowed ? 1 : 0)) * 4 + authType;
  let byCode = decisions.get(entry);
  if (byCode === undefined) decisions.set(entry, (byCode = new Map()));
  const hit = byCode.get(code);
  if (hit !== undefined) return hit;
  const matchType = matchTypeOf({ identity: identitySpecific ? 1 : 0, proto: slot === 0 ? 0 : 1, portPrefixLength: slot - 1 });
  const made: PolicyDecision = Object.freeze({
    allowed,
    denied: !allowed,
    matchType,
    authType,
    policies: entry.derivedFrom,
    ...(allowed && entry.l7 !== undefined ? { l7: entry.l7 } : {}),
  });
  byCode.set(code, made);
  return made;
}

function bucketId(identity: number, direction: Direction): number {
  return identity * 2 + (direction === 'EGRESS' ? 1 : 0);
}

function decodeKey(bid: number, ik: number): PolicyMapKey {
  const direction: Direction = bid % 2 === 1 ? 'EGRESS' : 'INGRESS';
  const identity = Math.floor(bid / 2);
  const slot = ik % SLOTS;
  if (slot === 0) return { identity, direction, proto: 0, port: 0, portPrefixLength: 0 };
  const pp = Math.floor(ik / SLOTS);
  return { identity, direction, proto: pp >>> 16, port: pp & 0xffff, portPrefixLength: slot - 1 };
}

function compareKeys(a: PolicyMapKey, b: PolicyMapKey): number {
  return (
    a.direction.localeCompare(b.direction) ||
    a.identity - b.identity ||
    a.proto - b.proto ||
    a.port - b.port ||
    a.portPrefixLength - b.portPrefixLength
  );
}
