import { assert } from '../errors.ts';
import type { Rng } from '../sim/rng.ts';
import { labelSetKey, type LabelSet } from './labels.ts';
import { MAX_ALLOCATED_IDENTITY, MAX_LOCAL_IDENTITY, MIN_ALLOCATED_IDENTITY, MIN_LOCAL_IDENTITY } from './reserved.ts';

export interface AllocatedIdentity {
  readonly id: number;
  readonly labels: LabelSet;
  /** Virtual time the identity was first allocated (CiliumIdentity creationTimestamp). */
  readonly createdAtNs: number;
  /** Local CIDR identities only: the prefix they stand for. */
  readonly cidr?: string;
}

interface Slot {
  identity: AllocatedIdentity;
  refs: number;
}

/**
 * Label set -> numeric identity, cluster-wide. Global identities are drawn at random from
 * 256..65535 as Cilium's id pool does (seeded here), so numbers look like the labs' and the
 * same seed gives the same numbers. An identity no endpoint references stays until the
 * operator's garbage collection (`collectGarbage`) removes it; a new reference before that
 * revives it with the same number.
 */
export class IdentityAllocator {
  readonly #rng: Rng;
  readonly #componentRng: Rng;
  readonly #byKey = new Map<string, Slot>();
  readonly #byId = new Map<number, Slot>();
  #nextLocal = MIN_LOCAL_IDENTITY;

  constructor(rng: Rng) {
    this.#rng = rng;
    this.#componentRng = rng.fork('cilium-components');
  }

  /**
   * Takes a reference on the identity of `labels`, allocating it if new. `component`: the pod is
   * one of Cilium's own components (Hubble UI), whose number comes from a stream of its own, so
   * the components a version installs shift none of the user's identity numbers.
   */
  acquire(labels: LabelSet, nowNs: number, component = false): { identity: AllocatedIdentity; created: boolean } {
    const key = labelSetKey(labels);
    const slot = this.#byKey.get(key);
    if (slot !== undefined) {
      slot.refs++;
      return { identity: slot.identity, created: false };
    }
    const id = this.#drawGlobalId(component ? this.#componentRng : this.#rng);
    const identity: AllocatedIdentity = Object.freeze({ id, labels, createdAtNs: nowNs });
    this.#store(key, { identity, refs: 1 });
    return { identity, created: true };
  }

  /** A node-local CIDR identity (16777217+) for a prefix a policy names; reference counted. */
  acquireLocal(key: string, labels: LabelSet, nowNs: number, cidr?: string): { identity: AllocatedIdentity; created: boolean } {
    const slot = this.#byKey.get(key);
    if (slot !== undefined) {
      slot.refs++;
      return { identity: slot.identity, created: false };
    }
    assert(this.#nextLocal <= MAX_LOCAL_IDENTITY, 'local identity space exhausted');
    const identity: AllocatedIdentity = Object.freeze({
      id: this.#nextLocal++,
      labels,
      createdAtNs: nowNs,
      ...(cidr === undefined ? {} : { cidr }),
    });
    this.#store(key, { identity, refs: 1 });
    return { identity, created: true };
  }

  /** Drops a reference; the identity lingers (refs 0) until garbage collection. */
  release(id: number): void {
    const slot = this.#byId.get(id);
    assert(slot !== undefined && slot.refs > 0, `release of unreferenced identity ${id}`);
    slot.refs--;
  }

  /** Local identities go as soon as nothing references them, as the agent releases CIDR identities. */
  releaseLocal(key: string): AllocatedIdentity | undefined {
    const slot = this.#byKey.get(key);
    assert(slot !== undefined && slot.refs > 0, `release of unreferenced local identity ${key}`);
    slot.refs--;
    if (slot.refs > 0) return undefined;
    this.#byKey.delete(key);
    this.#byId.delete(slot.identity.id);
    return slot.identity;
  }

  /** The operator's identity GC: removes global identities no endpoint references. */
  collectGarbage(): AllocatedIdentity[] {
    const freed: AllocatedIdentity[] = [];
    for (const [key, slot] of this.#byKey) {
      if (slot.refs === 0 && slot.identity.cidr === undefined && slot.identity.id < MIN_LOCAL_IDENTITY) {
        this.#byKey.delete(key);
        this.#byId.delete(slot.identity.id);
        freed.push(slot.identity);
      }
    }
    return freed;
  }

  get(id: number): AllocatedIdentity | undefined {
    return this.#byId.get(id)?.identity;
  }

  refs(id: number): number {
    return this.#byId.get(id)?.refs ?? 0;
  }

  lookup(labels: LabelSet): AllocatedIdentity | undefined {
    return this.#byKey.get(labelSetKey(labels))?.identity;
  }

  /** Every allocated identity, sorted by number. */
  list(): AllocatedIdentity[] {
    return [...this.#byId.values()].map((s) => s.identity).sort((a, b) => a.id - b.id);
  }

  #store(key: string, slot: Slot): void {
    this.#byKey.set(key, slot);
    this.#byId.set(slot.identity.id, slot);
  }

  #drawGlobalId(rng: Rng): number {
    const span = MAX_ALLOCATED_IDENTITY - MIN_ALLOCATED_IDENTITY + 1;
    assert(this.#byId.size < span, 'global identity space exhausted');
    for (;;) {
      const id = rng.int(MIN_ALLOCATED_IDENTITY, MAX_ALLOCATED_IDENTITY);
      if (!this.#byId.has(id)) return id;
    }
  }
}
