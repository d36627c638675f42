import { DEFAULT_POLICY_CONTEXT, peerMatches, type IdentityInfo, type PeerSelector, type PolicyContext } from './peerSelector.ts';

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
}

/**
 * Every distinct peer selector -> the identities it selects (pkg/policy/selectorcache.go).
 * An identity change costs one match per cached selector; a new selector costs one match per
 * identity. Users hear only about the selectors they registered, so only the policies that
 * use a changed selector regenerate, and only for the identities that changed.
 */
export class SelectorCache {
  readonly #ctx: PolicyContext;
  readonly #selectors = new Map<string, Cached>();
  readonly #identities = new Map<number, IdentityInfo>();

  constructor(ctx: PolicyContext = DEFAULT_POLICY_CONTEXT) {
    this.#ctx = ctx;
  }

  /** Takes a reference on `peer` (computing its selection if new) on behalf of `user`. */
  addSelector(peer: PeerSelector, user?: SelectorUser): ReadonlySet<number> {
    let c = this.#selectors.get(peer.key);
    if (c === undefined) {
      const selected = new Set<number>();
      for (const id of this.#identities.values()) if (peerMatches(peer, id, this.#ctx)) selected.add(id.id);
      this.#selectors.set(peer.key, (c = { peer, selected, users: new Map(), refs: 0 }));
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
    if (--c.refs <= 0) this.#selectors.delete(key);
  }

  /** The identities `key` selects (empty for an unknown key). */
  selections(key: string): ReadonlySet<number> {
    return this.#selectors.get(key)?.selected ?? EMPTY;
  }

  /** `selections` as a function, the shape resolution takes. */
  readonly select = (key: string): Iterable<number> => this.selections(key);

  identity(id: number): IdentityInfo | undefined {
    return this.#identities.get(id);
  }

  identities(): IdentityInfo[] {
    return [...this.#identities.values()].sort((a, b) => a.id - b.id);
  }

  /** Adds an identity or replaces its labels; tells users which selections changed. */
  upsertIdentity(info: IdentityInfo): SelectorChange[] {
    this.#identities.set(info.id, info);
    return this.#update(info.id, (peer) => peerMatches(peer, info, this.#ctx));
  }

  removeIdentity(id: number): SelectorChange[] {
    if (!this.#identities.delete(id)) return [];
    return this.#update(id, () => false);
  }

  #update(id: number, matches: (peer: PeerSelector) => boolean): SelectorChange[] {
    const changes: SelectorChange[] = [];
    const byUser = new Map<SelectorUser, SelectorChange[]>();
    for (const [key, c] of this.#selectors) {
      const now = matches(c.peer);
      if (now === c.selected.has(id)) continue;
      if (now) c.selected.add(id);
      else c.selected.delete(id);
      const change: SelectorChange = { key, added: now ? [id] : [], removed: now ? [] : [id] };
      changes.push(change);
      for (const u of c.users.keys()) byUser.set(u, [...(byUser.get(u) ?? []), change]);
    }
    for (const [u, cs] of byUser) u.selectionsChanged(cs);
    return changes;
  }
}

const EMPTY: ReadonlySet<number> = new Set();
