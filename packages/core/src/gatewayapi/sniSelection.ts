import { hostnameScore } from './routeMatch.ts';

/**
 * What a TLS ClientHello's server name picks among the listeners (or TLSRoutes) sharing a port,
 * as Envoy matches filter chains by `server_names`: the exact hostname, else the longest
 * wildcard that covers it (`*.example.com` covers `a.example.com` and `a.b.example.com`, never
 * `example.com`), else one without a hostname. Undefined when nothing takes the name: Envoy
 * closes the connection during the handshake. Ties keep the first in `candidates`' order.
 *
 * @example selectBySni([{ hostnames: ['*.example.com'] }, { hostnames: [] }], 'shop.example.com')
 */
export function selectBySni<T extends { readonly hostnames: readonly string[] }>(candidates: readonly T[], sni: string): T | undefined {
  let best: T | undefined;
  let bestScore = -1;
  for (const c of candidates) {
    // A hello without a server name reaches only a catch-all.
    const score = sni === '' ? (c.hostnames.length === 0 ? 0 : -1) : hostnameScore(c.hostnames, sni);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
