import type { NamedPort, NamedPortMap, NamedPortProtocol, PortProto, SubjectNamedPorts } from '../policy/namedPorts.ts';
import type { Endpoint } from './endpoint.ts';

const EMPTY: NamedPortMap = new Map();

/** What an endpoint change did to the named ports: the cluster-wide set, and each identity's own. */
export interface NamedPortChange {
  readonly global: boolean;
  /** Identities whose own set of named ports changed. */
  readonly identities: readonly number[];
}

const NO_CHANGE: NamedPortChange = Object.freeze({ global: false, identities: Object.freeze([]) as readonly number[] });

function portKey(p: NamedPort): string {
  return `${p.name} ${p.port}/${p.protocol}`;
}

/**
 * Which named ports exist, kept up to date endpoint by endpoint: per identity (what an ingress
 * rule's named port means for the endpoints of that identity) and cluster-wide (what an egress
 * rule's named port may mean). Cilium keeps the same two views; building a policy map reads
 * them without scanning every endpoint.
 */
export class NamedPortIndex {
  /** identity -> `name port/proto` -> how many endpoints declare it. */
  readonly #byIdentity = new Map<number, Map<string, number>>();
  readonly #global = new Map<string, number>();
  readonly #cache = new Map<number | 'all', NamedPortMap>();
  readonly #skipAmbiguousEgress: boolean;

  /**
   * `skipAmbiguousEgress` (Cilium before 1.20): an egress name that endpoints give different
   * numbers (for one protocol) means no port, as NamedPortMultiMap answers `duplicate named
   * ports` and the rule's port is skipped, rather than every number it has.
   */
  constructor(skipAmbiguousEgress = false) {
    this.#skipAmbiguousEgress = skipAmbiguousEgress;
  }

  /**
   * Replaces `before` (if any) with `after` (if any). Reports whether the set of named ports
   * changed cluster-wide and for which identities (policy maps using them need a rebuild);
   * another endpoint declaring the same ports changes nothing. Costs the endpoints' own ports.
   */
  update(before: Endpoint | undefined, after: Endpoint | undefined): NamedPortChange {
    if (before === after) return NO_CHANGE;
    const touched = [...(before?.namedPorts ?? []), ...(after?.namedPorts ?? [])].map(portKey);
    if (touched.length === 0) return NO_CHANGE;
    const ids = [...new Set([before?.identity, after?.identity].filter((id): id is number => id !== undefined))];
    const snapshot = (): boolean[] => [
      ...touched.map((k) => this.#global.has(k)),
      ...ids.flatMap((id) => touched.map((k) => this.#byIdentity.get(id)?.has(k) === true)),
    ];
    const was = snapshot();
    if (before !== undefined && before.namedPorts.length > 0) this.#change(before, -1);
    if (after !== undefined && after.namedPorts.length > 0) this.#change(after, +1);
    const now = snapshot();
    const differs = (from: number): boolean => touched.some((_, i) => was[from + i] !== now[from + i]);
    return { global: differs(0), identities: ids.filter((_, j) => differs((j + 1) * touched.length)) };
  }

  /** The named ports of endpoints with `identity`. */
  ingress(identity: number): NamedPortMap {
    return this.#view(identity, this.#byIdentity.get(identity));
  }

  /** The named ports of every endpoint. */
  egress(): NamedPortMap {
    return this.#view('all', this.#global, this.#skipAmbiguousEgress);
  }

  /** What the policy of a subject with `identity` resolves port names with (the live engine's and dry runs'). */
  forSubject(identity: number): SubjectNamedPorts {
    return { ingress: this.ingress(identity), egress: this.egress() };
  }

  #change(ep: Endpoint, delta: number): void {
    let own = this.#byIdentity.get(ep.identity);
    if (own === undefined) this.#byIdentity.set(ep.identity, (own = new Map()));
    for (const p of ep.namedPorts) {
      const key = portKey(p);
      bump(own, key, delta);
      bump(this.#global, key, delta);
    }
    if (own.size === 0) this.#byIdentity.delete(ep.identity);
    this.#cache.delete(ep.identity);
    this.#cache.delete('all');
  }

  #view(key: number | 'all', counts: Map<string, number> | undefined, skipAmbiguous = false): NamedPortMap {
    if (counts === undefined) return EMPTY;
    let view = this.#cache.get(key);
    if (view === undefined) {
      const out = new Map<string, PortProto[]>();
      for (const k of [...counts.keys()].sort()) {
        const [name, rest] = k.split(' ') as [string, string];
        const [port, protocol] = rest.split('/') as [string, NamedPortProtocol];
        out.set(name, [...(out.get(name) ?? []), { port: Number(port), protocol }]);
      }
      if (skipAmbiguous)
        for (const [name, ports] of out)
          out.set(
            name,
            ports.filter((p) => unique(ports, p)),
          );
      this.#cache.set(key, (view = out));
    }
    return view;
  }
}

function bump(m: Map<string, number>, key: string, delta: number): void {
  const n = (m.get(key) ?? 0) + delta;
  if (n <= 0) m.delete(key);
  else m.set(key, n);
}

/** Whether `p` is the only number its name has for its protocol among `ports`. */
function unique(ports: readonly PortProto[], p: PortProto): boolean {
  return ports.every((q) => q.protocol !== p.protocol || q.port === p.port);
}
