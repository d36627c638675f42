import type { SimErrorCode, SimIssue } from '../errors.ts';

export type RawObject = Readonly<Record<string, unknown>>;

/**
 * Collects every issue of one API object's fields in one pass (STYLE §7): readers report and
 * carry on with a best-effort value, so one bad port does not hide a bad selector further down.
 * The policy parsers and the label selector reader read raw objects through it.
 */
export class FieldReader {
  readonly issues: SimIssue[] = [];
  readonly object: string;

  constructor(object: string) {
    this.object = object;
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
