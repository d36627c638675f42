import { tabwriteText as tabwrite } from '@cilium-sim/core';

/**
 * `cilium-dbg identity list` (pkg/identity/cache FormatIdentities): `ID   LABELS`, one identity
 * per block sorted by number, the first label beside the id and the rest below it. The reserved
 * identities come first because they have the smallest numbers.
 */
export interface IdentityListEntry {
  readonly id: number;
  /** `k8s:org=empire`, `reserved:host`; sorted on output. */
  readonly labels: readonly string[];
  /** Only printed with `--endpoints`: how many local endpoints use the identity. */
  readonly refCount?: number;
}

export function formatIdentityList(entries: readonly IdentityListEntry[], options: { readonly endpoints?: boolean } = {}): string {
  const withRefs = options.endpoints === true;
  let text = withRefs ? 'ID\tLABELS\tREFCOUNT\n' : 'ID\tLABELS\n';
  for (const identity of [...entries].sort((a, b) => a.id - b.id)) {
    const labels = [...identity.labels].sort();
    labels.forEach((label, i) => {
      const id = i === 0 ? String(identity.id) : '';
      const refs = withRefs ? `\t${i === 0 ? String(identity.refCount ?? 0) : ''}` : '';
      text += `${id}\t${label}${refs}\n`;
    });
  }
  return tabwrite(text, { minWidth: 2, padding: 3 });
}
