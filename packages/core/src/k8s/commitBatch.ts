/**
 * A run of commits, each made from the state the one before made, whose states in between
 * nobody else sees: `kubectl apply -f` of many objects, one transaction each. The shards,
 * buckets and pages the batch's commits copied belong to the batch, and its later commits
 * write them in place instead of copying them again (a namespace's pages are otherwise copied
 * by every object written to it). So a state in between is valid only until the next commit of
 * the batch: the batch's own chain reads each state as the base of the next transaction and
 * then drops it, and only the last state leaves the batch, after `end` has frozen its records.
 * A failed transaction commits nothing, so the state it read stays the batch's current one.
 */
export class CommitBatch {
  /** The records the batch's commits made, unfrozen until `end`. */
  readonly owned = new Set<object>();

  /** Freezes what the batch made: its last state is now as any committed state, shareable. */
  end(): void {
    for (const record of this.owned) Object.freeze(record);
    this.owned.clear();
  }
}
