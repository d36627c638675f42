import {
  DEFAULT_POLICY_CONTEXT,
  isWildcardPeer,
  peerMatches,
  type IdentityInfo,
  type PeerSelector,
  type PolicyContext,
} from './peerSelector.ts';
import { NAMESPACE_KEY } from '../identity/endpointLabels.ts';

export interface SelectorChange {
  readonly key: string;
  readonly added: readonly number[];
  readonly removed: readonly number[];
}

/** A resolved policy that uses selectors and must hear when their selections change. */
export interface SelectorUser {
  selectionsChanged(changes: readonly SelectorChange[]): void;
}

interface Cached {
  readonly peer: PeerSelector;
  readonly selected: Set<number>;
  readonly users: Map<SelectorUser, number>;
  refs: number;
  /** Creation order: identity changes visit selectors in this order, as the map holds them. */
  readonly seq: number;
  /** The pod namespaces the selector requires one of (`io.kubernetes.pod.namespace In [...]`), if any. */
  readonly namespaces: readonly string[] | undefined;
}

/**
 * Every distinct peer selector -> the identities it selects (pkg/policy/selectorcache.go).
 * An identity change costs one match per cached selector; a new selector costs one match per
 * identity. Users hear only about the selectors they registered, so only the policies that
 * use a changed selector regenerate, and only for the identities that changed.
 *
 * Selectors pinned to pod namespaces (every namespaced policy's endpoint peers are) are indexed
 * by them, so an identity change matches only its namespace's selectors and the unpinned ones.
 */
export class SelectorCache {
  readonly #ctx: PolicyContext;
  readonly #selectors = new Map<string, Cached>();
  readonly #identities = new Map<number, IdentityInfo>();
  readonly #pinned = new Map<string, Set<Cached>>();
  readonly #unpinned = new Set<Cached>();
  #seq = 0;
  /** Identities by the pod namespace they carry, so a pinned selector is matched against its namespaces' only. */
  readonly #inNamespace = new Map<string, Set<number>>();
  /** Each identity's place in `#identities` (kept when its labels are replaced, as the Map keeps it). */
  readonly #order = new Map<number, number>();
  #idSeq = 0;

  constructor(ctx: PolicyContext = DEFAULT_POLICY_CONTEXT) {
    this.#ctx = ctx;
  }

