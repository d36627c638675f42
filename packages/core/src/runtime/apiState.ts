import type { K8sState } from '../k8s/state.ts';
import type { Rng } from '../sim/rng.ts';

/** The API server's objects: one immutable state, replaced as a whole by each commit. */
export class ApiState {
  #state: K8sState;
  #dryRuns = 0;

  constructor(state: K8sState) {
    this.#state = state;
  }

  get state(): K8sState {
    return this.#state;
  }

  commit(next: K8sState): void {
    this.#state = next;
  }

  /** A throwaway stream for one dry run, so it leaves later names and UIDs as they would have been. */
  dryRunRng(root: Rng): Rng {
    return root.fork(`dry-run/${this.#dryRuns++}`);
  }
}
