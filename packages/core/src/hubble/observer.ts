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

/** An event's facts, kept as data until its flow is read: `build` makes the Flow. */
export interface FlowSource {
  build(): Flow;
}

/**
 * A flow the datapath recorded but nobody has read yet: the event's facts are kept and the
 * Flow object is built (and normalized) on first read. Most flows are overwritten in the ring
 * before anyone asks, so the per-packet path pays for a record of facts, not for a Flow.
 */
class LazyFlowRecord implements FlowRecord {
  readonly at: FlowInstant;
  readonly seq: number;
  #source: FlowSource | undefined;
  #flow: Flow | undefined;

  constructor(at: FlowInstant, seq: number, source: FlowSource) {
    this.at = at;
    this.seq = seq;
    this.#source = source;
  }

  get flow(): Flow {
    if (this.#flow === undefined) {
      this.#flow = normalizeFlow(this.#source!.build());
      this.#source = undefined;
    }
    return this.#flow;
  }
}

/** One node's ring in the relay: its agent records there, stamped in the relay's arrival order. */
export interface NodeFlowRing {
  readonly node: string;
  recordLazy(at: FlowInstant, source: FlowSource): FlowRecord;
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
  #seq = 0;

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
    ring.write({ flow: stored, at: flowInstant(stored.time), seq: this.#seq++ });
    return stored;
  }

  /**
   * Stores a flow of `node` stamped `at`, built from `source` only when first read (`.flow`);
   * returns the record, for subscribers that want the flow now.
   */
  recordLazy(node: string, at: FlowInstant, source: FlowSource): FlowRecord {
    const rec = new LazyFlowRecord(at, this.#seq++, source);
    this.#ring(node).write(rec);
    return rec;
  }

  /**
   * The ring of one node's Hubble server, for its agent to write to directly: what it records
   * joins the relay view in arrival order with every other node's flows.
   */
  nodeRing(node: string): NodeFlowRing {
    // The ring is made on the node's first flow: a thousand-node cluster would otherwise hold
    // millions of empty slots for nodes that never see traffic.
    let ring: RingBuffer<FlowRecord> | undefined;
    return {
      node,
      recordLazy: (at, source) => {
        const rec = new LazyFlowRecord(at, this.#seq++, source);
        ring ??= this.#ring(node);
        ring.write(rec);
        return rec;
      },
    };
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
    return all.sort((a, b) => compareInstants(a.at, b.at) || a.seq - b.seq);
  }
}
