import { NAMESPACE_KEY } from '../identity/endpointLabels.ts';
import type { RuleWithRevision } from './l4Filter.ts';
import { policySourceKey, type PolicyRules, type PolicySource, type Subject } from './types.ts';

export interface RepositoryChange {
  /** The repository revision after the change. */
  readonly revision: number;
  /** Subjects of the rules removed and added: only endpoints they select need regenerating. */
  readonly changedSubjects: readonly Subject[];
}

interface Stored {
  readonly policy: PolicyRules;
  readonly revision: number;
  /** The policy's rules with its revision, in spec order, and the namespace each subject pins. */
  readonly all: readonly RuleWithRevision[];
  readonly namespaces: readonly (string | undefined)[];
  /** The same rules grouped by that namespace. */
  readonly groups: ReadonlyMap<string | undefined, readonly RuleWithRevision[]>;
}

/** The rules of one namespace (or of none), by policy key; their ordered list built on demand. */
interface Group {
  readonly byPolicy: Map<string, readonly RuleWithRevision[]>;
  sorted: readonly RuleWithRevision[] | undefined;
}

/**
 * The agent's policy repository (pkg/policy/repository.go): parsed rules keyed by policy
 * object, with a revision that only grows. Each policy remembers the revision that imported
 * it, which policy map entries cite (`derivedFrom`).
 *
 * Rules are indexed by the namespace their subject pins, and a change re-sorts only the groups
 * the old and new policy touch, so a namespaced policy change costs that namespace's rules.
 */
export class Repository {
  #revision = 1;
  readonly #policies = new Map<string, Stored>();
  #sorted: RuleWithRevision[] | undefined;
  /** Rules by the namespace their subject requires; `undefined` holds those that name none. */
  readonly #groups = new Map<string | undefined, Group>();
  /** `rulesFor(ns)` results that merge a namespace's rules with the unpinned ones. */
  readonly #merged = new Map<string, readonly RuleWithRevision[]>();

  get revision(): number {
    return this.#revision;
  }

  /** Adds or replaces a policy object. */
  upsert(policy: PolicyRules): RepositoryChange {
    const key = policySourceKey(policy.source);
    const old = this.#policies.get(key);
    this.#revision++;
    if (old !== undefined) this.#unindex(key, old);
    const stored = storedOf(policy, this.#revision);
    this.#policies.set(key, stored);
    this.#index(key, stored);
    this.#sorted = undefined;
    return { revision: this.#revision, changedSubjects: [...(old?.policy.rules ?? []), ...policy.rules].map((r) => r.subject) };
  }

  /** Removes a policy object; undefined (and no revision bump) when it was not there. */
  delete(source: PolicySource): RepositoryChange | undefined {
    const key = policySourceKey(source);
    const old = this.#policies.get(key);
    if (old === undefined) return undefined;
    this.#policies.delete(key);
    this.#unindex(key, old);
    this.#revision++;
    this.#sorted = undefined;
    return { revision: this.#revision, changedSubjects: old.policy.rules.map((r) => r.subject) };
  }

  get(source: PolicySource): PolicyRules | undefined {
    return this.#policies.get(policySourceKey(source))?.policy;
  }

  /** Every policy object, sorted by kind, namespace and name. */
  policies(): PolicyRules[] {
    return [...this.#policies.entries()].sort(([a], [b]) => cmp(a, b)).map(([, s]) => s.policy);
  }

  /**
   * The rules that can select an endpoint of `namespace`: those whose subject requires that
   * namespace, and those that name none (clusterwide policies). Same order as `rules()`;
   * cached until a change to one of the two groups, so resolving many endpoints reads each
   * rule once, and a change elsewhere keeps the cache.
   */
  rulesFor(namespace: string | undefined): readonly RuleWithRevision[] {
    const anywhere = this.#groupRules(undefined);
    const own = namespace === undefined ? [] : this.#groupRules(namespace);
    if (own.length === 0) return anywhere;
    if (anywhere.length === 0) return own;
    let merged = this.#merged.get(namespace!);
    if (merged === undefined) this.#merged.set(namespace!, (merged = this.#merge(namespace!)));
    return merged;
  }

  /** Every rule with its policy's revision, in a stable order (policies sorted, then spec order). */
  rules(): readonly RuleWithRevision[] {
    if (this.#sorted === undefined) {
      const entries = [...this.#policies.entries()].sort(([a], [b]) => cmp(a, b));
      this.#sorted = entries.flatMap(([, s]) => s.all);
    }
    return this.#sorted;
  }

  #index(key: string, stored: Stored): void {
    for (const [ns, rules] of stored.groups) {
      let g = this.#groups.get(ns);
      if (g === undefined) this.#groups.set(ns, (g = { byPolicy: new Map(), sorted: undefined }));
      g.byPolicy.set(key, rules);
      this.#touched(ns, g);
    }
  }

  #unindex(key: string, stored: Stored): void {
    for (const ns of stored.groups.keys()) {
      const g = this.#groups.get(ns)!;
      g.byPolicy.delete(key);
      this.#touched(ns, g);
      if (g.byPolicy.size === 0) this.#groups.delete(ns);
    }
  }

  #touched(ns: string | undefined, g: Group): void {
    g.sorted = undefined;
    if (ns === undefined) this.#merged.clear();
    else this.#merged.delete(ns);
  }

  /** A group's rules: its policies in key order, each policy's rules in spec order. */
  #groupRules(ns: string | undefined): readonly RuleWithRevision[] {
    const g = this.#groups.get(ns);
    if (g === undefined) return EMPTY;
    if (g.sorted === undefined) g.sorted = [...g.byPolicy.keys()].sort(cmp).flatMap((k) => g.byPolicy.get(k)!);
    return g.sorted;
  }

  /** A namespace's rules and the unpinned ones, merged by policy key (a policy's rules stay in spec order). */
  #merge(namespace: string): readonly RuleWithRevision[] {
    const keys = new Set([...this.#groups.get(namespace)!.byPolicy.keys(), ...this.#groups.get(undefined)!.byPolicy.keys()]);
    const out: RuleWithRevision[] = [];
    for (const key of [...keys].sort(cmp)) {
      const s = this.#policies.get(key)!;
      s.all.forEach((r, i) => {
        if (s.namespaces[i] === namespace || s.namespaces[i] === undefined) out.push(r);
      });
    }
    return out;
  }
}

const EMPTY: readonly RuleWithRevision[] = Object.freeze([]);

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A policy's rules, each with the policy's revision, and grouped by the namespace its subject requires. */
function storedOf(policy: PolicyRules, revision: number): Stored {
  const all = policy.rules.map((rule) => ({ rule, revision }));
  const namespaces = policy.rules.map((r) => requiredNamespace(r.subject));
  const groups = new Map<string | undefined, RuleWithRevision[]>();
  all.forEach((r, i) => {
    const list = groups.get(namespaces[i]);
    if (list === undefined) groups.set(namespaces[i], [r]);
    else list.push(r);
  });
  return { policy, revision, all, namespaces, groups };
}

/** The namespace a subject selector pins with `k8s:io.kubernetes.pod.namespace In [ns]`, if it pins one. */
export function requiredNamespace(subject: Subject): string | undefined {
  if (subject.kind !== 'endpoints') return undefined;
  const req = subject.selector.requirements.find(
    (r) => r.key === NAMESPACE_KEY && (r.source === 'k8s' || r.source === 'any') && r.operator === 'In' && r.values.length === 1,
  );
  return req?.values[0];
}
