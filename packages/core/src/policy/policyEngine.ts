import { assert } from '../errors.ts';
import { LISTED_RESERVED_IDENTITIES, reservedLabels } from '../identity/reserved.ts';
import { PolicyMap } from './policyMap.ts';
import { sectionDirection } from './direction.ts';
import { subjectSelects, type EnforcementMode } from './enforcement.ts';
import type { SubjectNamedPorts } from './namedPorts.ts';
import { DEFAULT_POLICY_CONTEXT, type IdentityInfo, type PolicyContext } from './peerSelector.ts';
import { Repository, requiredNamespace } from './repository.ts';
import { NAMESPACE_KEY } from '../identity/endpointLabels.ts';
import { computeEntries, diffEntries, resolvePolicy, type MapEntries, type SelectorPolicy } from './resolve.ts';
import { SelectorCache, type SelectorChange, type SelectorUser } from './selectorCache.ts';
import type { PolicyRules, PolicySource, Subject } from './types.ts';

export interface PolicyEngineOptions {
  readonly ctx?: PolicyContext;
  readonly mode?: EnforcementMode;
  /** Named ports for a subject identity: its own (ingress) and the cluster's (egress). */
  readonly namedPorts?: (subject: IdentityInfo) => SubjectNamedPorts;
  /** The agent's `allow-localhost`: default true (`auto` means `always` on Kubernetes). */
  readonly allowLocalhost?: boolean;
}

/**
 * Repository + selector cache + one policy map per subject identity, kept up to date
 * incrementally: a policy change regenerates only the identities its subjects select; an
 * identity change touches only the map entries keyed by that identity, in only the maps whose
 * policies use a selector that changed. Endpoints of one identity share one map.
 */
export class PolicyEngine {
  readonly repository = new Repository();
  readonly cache: SelectorCache;
  #mode: EnforcementMode;
  readonly #namedPorts: NonNullable<PolicyEngineOptions['namedPorts']>;
  readonly #allowLocalhost: boolean;
  readonly #subjects = new Map<number, SubjectPolicy>();
  /** Resolved subject identities by their pod namespace, so namespaced changes look only there. */
  readonly #byNamespace = new Map<string, Set<number>>();

  constructor(opts: PolicyEngineOptions = {}) {
    this.cache = new SelectorCache(opts.ctx ?? DEFAULT_POLICY_CONTEXT);
    // The reserved identities (host, world, remote-node, ...) exist from the start, as in the
    // agent's identity cache, so entity and CIDR selectors select them and the policy maps get
    // entries keyed by them; without this `fromEntities: [world]` would match nothing.
    for (const id of LISTED_RESERVED_IDENTITIES) this.cache.upsertIdentity({ id, labels: reservedLabels(id) });
    this.#mode = opts.mode ?? 'default';
    this.#namedPorts = opts.namedPorts ?? (() => ({}));
    this.#allowLocalhost = opts.allowLocalhost ?? true;
  }

  /** Adds or replaces a parsed policy; returns the subject identities whose maps were regenerated. */
  apply(policy: PolicyRules): number[] {
    return this.#regenerateSelected(this.repository.upsert(policy).changedSubjects);
  }

  delete(source: PolicySource): number[] {
    const change = this.repository.delete(source);
    return change === undefined ? [] : this.#regenerateSelected(change.changedSubjects);
  }

  upsertIdentity(info: IdentityInfo): readonly SelectorChange[] {
    return this.cache.upsertIdentity(info);
  }

  removeIdentity(id: number): readonly SelectorChange[] {
    this.releaseSubject(id);
    return this.cache.removeIdentity(id);
  }

  /** The policy map of a subject identity (which must have been upserted), built on first use. */
  policyMap(subjectId: number): PolicyMap {
    return this.#subject(subjectId).map;
  }

  selectorPolicy(subjectId: number): SelectorPolicy {
    return this.#subject(subjectId).policy;
  }

  /** Forgets a subject's map (its last endpoint went away). */
  releaseSubject(subjectId: number): void {
    const s = this.#subjects.get(subjectId);
    if (s === undefined) return;
    s.release();
    this.#subjects.delete(subjectId);
    const ns = namespaceOf(s.subject);
    if (ns !== undefined) this.#byNamespace.get(ns)?.delete(subjectId);
  }

