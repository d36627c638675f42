import { resolveName } from '../k8s/dns.ts';
import type { K8sState } from '../k8s/state.ts';
import type { DnsZone } from './coreDnsApp.ts';
import { CLUSTER_TTL_S, DEFAULT_EXTERNAL_HOSTS, EXTERNAL_TTL_S } from './externalHosts.ts';

/**
 * What CoreDNS answers: the cluster's records (Services, pods) as the API server holds them
 * now, else the outside hosts the labs use and the ones the user named.
 */
export function clusterDnsZone(state: () => K8sState, externalHosts: Readonly<Record<string, string>>): DnsZone {
  return {
    lookup(name) {
      const inCluster = resolveName(state(), `${name}.`, 'default');
      if (inCluster !== undefined) return { ips: [inCluster.ip], ttl: CLUSTER_TTL_S };
      const ip = externalHosts[name] ?? DEFAULT_EXTERNAL_HOSTS[name];
      return ip === undefined ? undefined : { ips: [ip], ttl: EXTERNAL_TTL_S };
    },
  };
}
