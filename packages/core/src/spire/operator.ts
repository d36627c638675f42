import type { RegistrationEntry } from './entry.ts';
import type { EntryInput } from './entryInput.ts';
import type { SpireServer } from './server.ts';
import { isSpireStatusError } from './spireStatusError.ts';

/** The selector Cilium's operator puts on every identity entry (`cilium:mtls` in early 1.14 builds). */
export const MUTUAL_AUTH_SELECTOR = 'cilium:mutual-auth';

/** `spiffe://<td>/identity/<N>`: the SPIFFE ID of Cilium security identity N. */
export function identitySpiffeId(trustDomain: string, identity: number): string {
  return `spiffe://${trustDomain}/identity/${identity}`;
}

/** The identity number in `spiffe://<td>/identity/<N>`, or undefined for any other ID. */
export function identityOfSpiffeId(trustDomain: string, spiffeId: string): number | undefined {
  const prefix = `spiffe://${trustDomain}/identity/`;
  if (!spiffeId.startsWith(prefix)) return undefined;
  const rest = spiffeId.slice(prefix.length);
  return /^[1-9][0-9]*$/.test(rest) ? Number(rest) : undefined;
}

/**
 * The three entries Cilium's Helm init script ensures (node alias of the SPIRE agents, the Cilium
 * agent as delegate of the delegated identity API, the operator that creates identity entries).
 */
export function ciliumInitEntries(trustDomain: string): EntryInput[] {
  const agentAlias = `spiffe://${trustDomain}/ns/cilium-spire/sa/spire-agent`;
  return [
    { spiffeId: agentAlias, node: true, selectors: ['k8s_psat:agent_ns:cilium-spire', 'k8s_psat:agent_sa:spire-agent'] },
    { spiffeId: `spiffe://${trustDomain}/cilium-agent`, parentId: agentAlias, selectors: ['k8s:ns:kube-system', 'k8s:sa:cilium'] },
    {
      spiffeId: `spiffe://${trustDomain}/cilium-operator`,
      parentId: agentAlias,
      selectors: ['k8s:ns:kube-system', 'k8s:sa:cilium-operator'],
    },
  ];
}

export type SyncResult =
  | { readonly ok: true; readonly created: readonly RegistrationEntry[]; readonly deleted: readonly RegistrationEntry[] }
  | { readonly ok: false; readonly error: string };

function failed(e: unknown): SyncResult {
  if (isSpireStatusError(e)) return { ok: false, error: e.message };
  throw e;
}

/**
 * The init script's "ensure" loop: creates whichever of the Cilium init entries is missing.
 * While the server is down it returns `{ ok: false }` and the caller retries later (the script
 * retries every 30 s).
 */
export function ensureCiliumEntries(server: SpireServer): SyncResult {
  try {
    const created: RegistrationEntry[] = [];
    for (const input of ciliumInitEntries(server.trustDomain)) {
      const parentId = input.node === true ? server.serverId : input.parentId!;
      if (server.listEntries({ spiffeId: input.spiffeId, parentId }).length === 0) created.push(server.createEntry(input));
    }
    return { ok: true, created, deleted: [] };
  } catch (e) {
    return failed(e);
  }
}

/**
 * The operator's identity sync: one entry per Cilium identity (SPIFFE ID `identity/N`, parent
 * `cilium-operator`, selector `cilium:mutual-auth`) and no entry for an identity that is gone.
 * Reserved identities (< 256) never get one. Idempotent. While the server is down nothing changes
 * and the result says so; the caller retries.
 */
export function syncIdentityEntries(server: SpireServer, identityIds: readonly number[]): SyncResult {
  const td = server.trustDomain;
  const parentId = `spiffe://${td}/cilium-operator`;
  const wanted = new Set(identityIds.filter((id) => Number.isInteger(id) && id >= 256));
  try {
    const existing = server.listEntries({ parentId, selectors: [{ type: 'cilium', value: 'mutual-auth' }], match: 'exact' });
    const have = new Set<number>();
    const deleted: RegistrationEntry[] = [];
    for (const entry of existing) {
      const id = identityOfSpiffeId(td, entry.spiffeId);
      if (id === undefined) continue;
      if (wanted.has(id)) have.add(id);
      else deleted.push(server.deleteEntry(entry.id));
    }
    const created = [...wanted]
      .filter((id) => !have.has(id))
      .sort((a, b) => a - b)
      .map((id) => server.createEntry({ spiffeId: identitySpiffeId(td, id), parentId, selectors: [MUTUAL_AUTH_SELECTOR] }));
    return { ok: true, created, deleted };
  } catch (e) {
    return failed(e);
  }
}
