import { resolveName } from '../k8s/dns.ts';
import type { K8sState } from '../k8s/state.ts';
import type { DnsZone, DnsZoneAnswer } from './coreDnsApp.ts';
import { CLUSTER_TTL_S, DEFAULT_EXTERNAL_HOSTS, EXTERNAL_TTL_S } from './externalHosts.ts';

/**
 * What CoreDNS answers: the cluster's records (Services, pods) as the API server holds them
 * now, else the outside hosts the labs use and the ones the user named.
 */
export function clusterDnsZone(state: () => K8sState, externalHosts: Readonly<Record<string, string>>): DnsZone {
  // A state never changes (a change is a new state), so an answer found in one holds for as
  // long as it is the current one: repeated lookups of a name cost one map read.
  const answers = new WeakMap<K8sState, Map<string, DnsZoneAnswer | undefined>>();
  return {
    lookup(name) {
      const now = state();
      let known = answers.get(now);
      if (known === undefined) answers.set(now, (known = new Map()));
      if (known.has(name)) return known.get(name);
      const inCluster = resolveName(now, `${name}.`, 'default');
      const ip = inCluster === undefined ? (externalHosts[name] ?? DEFAULT_EXTERNAL_HOSTS[name]) : undefined;
      const answer: DnsZoneAnswer | undefined =
        inCluster !== undefined
          ? Object.freeze({ ips: Object.freeze([inCluster.ip]), ttl: CLUSTER_TTL_S })
          : ip === undefined
            ? undefined
            : Object.freeze({ ips: Object.freeze([ip]), ttl: EXTERNAL_TTL_S });
      known.set(name, answer);
      return answer;
    },
  };
}
