import { identityName, isReservedIdentity } from '../identity/reserved.ts';
import type { Runtime } from '../runtime/runtime.ts';

/**
 * A readable name for each identity the cluster knows: the workloads of its endpoints
 * (`default/deathstar`), the reserved name (`world`), or the prefix of a CIDR identity.
 */
export function identityNames(rt: Runtime): Record<number, string> {
  const out: Record<number, string> = {};
  const workloads = new Map<number, Set<string>>();
  for (const ep of rt.endpoints.list()) {
    const set = workloads.get(ep.identity) ?? new Set<string>();
    set.add(`${ep.namespace}/${ep.workload?.name ?? ep.podName}`);
    workloads.set(ep.identity, set);
  }
  for (const info of rt.policy.cache.identities()) {
    if (info.cidr !== undefined) out[info.id] = info.cidr;
    else if (isReservedIdentity(info.id)) out[info.id] = identityName(info.id);
    else {
      const fqdn = info.labels.find((l) => l.source === 'fqdn');
      if (fqdn !== undefined) out[info.id] = `fqdn:${fqdn.key}`;
    }
  }
  for (const [id, names] of workloads) out[id] = [...names].sort().join(',');
  for (const id of [1, 2, 3, 4, 5, 6, 7, 8]) out[id] ??= identityName(id);
  return out;
}
