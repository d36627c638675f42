import type { Direction } from './direction.ts';
import { ALLOW_UNENFORCED, type EndpointPolicyView, type PolicyDecision, type PolicyRef } from './policyDecision.ts';
import { AUTH_TYPE, type AuthType } from './authType.ts';
import type { L7Rules } from './types.ts';

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
  ingressEnforced: boolean;
  egressEnforced: boolean;
  readonly #buckets = new Map<number, Bucket>();
  #size = 0;

  constructor(enforcement: { ingress: boolean; egress: boolean }) {
    this.ingressEnforced = enforcement.ingress;
    this.egressEnforced = enforcement.egress;
  }

  get size(): number {
    return this.#size;
  }

  /** Applies a diff: deletes first, then adds (an add replaces an entry with the same key). */
  applyChanges(adds: readonly (readonly [PolicyMapKey, PolicyMapEntry])[], deletes: readonly PolicyMapKey[]): void {
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
