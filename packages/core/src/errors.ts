/**
 * A user error: bad input named by object and field. Tests match `code`; tools switch on
 * `reason` to say it in their own words (kubectl `Error from server (NotFound): ...`, docker
 * `Error response from daemon: ...`). A broken invariant is never a SimError: it is an `assert`
 * that throws.
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
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'INVALID_COMMAND'
  | 'INVALID_FLAG'
  | 'LIMIT_EXCEEDED'
  | 'NO_NETWORK';

/**
 * Why a request was refused, in no tool's words, as the API server's status reasons classify
 * it. Every tool renders these its own way:
 * - NotFound: the named object does not exist (`ref` names it when it is an API object).
 * - AlreadyExists: creating an object whose name is taken (`ref` names it).
 * - Forbidden: the request is well formed but not allowed (`ref` is the object refused).
 * - Invalid: bad input: a field, a flag, a manifest, a value past a limit of the simulator.
 * - Conflict: the change contradicts the object's current state (a label with another value).
 * - Unavailable: something the request needs cannot be reached (the network, a server).
 */
export type SimErrorReason = 'NotFound' | 'AlreadyExists' | 'Forbidden' | 'Invalid' | 'Conflict' | 'Unavailable';

/** The reason a code implies when an issue does not name one. */
const REASON_OF_CODE: Readonly<Partial<Record<SimErrorCode, SimErrorReason>>> = {
  NOT_FOUND: 'NotFound',
  ALREADY_EXISTS: 'AlreadyExists',
  FORBIDDEN: 'Forbidden',
  CONFLICT: 'Conflict',
  NO_NETWORK: 'Unavailable',
};

/** An API object an error is about; structurally a k8s `ObjectRef`, kinds included that are only derived. */
export interface ErrorObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The apiVersion as written, when the error is that nothing serves the kind at it. */
  readonly apiVersion?: string;
}

export interface SimIssue {
  readonly code: SimErrorCode;
  /** Defaults from `code`: NOT_FOUND is NotFound, ALREADY_EXISTS AlreadyExists, ...; else Invalid. */
  readonly reason?: SimErrorReason;
  /** `CiliumNetworkPolicy default/rule1`, or a command such as `kubectl get`; defaults from `ref`. */
  readonly object?: string;
  /** The API object the reason is about (the pod not found, the namespace that may not be deleted). */
  readonly ref?: ErrorObjectRef;
  /** The field: `spec.ingress[0].toPorts[0].ports[0].port`, or a flag such as `--port`. */
  readonly path?: string;
  /** What was wrong, in no tool's words: `not found`, `this namespace may not be deleted`. */
  readonly message: string;
}

/** `Pod default/xwing`, `Namespace kube-system`: how an error names an API object. */
function describeErrorRef(ref: ErrorObjectRef): string {
  return ref.namespace === undefined ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}

export class SimError extends Error {
  readonly code: SimErrorCode;
  readonly reason: SimErrorReason;
  readonly object: string | undefined;
  readonly ref: ErrorObjectRef | undefined;
  readonly path: string | undefined;
  /** Every issue found when one input was validated in one pass; the first is this error. */
  readonly issues: readonly SimIssue[];

  constructor(issue: SimIssue, more: readonly SimIssue[] = []) {
    const first = completeIssue(issue);
    super(formatIssue(first));
    this.name = 'SimError';
    this.code = first.code;
    this.reason = reasonOf(first);
    this.object = first.object;
    this.ref = first.ref;
    this.path = first.path;
    this.issues = [first, ...more.map(completeIssue)];
  }

  static of(issues: readonly SimIssue[]): SimError {
    const [first, ...rest] = issues;
    assert(first !== undefined, 'SimError.of needs at least one issue');
    return new SimError(first, rest);
  }
}

/** The issue with its object named after `ref` when it names none. */
function completeIssue(issue: SimIssue): SimIssue {
  if (issue.object !== undefined || issue.ref === undefined) return issue;
  return { ...issue, object: describeErrorRef(issue.ref) };
}

/** The issue's reason, or the one its code implies. */
function reasonOf(issue: Pick<SimIssue, 'code' | 'reason'>): SimErrorReason {
  return issue.reason ?? REASON_OF_CODE[issue.code] ?? 'Invalid';
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

/**
 * A value as an error message quotes it: numbers as written, JSON where it has one, else its type
 * (a user's junk argument, such as an object whose `toString` is not a function, never throws here).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value;
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return typeof value;
  }
}
