import type { Flow } from './flow.ts';
import { compareInstants, flowInstant, type FlowInstant } from './flowTime.ts';
import { normalizeFlow } from './normalizeFlow.ts';
import { DEFAULT_RING_CAPACITY, RingBuffer } from './ringBuffer.ts';

/** A stored flow with its parsed time and arrival order, the tie-break for equal times. */
export interface FlowRecord {
  readonly flow: Flow;
  readonly at: FlowInstant;
  readonly seq: number;
}

/**
 * A flow the datapath recorded but nobody has read yet: a subclass keeps the event's facts and
 * builds the Flow (normalized here) on first read. Most flows are overwritten in the ring
 * before anyone asks, so the per-packet path pays for one record of facts, not for a Flow.
 */
export abstract class LazyFlowRecord implements FlowRecord {
  /** The relay's arrival order, stamped by the ring that stores the record. */
  seq = -1;
  /**
   * Set once a reader was handed the record itself (`records()`): from then on the ring never
   * gives it back for refilling (see NodeFlowRing.reusable). A reader of `.flow` gets a Flow of
   * its own and holds nothing of the record.
   */
  held = false;
  #flow: Flow | undefined;

  abstract readonly at: FlowInstant;

  /** The flow as the event's facts make it, before normalization. */
  protected abstract build(): Flow;

  get flow(): Flow {
    if (this.#flow === undefined) this.#flow = normalizeFlow(this.build());
    return this.#flow;
  }

  /** Drops the flow built from the facts before a refill; a subclass's refill calls it. */
  protected forget(): void {
    this.#flow = undefined;
  }
}

/** One node's ring in the relay: its agent records there, stamped in the relay's arrival order. */
export interface NodeFlowRing {
  readonly node: string;
  recordLazy(rec: LazyFlowRecord): FlowRecord;
  /**
   * The record the next write overwrites, when the ring is full and no reader holds it: the
   * writer may refill it in place rather than make another. A busy node writes a flow per packet,
   * and a ring of records that are reused is a ring the garbage collector need not sweep.
   */
  reusable(): LazyFlowRecord | undefined;
}

export interface HubbleObserverOptions {
  /** Per-node ring size; Hubble's default is 4095. */
  readonly capacity?: number;
}

/**
 * Hubble as a cluster runs it: one observer ring per node (the agent's Hubble server) and a
 * relay view that merges all nodes in time order.
 */
export class HubbleObserver {
  readonly capacity: number;
  readonly #rings = new Map<string, RingBuffer<FlowRecord>>();
  /** The relay's arrival order, shared with the node rings that write to it directly. */
  readonly #arrivals = new Arrivals();

  constructor(options: HubbleObserverOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_RING_CAPACITY;
  }

  /**
   * Stores a flow in the ring of its `node_name`, decoded as Hubble's parser would
   * (see normalizeFlow), and returns the stored flow.
   */
  record(flow: Flow): Flow {
    const stored = normalizeFlow(flow);
    let ring = this.#rings.get(stored.node_name);
    if (ring === undefined) {
      ring = new RingBuffer<FlowRecord>(this.capacity);
      this.#rings.set(stored.node_name, ring);
    }
    ring.write({ flow: stored, at: flowInstant(stored.time), seq: this.#arrivals.next++ });
    return stored;
  }

  /**
   * The ring of one node's Hubble server, for its agent to write to directly: what it records
   * joins the relay view in arrival order with every other node's flows.
   */
  nodeRing(node: string): NodeFlowRing {
    return new NodeRing(node, this.#arrivals, () => this.#ring(node));
  }

  /** Node names that have recorded at least one flow, sorted. */
  nodes(): string[] {
    return [...this.#rings]
      .filter(([, ring]) => ring.written > 0)
      .map(([node]) => node)
      .sort();
  }

  #ring(node: string): RingBuffer<FlowRecord> {
    let ring = this.#rings.get(node);
    if (ring === undefined) {
      ring = new RingBuffer<FlowRecord>(this.capacity);
      this.#rings.set(node, ring);
    }
    return ring;
  }

  /** Flows overwritten in `node`'s ring (all nodes when omitted). */
  lost(node?: string): number {
    if (node !== undefined) return this.#rings.get(node)?.lost ?? 0;
    let total = 0;
    for (const ring of this.#rings.values()) total += ring.lost;
    return total;
  }

  /** Flows ever recorded, including overwritten ones (Hubble's "seen flows"). */
  get seen(): number {
    let total = 0;
    for (const ring of this.#rings.values()) total += ring.written;
    return total;
  }

  /** The relay view: the flows still held by every node, oldest first. */
  records(): FlowRecord[] {
    const all: FlowRecord[] = [];
    for (const ring of this.#rings.values()) all.push(...ring.toArray());
    for (const r of all) if (r instanceof LazyFlowRecord) r.held = true;
    return all.sort((a, b) => compareInstants(a.at, b.at) || a.seq - b.seq);
  }
}

/** The next arrival number of a relay. */
class Arrivals {
  next = 0;
}

/**
 * One node's ring as its agent writes to it. A class, so the emitter's two calls per flow go to
 * methods V8 can inline rather than to a closure per node.
 */
class NodeRing implements NodeFlowRing {
  readonly node: string;
  readonly #arrivals: Arrivals;
  readonly #make: () => RingBuffer<FlowRecord>;
  // Made on the node's first flow: a thousand-node cluster would otherwise hold millions of empty
  // slots for nodes that never see traffic.
  #ring: RingBuffer<FlowRecord> | undefined = undefined;

  constructor(node: string, arrivals: Arrivals, make: () => RingBuffer<FlowRecord>) {
    this.node = node;
    this.#arrivals = arrivals;
    this.#make = make;
  }

  recordLazy(rec: LazyFlowRecord): FlowRecord {
    rec.seq = this.#arrivals.next++;
    (this.#ring ??= this.#make()).write(rec);
    return rec;
  }

  reusable(): LazyFlowRecord | undefined {
    const old = this.#ring?.overwritten();
    return old instanceof LazyFlowRecord && !old.held ? old : undefined;
  }
}
