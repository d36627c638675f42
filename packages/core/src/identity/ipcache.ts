import { intToIp, ipToInt, networkOf } from '../ipv4.ts';
import { bumpStateRevision } from '../sim/stateRevision.ts';
import { ReservedIdentity } from './reserved.ts';

export interface IpcacheEntry {
  readonly identity: number;
  /** The node hosting the address (its InternalIP); tunnels and the auth map's remote node use it. */
  readonly hostIp: string;
  readonly nodeName?: string;
}

/**
 * IP -> identity, as Cilium's ipcache: exact entries for endpoint, node and service addresses,
 * and CIDR prefixes (local identities) matched longest-prefix-first for everything else, which
 * falls back to `world`. A lookup costs at most 33 Map probes.
 */
export class Ipcache {
  readonly #exact = new Map<string, IpcacheEntry>();
  readonly #prefixes = new Map<string, number>();
  /** How many prefixes of each length exist, so lookups skip lengths nobody uses. */
  readonly #lengths = new Array<number>(33).fill(0);

  upsert(ip: string, entry: IpcacheEntry): void {
    bumpStateRevision();
    this.#exact.set(ip, entry);
  }

  delete(ip: string): void {
    bumpStateRevision();
    this.#exact.delete(ip);
  }

  upsertPrefix(cidr: string, identity: number): void {
    const [net, len] = splitCidr(cidr);
    const key = `${net}/${len}`;
    bumpStateRevision();
    if (!this.#prefixes.has(key)) this.#lengths[len]!++;
    this.#prefixes.set(key, identity);
  }

  deletePrefix(cidr: string): void {
    const [net, len] = splitCidr(cidr);
    bumpStateRevision();
    if (this.#prefixes.delete(`${net}/${len}`)) this.#lengths[len]!--;
  }

  get(ip: string): IpcacheEntry | undefined {
    return this.#exact.get(ip);
  }

  /** The identity of any IPv4 address: an exact entry, else the longest CIDR prefix, else world. */
  identityOf(ip: string): number {
    const exact = this.#exact.get(ip);
    if (exact !== undefined) return exact.identity;
    const addr = ipToInt(ip);
    for (let len = 32; len >= 0; len--) {
      if (this.#lengths[len] === 0) continue;
      const id = this.#prefixes.get(`${intToIp(networkOf(addr, len))}/${len}`);
      if (id !== undefined) return id;
    }
    return ReservedIdentity.world;
  }

  entries(): [string, IpcacheEntry][] {
    return [...this.#exact.entries()].sort(([a], [b]) => ipToInt(a) - ipToInt(b));
  }

  get size(): number {
    return this.#exact.size + this.#prefixes.size;
  }
}

function splitCidr(cidr: string): [string, number] {
  const [ip, lenText] = cidr.split('/');
  const len = lenText === undefined ? 32 : Number(lenText);
  return [intToIp(networkOf(ipToInt(ip!), len)), len];
}
