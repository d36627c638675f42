import { isSimError, SimError } from '../errors.ts';

/**
 * The steps that changed a cluster, in order. A step that reaches the scheduler's event limit
 * (LIMIT_EXCEEDED) has left the cluster somewhere in the middle; the journal then has the cluster
 * rebuilt and every earlier step replayed, which lands where the cluster was before it because
 * the simulation is deterministic, and refuses the step. Replays are quiet: a step that failed
 * the first time fails the same way again and is passed over.
 */
export class StepJournal<C> {
  readonly #steps: ((c: C) => unknown)[] = [];
  /** Above 0 while a step (or the replay) runs: a step inside a step is part of it. */
  #depth = 0;

  run<T>(self: C, step: (c: C) => T, rebuild: () => void): T {
    if (this.#depth > 0) return step(self);
    this.#depth++;
    try {
      const out = step(self);
      this.#steps.push(step);
      return out;
    } catch (e) {
      const issue = isSimError(e) && e.code === 'LIMIT_EXCEEDED' ? e.issues[0] : undefined;
      if (issue?.path !== 'eventLimit') {
        this.#steps.push(step);
        throw e;
      }
      rebuild();
      throw new SimError({ code: 'LIMIT_EXCEEDED', path: 'eventLimit', message: `${issue.message}; the step was undone` });
    } finally {
      this.#depth--;
    }
  }

  /** Runs every recorded step again on `c`, a cluster built afresh from the same options. */
  replay(c: C): void {
    this.#depth++;
    try {
      for (const step of this.#steps) {
        try {
          step(c);
        } catch {
          // It failed the first time too, and changed nothing then.
        }
      }
    } finally {
      this.#depth--;
    }
  }
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
      // object of the moment: the call finds that object itself, and the wrapping need not.
      if (typeof Reflect.get(first, key, first) === 'function') {
        let method = methods.get(key);
        if (method === undefined) methods.set(key, (method = (...args: unknown[]) => call(key, args)));
        return method;
      }
      const target = current();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (...args: unknown[]) => call(key, args) : value;
    },
  });
}
