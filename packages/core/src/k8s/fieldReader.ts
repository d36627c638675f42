import type { SimErrorCode, SimIssue } from '../errors.ts';
import { behaviourIn, type CiliumVersion, type VersionedBehaviourName, VERSIONED_BEHAVIOURS } from '../version/ciliumVersion.ts';

export type RawObject = Readonly<Record<string, unknown>>;

/**
 * Collects every issue of one API object's fields in one pass (STYLE §7): readers report and
 * carry on with a best-effort value, so one bad port does not hide a bad selector further down.
 * The policy parsers and the label selector reader read raw objects through it.
 */
export class FieldReader {
  readonly issues: SimIssue[] = [];
  readonly object: string;
  /** The Cilium version whose policy API is read: fields come and go between versions. */
  readonly version: CiliumVersion;

  constructor(object: string, version: CiliumVersion) {
    this.object = object;
    this.version = version;
  }

  /** Whether `behaviour` holds in the version read. */
  has(behaviour: VersionedBehaviourName): boolean {
    return behaviourIn(this.version, behaviour);
  }

  /**
   * Reports `field` at `path` when the version's CRD does not have it (`behaviour`, which
   * introduced it, is not in force): the API server's strict field validation refuses it.
   */
  requireField(behaviour: VersionedBehaviourName, path: string, field: string): boolean {
    if (this.has(behaviour)) return true;
    const since = VERSIONED_BEHAVIOURS[behaviour].since;
    this.report(
      'UNKNOWN_FIELD',
      path,
      `unknown field "${field}": Cilium ${this.version.release} has no such field (it came in ${since}); remove it or run a later version with --cilium-version`,
    );
    return false;
  }

  report(code: SimErrorCode, path: string, message: string): void {
    this.issues.push({ code, object: this.object, path, message });
  }

  /** An object, or undefined (reported) for anything else; null/undefined pass as undefined. */
  record(value: unknown, path: string): RawObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as RawObject;
    this.report('INVALID_FIELD', path, `must be an object, got ${describe(value)}`);
    return undefined;
  }

  /** An array (undefined when absent; `null` counts as absent as in YAML `ingress:`). */
  array(value: unknown, path: string): readonly unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value;
    this.report('INVALID_FIELD', path, `must be a list, got ${describe(value)}`);
    return undefined;
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.report('INVALID_FIELD', path, `must be a string, got ${describe(value)}`);
    return undefined;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.report('INVALID_FIELD', path, `must be true or false, got ${describe(value)}`);
    return undefined;
  }

  /** Reports every key not in `allowed`, suggesting the nearest supported one. */
  knownKeys(obj: RawObject, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const foreign = NOT_CILIUM_FIELDS[key];
      if (foreign !== undefined) {
        this.report('UNKNOWN_FIELD', join(path, key), `unknown field "${key}": ${foreign}`);
        continue;
      }
      const near = nearest(key, allowed);
      const hint = near === undefined ? `supported fields: ${allowed.join(', ')}` : `did you mean "${near}"?`;
      this.report('UNKNOWN_FIELD', join(path, key), `unknown field "${key}"; ${hint}`);
    }
  }

  /** Reads a list of objects, calling `each` with the element and its path. */
  list<T>(value: unknown, path: string, each: (item: RawObject, itemPath: string, index: number) => T | undefined): T[] | undefined {
    const items = this.array(value, path);
    if (items === undefined) return undefined;
    const out: T[] = [];
    items.forEach((item, i) => {
      const itemPath = `${path}[${i}]`;
      const obj = this.record(item, itemPath);
      if (obj === undefined) {
        if (item === null || item === undefined) this.report('INVALID_FIELD', itemPath, 'must be an object, got null');
        return;
      }
      const r = each(obj, itemPath, i);
      if (r !== undefined) out.push(r);
    });
    return out;
  }

  /** Reads a list of strings. */
  strings(value: unknown, path: string): string[] | undefined {
    const items = this.array(value, path);
    if (items === undefined) return undefined;
    const out: string[] = [];
    items.forEach((item, i) => {
      const s = this.string(item, `${path}[${i}]`);
      if (s !== undefined) out.push(s);
      else if (item === null || item === undefined) this.report('INVALID_FIELD', `${path}[${i}]`, 'must be a string, got null');
    });
    return out;
  }
}

/**
 * Fields that policies in blog posts use but no Cilium version has, with what to use instead.
 * The zero-trust post's `fromRuntime`/`toRuntime` select peers by the process that runs in them:
 * that is runtime security, Tetragon's domain, not a network policy field.
 */
const RUNTIME_FIELD =
  "it is not a Cilium policy field in any version: policies select peers by identity (labels), not by the process inside them. Runtime identity is Tetragon's: it observes which process opens each connection (tetra getevents; cilium-sim --tetragon) and enforces with its own TracingPolicy, not with CiliumNetworkPolicy";
const NOT_CILIUM_FIELDS: Readonly<Record<string, string>> = { fromRuntime: RUNTIME_FIELD, toRuntime: RUNTIME_FIELD };

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

/** The allowed key within edit distance 2 of a typo, if any (`fromEndpoint` -> `fromEndpoints`). */
function nearest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const a of allowed) {
    const d = editDistance(key.toLowerCase(), a.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [a, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
