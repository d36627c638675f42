import { isSimError, SimError } from '../errors.ts';

/** A method call on an object the cluster finds (`pick`), recorded as a step: `key` with `args`. */
interface MethodCall<C> {
  readonly pick: (c: C) => object;
  readonly key: string | symbol;
  readonly args: readonly unknown[];
}

type Step<C> = ((c: C) => unknown) | MethodCall<C>;

/** Method calls recently recorded, looked through for one the same as a new call. */
const RECENT_CALLS = 8;
/** Steps per chunk of the journal. */
const STEP_CHUNK = 4096;

/**
 * The steps that changed a cluster, in order. A step that reaches the scheduler's event limit
 * (LIMIT_EXCEEDED) has left the cluster somewhere in the middle; the journal then has the cluster
 * rebuilt and every earlier step replayed, which lands where the cluster was before it because
 * the simulation is deterministic, and refuses the step. Replays are quiet: a step that failed
 * the first time fails the same way again and is passed over.
 *
 * A script runs the same few commands over and over (a curl from each client pod in turn): a
 * method call equal to one recorded lately (the same object, method and arguments, compared
 * one level deep) is recorded as that call again, so the journal grows by one reference per
 * command rather than by the command's closure and arguments, which would otherwise live, and be
 * carried by the garbage collector, as long as the cluster.
 */
export class StepJournal<C> {
  /**
   * The steps in chunks of STEP_CHUNK: one array of them all would be copied whole each time it
   * outgrew its storage, a script of a million commands copying millions of references.
   */
  readonly #steps: Step<C>[][] = [[]];
  readonly #recent: (MethodCall<C> | undefined)[] = new Array<MethodCall<C> | undefined>(RECENT_CALLS).fill(undefined);
  #nextRecent = 0;
  /** Above 0 while a step (or the replay) runs: a step inside a step is part of it. */
  #depth = 0;

  run<T>(self: C, step: (c: C) => T, rebuild: () => void): T {
    if (this.#depth > 0) return step(self);
    return this.#record(self, step, rebuild) as T;
  }

  /** Runs `key` of the object `pick` finds with `args`, as one step (see run). */
  call(self: C, pick: (c: C) => object, key: string | symbol, args: unknown[], rebuild: () => void): unknown {
    if (this.#depth > 0) return invoke(self, pick, key, args);
    return this.#record(self, this.#sameCall(pick, key, args) ?? this.#newCall(pick, key, args), rebuild);
  }

  #record(self: C, step: Step<C>, rebuild: () => void): unknown {
    this.#depth++;
    try {
      const out = runStep(self, step);
      this.#push(step);
      return out;
    } catch (e) {
      const issue = isSimError(e) && e.code === 'LIMIT_EXCEEDED' ? e.issues[0] : undefined;
      if (issue?.path !== 'eventLimit') {
        this.#push(step);
        throw e;
      }
      rebuild();
      throw new SimError({ code: 'LIMIT_EXCEEDED', path: 'eventLimit', message: `${issue.message}; the step was undone` });
    } finally {
      this.#depth--;
    }
  }

  #push(step: Step<C>): void {
    let chunk = this.#steps[this.#steps.length - 1]!;
    if (chunk.length === STEP_CHUNK) this.#steps.push((chunk = []));
    chunk.push(step);
  }

  /** A recent call the same as this one, which replays as it would. */
  #sameCall(pick: (c: C) => object, key: string | symbol, args: readonly unknown[]): MethodCall<C> | undefined {
    const recent = this.#recent;
    for (let i = 0; i < RECENT_CALLS; i++) {
      const call = recent[i];
      if (call === undefined) return undefined;
      if (call.pick === pick && call.key === key && sameArgs(call.args, args)) return call;
    }
    return undefined;
  }

  #newCall(pick: (c: C) => object, key: string | symbol, args: readonly unknown[]): MethodCall<C> {
    const call = { pick, key, args };
    this.#recent[this.#nextRecent] = call;
    this.#nextRecent = (this.#nextRecent + 1) % RECENT_CALLS;
    return call;
  }

  /** Runs every recorded step again on `c`, a cluster built afresh from the same options. */
  replay(c: C): void {
    this.#depth++;
    try {
      for (const chunk of this.#steps)
        for (const step of chunk) {
          try {
            runStep(c, step);
          } catch {
            // It failed the first time too, and changed nothing then.
          }
        }
    } finally {
      this.#depth--;
    }
  }
}

function runStep<C>(c: C, step: Step<C>): unknown {
  return typeof step === 'function' ? step(c) : invoke(c, step.pick, step.key, step.args);
}

function invoke<C>(c: C, pick: (c: C) => object, key: string | symbol, args: readonly unknown[]): unknown {
  const target = pick(c);
  return Reflect.apply(Reflect.get(target, key, target) as (...a: unknown[]) => unknown, target, args);
}

/**
 * Whether two calls' arguments are the same for the call: each the same value, or a plain object
 * or array holding the same values under the same keys (a curl's options written out afresh).
 */
function sameArgs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !samePlainValue(a[i], b[i])) return false;
  return true;
}

function samePlainValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b) || (proto !== Object.prototype && proto !== Array.prototype)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Loops rather than key lists: the comparison runs for every command and should make nothing.
  let keys = 0;
  for (const k in x) {
    if (!Object.hasOwn(y, k) || x[k] !== y[k]) return false;
    keys++;
  }
  for (const _ in y) keys--;
  return keys === 0 && (proto !== Array.prototype || (a as unknown[]).length === (b as unknown[]).length);
}

/**
 * A stand-in for the object `current()` returns whose methods go through `call` (as steps), and
 * whose other properties are read from the object of the moment, so a caller's reference
 * (`cluster.faults`, `cluster.spireServer()`, `cluster.exec(pod)`) stays good after a step is undone.
 */
export function journaledView<T extends object>(
  current: () => T,
  call: (key: string | symbol, args: unknown[]) => unknown,
  first: T = current(),
): T {
  // One wrapper per method name, made on first use: a view's methods are called over and over.
  const methods = new Map<string | symbol, (...args: unknown[]) => unknown>();
  return new Proxy(first, {
    get(_, key) {
      // The objects of every moment are of one kind, so a method of the first is a method of the
      // object of the moment: the call finds that object itself, and the wrapping need not. A
      // name found to be a method once is one for good (the methods are its class's), so the
      // wrapper is asked for first.
      const known = methods.get(key);
      if (known !== undefined) return known;
      if (typeof Reflect.get(first, key, first) === 'function') {
        const method = (...args: unknown[]) => call(key, args);
        methods.set(key, method);
        return method;
      }
      const target = current();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (...args: unknown[]) => call(key, args) : value;
    },
  });
}
