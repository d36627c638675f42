import { fqdnSelectorMatches } from '../policy/fqdn.ts';

/**
 * TLS SNI enforcement for `toPorts[].serverNames`. The names use matchPattern syntax
 * (`*.cilium.io`), compared case-insensitively with the ClientHello's server_name.
 */

/** False for the allow-all list a merged port gives peers that did not restrict SNI. */
export function restrictsSni(serverNames: readonly string[]): boolean {
  return !serverNames.includes('*');
}

/**
 * Whether a connection opening with this ClientHello may pass. `sni` undefined: the first bytes
 * were not a ClientHello with a server_name (plain HTTP, other bytes), which no name admits.
 * `patterns` false (Cilium before 1.18): each name compares exactly, letter case aside.
 *
 * @example sniAllowed(['one.one.one.one'], 'one.one.one.one') === true
 */
export function sniAllowed(serverNames: readonly string[], sni: string | undefined, patterns = true): boolean {
  if (!restrictsSni(serverNames)) return true;
  if (sni === undefined || sni === '') return false;
  return serverNames.some((name) => fqdnSelectorMatches(patterns ? { matchPattern: name } : { matchName: name }, sni));
}
