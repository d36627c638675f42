import { SimError } from '../errors.ts';
import type { Flow } from '../hubble/flow.ts';
import type { AllocatedIdentity } from '../identity/allocator.ts';
import type { ObjectResult } from '../k8s/store.ts';
import type { RuntimeEvent } from '../tetragon/runtimeEvent.ts';

/** What the cluster announces on its event bus. */
export type SimEvents = {
  flow: Flow;
  applied: { readonly results: readonly ObjectResult[] };
  'identity-created': AllocatedIdentity;
  /** A Tetragon event (process exec, exit, TCP connect), when the cluster runs Tetragon. */
  'runtime-event': RuntimeEvent;
};

type Handler<K extends keyof SimEvents> = (e: SimEvents[K]) => void;

/** How deep commands started by listeners may nest before the next one is refused (each level is a JavaScript call chain). */
const MAX_LISTENER_CHAIN = 32;

/**
 * The cluster's events and the users' listeners on them. The cluster's commands run inside
 * `run`, and a listener never interrupts one: `flow` reaches the listeners as it is recorded,
 * but what a listener throws is held until the command has finished and then rethrown; `applied`
 * and `identity-created` are delivered once the command has committed, so their listeners see
 * the cluster as a whole and may call back into it. While a command runs, `busy` is true: the
 * cluster refuses commands from `flow` listeners then (see Cluster).
 */
export class EventBus {
  readonly #handlers: { [K in keyof SimEvents]?: Set<Handler<K>> } = {};
  readonly #deferred: (() => void)[] = [];
  #depth = 0;
  /** Commands started by listeners of a command that has finished, each inside the one before. */
  #chain = 0;
  #failure: { readonly error: unknown } | undefined;
  /** What an async listener's promise rejected with after its command had ended: the next command reports it. */
  #late: { readonly error: unknown } | undefined;

  on<K extends keyof SimEvents>(type: K, handler: Handler<K>): void {
    let set = this.#handlers[type] as Set<Handler<K>> | undefined;
    if (set === undefined) this.#handlers[type] = set = new Set() as never;
    set!.add(handler);
  }

  off<K extends keyof SimEvents>(type: K, handler: Handler<K>): void {
    (this.#handlers[type] as Set<Handler<K>> | undefined)?.delete(handler);
  }

  /** Whether anyone listens for `type` (the datapath builds no flow object for nobody). */
  listening(type: keyof SimEvents): boolean {
    return (this.#handlers[type]?.size ?? 0) > 0;
  }

  /** True while a command runs. */
  get busy(): boolean {
    return this.#depth > 0;
  }

  /** Delivers now, in the middle of the command: a listener's exception waits for its end. */
  emitNow<K extends keyof SimEvents>(type: K, e: SimEvents[K]): void {
    this.#deliver(type, e);
    if (this.#depth === 0) this.#rethrow();
  }

  /** Delivers once the command running now has finished (at once outside any). */
  emitAfter<K extends keyof SimEvents>(type: K, e: SimEvents[K]): void {
    if (!this.listening(type)) return;
    if (this.#depth === 0) return this.emitNow(type, e);
    this.#deferred.push(() => this.#deliver(type, e));
  }

  /** A user's callback outside the listeners threw: held as a listener's exception is. */
  fail(error: unknown): void {
    this.#failure ??= { error };
    if (this.#depth === 0) this.#rethrow();
  }

  /**
   * A user's callback returned a promise: its rejection is held (never left unhandled) and thrown
   * when the next command has run, as a listener's exception is thrown when its command has.
   */
  watch(result: unknown): void {
    if (typeof (result as PromiseLike<unknown> | null)?.then !== 'function') return;
    (result as PromiseLike<unknown>).then(undefined, (error: unknown) => {
      this.#late ??= { error };
    });
  }

  /** Runs one command: its deferred events follow it, then the first listener exception is thrown. */
  run<T>(command: () => T): T {
    if (this.#depth === 0 && this.#chain >= MAX_LISTENER_CHAIN)
      throw new SimError({
        code: 'LIMIT_EXCEEDED',
        reason: 'Conflict',
        object: 'cluster',
        message: `event listeners started commands ${MAX_LISTENER_CHAIN} deep, each answering the event of the one before; a listener that answers its own event with a command that emits it again never ends`,
      });
    this.#depth++;
    let ok = false;
    try {
      const out = command();
      ok = true;
      return out;
    } finally {
      this.#depth--;
      if (this.#depth === 0) {
        // A listener may run commands of its own; their deferred events join this queue.
        this.#chain++;
        try {
          for (let next = this.#deferred.shift(); next !== undefined; next = this.#deferred.shift()) next();
        } finally {
          this.#chain--;
        }
        // The command's own error, if any, is the one the caller sees.
        if (ok) {
          this.#failure ??= this.#late;
          this.#late = undefined;
          this.#rethrow();
        } else this.#failure = undefined;
      }
    }
  }

  #deliver<K extends keyof SimEvents>(type: K, e: SimEvents[K]): void {
    const set = this.#handlers[type] as Set<Handler<K>> | undefined;
    if (set === undefined) return;
    for (const handler of [...set]) {
      try {
        this.watch((handler as (e: SimEvents[K]) => unknown)(e));
      } catch (error) {
        this.#failure ??= { error };
      }
    }
  }

  #rethrow(): void {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure !== undefined) throw failure.error;
  }
}
