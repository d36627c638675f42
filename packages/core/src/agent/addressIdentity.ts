import type { Ipcache } from '../identity/ipcache.ts';
import { ReservedIdentity } from '../identity/reserved.ts';
import type { Agents } from './agents.ts';
import type { Endpoint } from './endpoint.ts';

/**
 * The identity of an address as the agent on `viewer` sees it: an endpoint's own, `host` for
 * the viewer's node, `kube-apiserver` or `remote-node` for the other nodes, else what the
 * ipcache holds (CIDR and FQDN identities, `world`). The datapath and Hubble ask it per packet.
 */
export function addressIdentity(
  endpoint: (ip: string) => Endpoint | undefined,
  agents: Agents,
  ipcache: Ipcache,
): (ip: string, viewer: string | undefined) => number {
  return (ip, viewer) => {
    const ep = endpoint(ip);
    if (ep !== undefined) return ep.identity;
    const node = agents.nodeOfIp(ip);
    if (node !== undefined) {
      if (node.name === viewer) return ReservedIdentity.host;
      return node.name === agents.apiServerNode ? ReservedIdentity['kube-apiserver'] : ReservedIdentity['remote-node'];
    }
    return ipcache.identityOf(ip);
  };
}