  /** Takes a reference on `peer` (computing its selection if new) on behalf of `user`. */
  addSelector(peer: PeerSelector, user?: SelectorUser): ReadonlySet<number> {
    let c = this.#selectors.get(peer.key);
    if (c === undefined) {
      const selected = new Set<number>();
      for (const id of this.#scope(pinnedNamespaces(peer))) if (peerMatches(peer, id, this.#ctx)) selected.add(id.id);
      this.#selectors.set(
        peer.key,
        (c = { peer, selected, users: new Map(), refs: 0, seq: this.#seq++, namespaces: pinnedNamespaces(peer) }),
      );
      if (c.namespaces === undefined) this.#unpinned.add(c);
      else for (const ns of c.namespaces) (this.#pinned.get(ns) ?? this.#pinned.set(ns, new Set()).get(ns)!).add(c);
    }
    c.refs++;
    if (user !== undefined) c.users.set(user, (c.users.get(user) ?? 0) + 1);
    return c.selected;
  }

  /** Drops a reference; the selector is forgotten when none remain. */
  removeSelector(key: string, user?: SelectorUser): void {
    const c = this.#selectors.get(key);
    if (c === undefined) return;
    if (user !== undefined) {
      const n = (c.users.get(user) ?? 1) - 1;
      if (n <= 0) c.users.delete(user);
      else c.users.set(user, n);
    }
    if (--c.refs <= 0) {
      this.#selectors.delete(key);
      if (c.namespaces === undefined) this.#unpinned.delete(c);
      else {
        for (const ns of c.namespaces) {
          const set = this.#pinned.get(ns)!;
          set.delete(c);
          if (set.size === 0) this.#pinned.delete(ns);
        }
      }
    }
  }

  /** The identities `key` selects (empty for an unknown key). */
  selections(key: string): ReadonlySet<number> {
    return this.#selectors.get(key)?.selected ?? EMPTY;
  }

  /**
   * Whether `peer` selects identity `id` as the policy maps see it: a cached selector answers from
   * its selection, another is evaluated on the cached labels now (without being cached). Only
   * peers that admit anyone select an identity the cache does not know: no map entry is keyed by it.
   */
  selects(peer: PeerSelector, id: number): boolean {
    if (isWildcardPeer(peer)) return true;
    const known = this.#identities.get(id);
    if (known === undefined) return false;
    return this.#selectors.get(peer.key)?.selected.has(id) ?? peerMatches(peer, known, this.#ctx);
  }

  /** `selections` as a function, the shape resolution takes. */
  readonly select = (key: string): Iterable<number> => this.selections(key);

  identity(id: number): IdentityInfo | undefined {
    return this.#identities.get(id);
  }

  identities(): IdentityInfo[] {
    return [...this.#identities.values()].sort((a, b) => a.id - b.id);
  }

  /**
   * The identities a selector pinned to `namespaces` can select, in the cache's order; every
   * identity when unpinned. A new selector of a namespaced policy so costs its namespaces'
   * identities, not the cluster's.
   */
  #scope(namespaces: readonly string[] | undefined): Iterable<IdentityInfo> {
    if (namespaces === undefined) return this.#identities.values();
    const ids = new Set<number>();
    for (const ns of namespaces) for (const id of this.#inNamespace.get(ns) ?? []) ids.add(id);
    return [...ids].sort((a, b) => this.#order.get(a)! - this.#order.get(b)!).map((id) => this.#identities.get(id)!);
  }

  #indexNamespaces(info: IdentityInfo, delta: 1 | -1): void {
    for (const l of info.labels) {
      if (l.key !== NAMESPACE_KEY) continue;
      let set = this.#inNamespace.get(l.value);
      if (delta === 1) (set ?? this.#inNamespace.set(l.value, (set = new Set())).get(l.value)!).add(info.id);
      else if (set !== undefined) {
        set.delete(info.id);
        if (set.size === 0) this.#inNamespace.delete(l.value);
      }
    }
  }

  /** Adds an identity or replaces its labels; tells users which selections changed. */
  upsertIdentity(info: IdentityInfo): SelectorChange[] {
    const old = this.#identities.get(info.id);
    if (old !== undefined) this.#indexNamespaces(old, -1);
    else this.#order.set(info.id, this.#idSeq++);
    this.#identities.set(info.id, info);
    this.#indexNamespaces(info, 1);
    return this.#update(info.id, [old, info], (peer) => peerMatches(peer, info, this.#ctx));
  }

  removeIdentity(id: number): SelectorChange[] {
    const old = this.#identities.get(id);
    if (old === undefined) return [];
    this.#identities.delete(id);
    this.#order.delete(id);
    this.#indexNamespaces(old, -1);
    return this.#update(id, [old], () => false);
  }

  /**
   * The selectors that can select one of `infos` (the identity's labels before and after):
   * those pinned to a namespace the labels name, and the unpinned ones, in creation order.
   */
  #candidates(infos: readonly (IdentityInfo | undefined)[]): Iterable<Cached> {
    const namespaces = new Set<string>();
    for (const info of infos) for (const l of info?.labels ?? []) if (l.key === NAMESPACE_KEY) namespaces.add(l.value);
    if (namespaces.size === 0) return this.#unpinned;
    const out = new Set(this.#unpinned);
    for (const ns of namespaces) for (const c of this.#pinned.get(ns) ?? []) out.add(c);
    return [...out].sort((a, b) => a.seq - b.seq);
  }

  #update(id: number, infos: readonly (IdentityInfo | undefined)[], matches: (peer: PeerSelector) => boolean): SelectorChange[] {
    const changes: SelectorChange[] = [];
    const byUser = new Map<SelectorUser, SelectorChange[]>();
    for (const c of this.#candidates(infos)) {
      const now = matches(c.peer);
      if (now === c.selected.has(id)) continue;
      if (now) c.selected.add(id);
      else c.selected.delete(id);
      const change: SelectorChange = { key: c.peer.key, added: now ? [id] : [], removed: now ? [] : [id] };
      changes.push(change);
      for (const u of c.users.keys()) {
        const list = byUser.get(u);
        if (list === undefined) byUser.set(u, [change]);
        else list.push(change);
      }
    }
    for (const [u, cs] of byUser) u.selectionsChanged(cs);
    return changes;
  }
}

/**
 * The namespaces an endpoint selector requires (`io.kubernetes.pod.namespace In [...]`, of any
 * source): it can select only identities carrying one of them as that label. Undefined: any.
 */
function pinnedNamespaces(peer: PeerSelector): readonly string[] | undefined {
  if (peer.kind !== 'endpoints') return undefined;
  return peer.selector.requirements.find((r) => r.key === NAMESPACE_KEY && r.operator === 'In')?.values;
}

const EMPTY: ReadonlySet<number> = new Set();
