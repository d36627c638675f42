import { spire } from '@cilium-sim/core';

type RegistrationEntry = spire.RegistrationEntry;
type AttestedAgent = spire.AttestedAgent;

/**
 * Go's default `time.Time` format, `2006-01-02 15:04:05 -0700 MST`, in UTC as the spire-server
 * container prints it: `2024-07-04 18:58:00 +0000 UTC`.
 */
export function goTimeUtc(epochMs: number): string {
  const iso = new Date(Math.floor(epochMs / 1000) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

/** `1 entry`, `2 entries`: SPIRE's pluralizer. */
function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** An entry as SPIRE 1.9 prints it (17-column labels), with a trailing blank line. */
export function formatEntry(e: RegistrationEntry | (Omit<RegistrationEntry, 'id'> & { id: '' })): string {
  const lines = [
    `Entry ID         : ${e.id === '' ? '(none)' : e.id}`,
    `SPIFFE ID        : ${e.spiffeId}`,
    `Parent ID        : ${e.parentId}`,
    `Revision         : ${e.revision}`,
  ];
  if (e.downstream) lines.push('Downstream       : true');
  lines.push(`X509-SVID TTL    : ${e.x509SvidTtl === 0 ? 'default' : e.x509SvidTtl}`);
  lines.push(`JWT-SVID TTL     : ${e.jwtSvidTtl === 0 ? 'default' : e.jwtSvidTtl}`);
  if (e.expiresAt !== 0) lines.push(`Expiration time  : ${goTimeUtc(e.expiresAt * 1000)}`);
  for (const s of e.selectors) lines.push(`Selector         : ${spire.formatSelector(s)}`);
  for (const d of e.dnsNames) lines.push(`DNS name         : ${d}`);
  if (e.admin) lines.push('Admin            : true');
  return `${lines.join('\n')}\n\n`;
}

/** `entry show` output: `Found N entries` then each entry. */
export function formatEntries(entries: readonly RegistrationEntry[]): string {
  return `Found ${plural(entries.length, 'entry', 'entries')}\n${entries.map(formatEntry).join('')}`;
}

/** `agent list` output, `Can re-attest` included (SPIRE >= 1.7). */
export function formatAgents(agents: readonly AttestedAgent[]): string {
  if (agents.length === 0) return 'No attested agents found\n';
  const blocks = agents.map((a) => {
    const lines = [
      `SPIFFE ID         : ${a.spiffeId}`,
      `Attestation type  : ${a.attestationType}`,
      `Expiration time   : ${goTimeUtc(a.expiresAtMs)}`,
      a.banned ? 'Banned            : true' : `Serial number     : ${a.serial}`,
      `Can re-attest     : ${a.canReattest}`,
    ];
    return `${lines.join('\n')}\n\n`;
  });
  return `Found ${plural(agents.length, 'attested agent', 'attested agents')}:\n\n${blocks.join('')}`;
}
