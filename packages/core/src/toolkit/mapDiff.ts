import type { AuthType } from '../policy/authType.ts';
import type { Direction } from '../policy/direction.ts';
import type { PolicyMap, PolicyMapEntry, PolicyMapKey } from '../policy/policyMap.ts';
import { policyMapKeyText } from '../policy/policyMap.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';

/**
 * The difference between two policy maps of one subject identity, as a user reads it: keys
 * added, removed or changed (verdict, auth, L7 redirect or deriving policies), and directions
 * whose enforcement turned on or off. Policy revisions are ignored, since a dry-run engine
 * numbers its revisions differently from the cluster's.
 */
export interface EntrySummary {
  readonly verdict: 'allow' | 'deny';
  readonly authType: AuthType;
  /** L7 protocols the proxy enforces on this key (`http`, `dns`, ...); empty without redirect. */
  readonly l7: readonly string[];
  /** `CiliumNetworkPolicy default/rule1`, sorted. */
  readonly policies: readonly string[];
  /** The NetworkPolicy tier holds no rule for this key: only the Admin or Baseline tier's rules do. */
  readonly tierOnly?: true;
  /** The first Admin and Baseline rules for this key: `Admin Deny [ClusterNetworkPolicy lockdown]`. */
  readonly tiers?: readonly string[];
}

export interface EntryChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly key: PolicyMapKey;
  readonly before?: EntrySummary;
  readonly after?: EntrySummary;
}

export interface EnforcementChange {
  readonly direction: Direction;
  readonly before: boolean;
  readonly after: boolean;
}

export interface IdentityMapChange {
  readonly identity: number;
  /** The pods holding the identity, `namespace/pod`. */
  readonly pods: readonly string[];
  readonly enforcement: readonly EnforcementChange[];
  readonly entries: readonly EntryChange[];
}

/** Map changes for each subject identity, in identity order; identities without change left out. */
export function diffPolicyMaps(
  before: PolicyEngine,
  after: PolicyEngine,
  subjects: ReadonlyMap<number, readonly string[]>,
): IdentityMapChange[] {
  const out: IdentityMapChange[] = [];
  for (const [identity, pods] of [...subjects].sort(([a], [b]) => a - b)) {
    const a = before.policyMap(identity);
    const b = after.policyMap(identity);
    const enforcement = enforcementChanges(a, b);
    const entries = entryChanges(a, b);
    if (enforcement.length > 0 || entries.length > 0) out.push({ identity, pods, enforcement, entries });
  }
  return out;
}

function enforcementChanges(a: PolicyMap, b: PolicyMap): EnforcementChange[] {
  const out: EnforcementChange[] = [];
  if (a.ingressEnforced !== b.ingressEnforced) out.push({ direction: 'INGRESS', before: a.ingressEnforced, after: b.ingressEnforced });
  if (a.egressEnforced !== b.egressEnforced) out.push({ direction: 'EGRESS', before: a.egressEnforced, after: b.egressEnforced });
  return out;
}

function entryChanges(a: PolicyMap, b: PolicyMap): EntryChange[] {
  const before = new Map(a.entries().map(([k, v]) => [policyMapKeyText(k), { key: k, summary: summarize(v) }]));
  const after = new Map(b.entries().map(([k, v]) => [policyMapKeyText(k), { key: k, summary: summarize(v) }]));
  const out: EntryChange[] = [];
  for (const [text, { key, summary }] of before) {
    const next = after.get(text);
    if (next === undefined) out.push({ change: 'removed', key, before: summary });
    else if (JSON.stringify(next.summary) !== JSON.stringify(summary))
      out.push({ change: 'changed', key, before: summary, after: next.summary });
  }
  for (const [text, { key, summary }] of after) if (!before.has(text)) out.push({ change: 'added', key, after: summary });
  return out.sort((x, y) => compareKeys(x.key, y.key));
}

function summarize(v: PolicyMapEntry): EntrySummary {
  const l7 =
    v.l7 === undefined
      ? []
      : Object.keys(v.l7)
          .filter((k) => (v.l7 as Record<string, unknown>)[k] !== undefined)
          .sort();
  const policies = [
    ...new Set(v.derivedFrom.map((r) => `${r.kind} ${r.namespace === undefined ? '' : `${r.namespace}/`}${r.name}`)),
  ].sort();
  const tiers = [v.admin, v.baseline].filter((t) => t !== undefined).map((t) => `${t.tier} ${t.action} [${t.ref.kind} ${t.ref.name}]`);
  return {
    verdict: v.deny ? 'deny' : 'allow',
    authType: v.authType,
    l7,
    policies,
    ...(v.tierOnly === true ? { tierOnly: true as const } : {}),
    ...(tiers.length === 0 ? {} : { tiers }),
  };
}

function compareKeys(a: PolicyMapKey, b: PolicyMapKey): number {
  return (
    a.direction.localeCompare(b.direction) ||
    a.identity - b.identity ||
    a.proto - b.proto ||
    a.port - b.port ||
    a.portPrefixLength - b.portPrefixLength
  );
}
