import { labelSet } from '../identity/labels.ts';
import type { PolicyObject } from '../k8s/objects.ts';
import { getObject } from '../k8s/state.ts';
import { referencedCidrs } from '../policy/referencedCidrs.ts';
import { isPolicyKind } from '../policy/policyKinds.ts';
import type { Watcher, WatcherDeps } from './watcher.ts';

/**
 * NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy into the policy engine,
 * with a local identity for every CIDR prefix a policy names, as the agent allocates them. The
 * rules are the ones admission parsed for this revision; nothing is parsed again here.
 */
export function policyWatcher(d: WatcherDeps): Watcher {
  /** CIDR prefix -> its local identity and how many policies name it. */
  const cidrs = new Map<string, { id: number; refs: number }>();
  const cidrsByPolicy = new Map<string, readonly string[]>();

  const retain = (cidr: string): void => {
    const held = cidrs.get(cidr);
    if (held !== undefined) {
      held.refs++;
      return;
    }
    const labels = labelSet([
      { source: 'cidr', key: cidr, value: '' },
      { source: 'reserved', key: 'world', value: '' },
    ]);
    const { identity } = d.allocator.acquireLocal(`cidr:${cidr}`, labels, d.nowNs(), cidr);
    cidrs.set(cidr, { id: identity.id, refs: 1 });
    d.ipcache.upsertPrefix(cidr, identity.id);
    d.engine.upsertIdentity({ id: identity.id, labels, cidr });
  };
  const release = (cidr: string): void => {
    const held = cidrs.get(cidr);
    if (held === undefined || --held.refs > 0) return;
    cidrs.delete(cidr);
    const freed = d.allocator.releaseLocal(`cidr:${cidr}`);
    d.ipcache.deletePrefix(cidr);
    if (freed !== undefined) d.engine.removeIdentity(freed.id);
  };
  /** Prefixes are reference counted per policy, so a change costs what that one policy names. */
  const syncCidrs = (policyKey: string, next: readonly string[]): void => {
    const before = cidrsByPolicy.get(policyKey) ?? [];
    if (next.length === 0) cidrsByPolicy.delete(policyKey);
    else cidrsByPolicy.set(policyKey, next);
    for (const cidr of [...next].sort()) if (!before.includes(cidr)) retain(cidr);
    for (const cidr of before) if (!next.includes(cidr)) release(cidr);
  };

  return {
    changed(ref, batch) {
      const kind = ref.kind;
      if (!isPolicyKind(kind)) return;
      const obj = getObject(batch.state, ref);
      const key = `${kind}/${ref.namespace ?? ''}/${ref.name}`;
      if (obj === undefined) {
        d.engine.delete({ kind, ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }), name: ref.name });
        syncCidrs(key, []);
        return;
      }
      const parsed = d.rulesOf(obj as PolicyObject);
      // CIDR identities first, so the policy's CIDR peers select them as the maps are built.
      syncCidrs(key, referencedCidrs(parsed));
      d.engine.apply(parsed);
    },
  };
}
