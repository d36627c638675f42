/** A status condition as Kubernetes APIs write it (metav1.Condition). */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration: number;
  readonly lastTransitionTime: string;
}

/** A condition as a controller decides it; the time is filled in by `stamped`. */
export type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>;

/**
 * The conditions with their transition times: a condition whose status did not change keeps the
 * time it had, as controllers set them with meta.SetStatusCondition.
 */
export function stamped(
  inputs: readonly ConditionInput[],
  previous: readonly Condition[] | undefined,
  generation: number,
  now: string,
): Condition[] {
  return inputs.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    const at = before !== undefined && before.status === c.status ? before.lastTransitionTime : now;
    return { lastTransitionTime: at, message: c.message, observedGeneration: generation, reason: c.reason, status: c.status, type: c.type };
  });
}

export const ok = (type: string, reason: string, message: string): ConditionInput => ({ type, status: 'True', reason, message });
export const failed = (type: string, reason: string, message: string): ConditionInput => ({ type, status: 'False', reason, message });
