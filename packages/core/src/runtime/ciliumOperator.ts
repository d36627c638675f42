import type { Scheduler } from '../sim/scheduler.ts';
import { parseDuration } from '../sim/duration.ts';
import { syncIdentityEntries } from '../spire/operator.ts';
import type { SpireServer } from '../spire/server.ts';

/** How often the operator retries SPIRE when the server was unreachable. */
const OPERATOR_RETRY = '5s';

/**
 * The Cilium operator's SPIRE side: one registration entry per Cilium identity, retried on a
 * timer while the SPIRE server is down. Does nothing without SPIRE or when the operator does not
 * register entries (`spire.operatorEntries: false`).
 */
export class CiliumOperator {
  readonly #scheduler: Scheduler;
  readonly #server: SpireServer | undefined;
  readonly #identityIds: () => number[];
  #retrying = false;

  constructor(scheduler: Scheduler, server: SpireServer | undefined, identityIds: () => number[]) {
    this.#scheduler = scheduler;
    this.#server = server;
    this.#identityIds = identityIds;
  }

  syncIdentities(): void {
    if (this.#server === undefined) return;
    const result = syncIdentityEntries(this.#server, this.#identityIds());
    if (result.ok || this.#retrying) return;
    this.#retrying = true;
    this.#scheduler.after(
      parseDuration(OPERATOR_RETRY),
      'operator-spire-retry',
      () => {
        this.#retrying = false;
        this.syncIdentities();
      },
      { background: true },
    );
  }
}
