import { NAMESPACE_KEY } from './selector.ts';
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
}

/**
 * The agent's policy repository (pkg/policy/repository.go): parsed rules keyed by policy
 * object, with a revision that only grows. Each policy remembers the revision that imported
 * it, which policy map entries cite (`derivedFrom`).
 */
export class Repository {
  #revision = 1;
  readonly #policies = new Map<string, Stored>();
  #sorted: RuleWithRevision[] | undefined;
  #byNamespace: { index: Map<string, RuleWithRevision[]>; anywhere: RuleWithRevision[] } | undefined;

  get revision(): number {
    return this.#revision;
  }

  /** Adds or replaces a policy object. */
  upsert(policy: PolicyRules): RepositoryChange {
    const key = policySourceKey(policy.source);
    const old = this.#policies.get(key);
    this.#revision++;
    this.#policies.set(key, { policy, revision: this.#revision });
    this.#sorted = undefined;
    this.#byNamespace = undefined;
    return { revision: this.#revision, changedSubjects: [...(old?.policy.rules ?? []), ...policy.rules].map((r) => r.subject) };
  }

  /** Removes a policy object; undefined (and no revision bump) when it was not there. */
  delete(source: PolicySource): RepositoryChange | undefined {
    const key = policySourceKey(source);
    const old = this.#policies.get(key);
    if (old === undefined) return undefined;
    this.#policies.delete(key);
    this.#revision++;
    this.#sorted = undefined;
    this.#byNamespace = undefined;
    return { revision: this.#revision, changedSubjects: old.policy.rules.map((r) => r.subject) };
  }

  get(source: PolicySource): PolicyRules | undefined {
    return this.#policies.get(policySourceKey(source))?.policy;
  }

  /** Every policy object, sorted by kind, namespace and name. */
  policies(): PolicyRules[] {
    return [...this.#policies.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s.policy);
  }

  /**
   * The rules that can select an endpoint of `namespace`: those whose subject requires that
   * namespace, and those that name none (clusterwide policies). Same order as `rules()`;
   * cached until the next change, so resolving many endpoints reads each rule once.
   */
  rulesFor(namespace: string | undefined): readonly RuleWithRevision[] {
    if (this.#byNamespace === undefined) {
      const index = new Map<string, RuleWithRevision[]>();
      const anywhere: RuleWithRevision[] = [];
      for (const r of this.rules()) {
        const ns = requiredNamespace(r.rule.subject);
        if (ns === undefined) anywhere.push(r);
        else index.set(ns, [...(index.get(ns) ?? []), r]);
      }
      this.#byNamespace = { index, anywhere };
    }
    const { index, anywhere } = this.#byNamespace;
    const own = namespace === undefined ? undefined : index.get(namespace);
    if (own === undefined) return anywhere;
    if (anywhere.length === 0) return own;
    const order = new Map(this.rules().map((r, i) => [r, i]));
    return [...own, ...anywhere].sort((a, b) => order.get(a)! - order.get(b)!);
  }

  /** Every rule with its policy's revision, in a stable order (policies sorted, then spec order). */
  rules(): readonly RuleWithRevision[] {
    if (this.#sorted === undefined) {
      const entries = [...this.#policies.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.#sorted = entries.flatMap(([, s]) => s.policy.rules.map((rule) => ({ rule, revision: s.revision })));
    }
    return this.#sorted;
  }
}

/** The namespace a subject selector pins with `k8s:io.kubernetes.pod.namespace In [ns]`, if it pins one. */
export function requiredNamespace(subject: Subject): string | undefined {
  if (subject.kind !== 'endpoints') return undefined;
  const req = subject.selector.requirements.find((r) => r.key === NAMESPACE_KEY && (r.source === 'k8s' || r.source === 'any') && r.operator === 'In' && r.values.length === 1);
  return req?.values[0];
}
