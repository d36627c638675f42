import { authTypeName } from '../policy/authType.ts';

/** Cilium's auth key (pkg/auth/manager.go): who authenticated whom, across which node, how. */
export interface AuthKey {
  readonly localIdentity: number;
  readonly remoteIdentity: number;
  /** 0 for the local node. */
  readonly remoteNodeID: number;
  /** An auth type number (policy/authType.ts), as the BPF map's u8 holds it. */
  readonly authType: number;
}

export interface AuthEntry {
  readonly key: AuthKey;
  /** Virtual ns after which the entry no longer authenticates (the earlier SVID NotAfter). */
  readonly expiresAtNs: number;
  readonly storedAtNs: number;
}

/** `localIdentity=17947, remoteIdentity=39239, remoteNodeID=54264, authType=spire`, as the agent logs it. */
export function formatAuthKey(k: AuthKey): string {
  return `localIdentity=${k.localIdentity}, remoteIdentity=${k.remoteIdentity}, remoteNodeID=${k.remoteNodeID}, authType=${authTypeName(k.authType)}`;
}

function keyOf(k: AuthKey): string {
  return `${k.localIdentity}/${k.remoteIdentity}/${k.remoteNodeID}/${k.authType}`;
}

/** A node's `cilium_auth_map`: written by its agent, read per packet by its datapath. */
export class AuthMap {
  readonly #entries = new Map<string, AuthEntry>();

  /** True when an unexpired entry exists at `nowNs`. */
  valid(key: AuthKey, nowNs: number): boolean {
    const e = this.#entries.get(keyOf(key));
    return e !== undefined && nowNs < e.expiresAtNs;
  }

  get(key: AuthKey): AuthEntry | undefined {
    return this.#entries.get(keyOf(key));
  }

  set(entry: AuthEntry): void {
    this.#entries.set(keyOf(entry.key), entry);
  }

  delete(key: AuthKey): boolean {
    return this.#entries.delete(keyOf(key));
  }

  clear(): void {
    this.#entries.clear();
  }

  entries(): AuthEntry[] {
    return [...this.#entries.values()];
  }

  get size(): number {
    return this.#entries.size;
  }
}