  /** Changes the enforcement mode or named ports: regenerates every map. */
  regenerateAll(mode: EnforcementMode = this.#mode): void {
    this.#mode = mode;
    for (const s of this.#subjects.values()) s.regenerate(this.#mode);
  }

  /** Regenerates one subject (its named ports changed). */
  regenerate(subjectId: number): void {
    this.#subjects.get(subjectId)?.regenerate(this.#mode);
  }

  /**
   * Named ports changed: those of `identities` (what their ingress rules' named ports mean) and,
   * when `global`, the cluster's (what egress rules' named ports mean). Regenerates only the maps
   * whose rules name a port in the direction that changed; the others cannot differ.
   */
  namedPortsChanged(identities: readonly number[], global: boolean): void {
    const ids = new Set<number>();
    for (const id of identities) if (this.#subjects.get(id)?.namesPorts.ingress === true) ids.add(id);
    if (global) for (const [id, s] of this.#subjects) if (s.namesPorts.egress) ids.add(id);
    for (const id of [...ids].sort((a, b) => a - b)) this.#subjects.get(id)!.regenerate(this.#mode);
  }

  #subject(id: number): SubjectPolicy {
    let s = this.#subjects.get(id);
    if (s === undefined) {
      const info = this.cache.identity(id);
      assert(info !== undefined, `policy map requested for unknown identity ${id}; upsertIdentity it first`);
      s = new SubjectPolicy(info, this.cache, this.repository, this.#namedPorts, this.#mode, this.#allowLocalhost);
      this.#subjects.set(id, s);
      const ns = namespaceOf(info);
      if (ns !== undefined) {
        let set = this.#byNamespace.get(ns);
        if (set === undefined) this.#byNamespace.set(ns, (set = new Set()));
        set.add(id);
      }
    }
    return s;
  }

  /**
   * Regenerates the resolved identities that `subjects` select. A subject pinned to a namespace
   * (every namespaced policy's is) only looks at that namespace's identities, so a policy change
   * costs what the affected namespace holds, not what the cluster holds.
   */
  #regenerateSelected(subjects: readonly Subject[]): number[] {
    const candidates = new Set<number>();
    for (const sub of subjects) {
      const ns = requiredNamespace(sub);
      const ids = ns === undefined ? this.#subjects.keys() : (this.#byNamespace.get(ns) ?? []);
      for (const id of ids) candidates.add(id);
    }
    const ids: number[] = [];
    for (const id of [...candidates].sort((a, b) => a - b)) {
      const s = this.#subjects.get(id)!;
      if (!subjects.some((sub) => subjectSelects(sub, s.subject))) continue;
      s.regenerate(this.#mode);
      ids.push(id);
    }
    return ids;
  }
}

class SubjectPolicy implements SelectorUser {
  readonly subject: IdentityInfo;
  policy!: SelectorPolicy;
  map!: PolicyMap;
  /** Whether the rules selecting the subject name a port (`http`) in each direction. */
  namesPorts = { ingress: false, egress: false };
  #entries: MapEntries = new Map();
  readonly #cache: SelectorCache;
  readonly #repo: Repository;
  readonly #namedPorts: NonNullable<PolicyEngineOptions['namedPorts']>;
  readonly #allowLocalhost: boolean;

  constructor(
    subject: IdentityInfo,
    cache: SelectorCache,
    repo: Repository,
    namedPorts: NonNullable<PolicyEngineOptions['namedPorts']>,
    mode: EnforcementMode,
    allowLocalhost: boolean,
  ) {
    [this.subject, this.#cache, this.#repo, this.#namedPorts, this.#allowLocalhost] = [subject, cache, repo, namedPorts, allowLocalhost];
    this.regenerate(mode);
  }

  regenerate(mode: EnforcementMode): void {
    const old = this.policy as SelectorPolicy | undefined;
    this.policy = resolvePolicy(this.subject, this.#repo.rulesFor(namespaceOf(this.subject)), {
      mode,
      namedPorts: this.#namedPorts(this.subject),
      allowLocalhost: this.#allowLocalhost,
    });
    // Register the new selectors before releasing the old, so shared ones keep their selection.
    for (const p of this.policy.peers) this.#cache.addSelector(p, this);
    for (const p of old?.peers ?? []) this.#cache.removeSelector(p.key, this);
    this.namesPorts = namedPortUse(this.policy);
    const next = computeEntries(this.policy, this.#cache.select);
    if (old === undefined) this.map = new PolicyMap({ ingress: false, egress: false });
    const { adds, deletes } = diffEntries(this.#entries, next);
    this.map.applyChanges(adds, deletes);
    this.map.ingressEnforced = this.policy.enforcement.ingress.enforced;
    this.map.egressEnforced = this.policy.enforcement.egress.enforced;
    this.#entries = next;
  }

  selectionsChanged(changes: readonly SelectorChange[]): void {
    const ids = new Set(changes.flatMap((c) => [...c.added, ...c.removed]));
    const next = computeEntries(this.policy, this.#cache.select, ids);
    const prev: MapEntries = new Map([...this.#entries].filter(([, [k]]) => ids.has(k.identity)));
    const { adds, deletes } = diffEntries(prev, next);
    this.map.applyChanges(adds, deletes);
    for (const [text] of prev) this.#entries.delete(text);
    for (const [text, kv] of next) this.#entries.set(text, kv);
  }

  release(): void {
    for (const p of this.policy.peers) this.#cache.removeSelector(p.key, this);
  }
}

/** Whether any rule of `policy` names a port, per direction (as `buildL4Filters` reads them). */
function namedPortUse(policy: SelectorPolicy): { ingress: boolean; egress: boolean } {
  const out = { ingress: false, egress: false };
  for (const { rule } of policy.rules) {
    for (const pr of [...rule.ingress, ...rule.egress]) {
      if (!(pr.portRules ?? []).some((p) => p.ports.some((spec) => typeof spec.port === 'string'))) continue;
      if (sectionDirection(pr.section) === 'INGRESS') out.ingress = true;
      else out.egress = true;
    }
  }
  return out;
}

/** The pod namespace of an endpoint identity (`k8s:io.kubernetes.pod.namespace`), if it has one. */
function namespaceOf(subject: IdentityInfo): string | undefined {
  return subject.labels.find((l) => l.source === 'k8s' && l.key === NAMESPACE_KEY)?.value;
}
