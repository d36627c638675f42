/**
 * A user error: bad input named by object and field. Tests match `code`; the CLI prints
 * `format()`. A broken invariant is never a SimError: it is an `assert` that throws.
 */
export type SimErrorCode =
  | 'INVALID_YAML'
  | 'INVALID_OBJECT'
  | 'INVALID_FIELD'
  | 'UNKNOWN_KIND'
  | 'UNKNOWN_FIELD'
  | 'INVALID_SELECTOR'
  | 'INVALID_PORT'
  | 'INVALID_CIDR'
  | 'INVALID_REGEX'
  | 'INVALID_DURATION'
  | 'INVALID_SPIFFE_ID'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_COMMAND'
  | 'INVALID_FLAG'
  | 'LIMIT_EXCEEDED'
  | 'NO_NETWORK';

export interface SimIssue {
  readonly code: SimErrorCode;
  /** `CiliumNetworkPolicy default/rule1`, or a command such as `kubectl get`. */
  readonly object?: string;
  /** `spec.ingress[0].toPorts[0].ports[0].port`, or a flag such as `--port`. */
  readonly path?: string;
  readonly message: string;
}

export class SimError extends Error {
  readonly code: SimErrorCode;
  readonly object: string | undefined;
  readonly path: string | undefined;
  /** Every issue found when one input was validated in one pass; the first is this error. */
  readonly issues: readonly SimIssue[];

  constructor(issue: SimIssue, more: readonly SimIssue[] = []) {
    super(formatIssue(issue));
    this.name = 'SimError';
    this.code = issue.code;
    this.object = issue.object;
    this.path = issue.path;
    this.issues = [issue, ...more];
  }

  static of(issues: readonly SimIssue[]): SimError {
    const [first, ...rest] = issues;
    assert(first !== undefined, 'SimError.of needs at least one issue');
    return new SimError(first, rest);
  }
}

/** `CiliumNetworkPolicy default/rule1: spec.ingress[0].toPorts[0].ports[0].port: ...` */
export function formatIssue(issue: SimIssue): string {
  const where = [issue.object, issue.path].filter((s) => s !== undefined && s !== '').join(': ');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

export function isSimError(e: unknown): e is SimError {
  return e instanceof SimError;
}

/** An invariant of the model itself; failing it is a bug, never bad input. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}
