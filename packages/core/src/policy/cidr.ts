/**
 * IPv4/IPv6 prefixes for CIDR selectors. Addresses are bigints so both families share one
 * containment test; the canonical text (host bits cleared, IPv6 compressed) is what
 * `referencedCidrs` hands the identity allocator, so equal prefixes get one CIDR identity.
 */
export interface Cidr {
  readonly family: 4 | 6;
  readonly bits: bigint;
  readonly prefixLength: number;
  /** `10.0.0.0/8`, `2001:db8::/32`. */
  readonly text: string;
}

/**
 * Parses `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Host bits are
 * cleared as Go's net.ParseCIDR does. Returns undefined for anything else.
 *
 * @example parseCidr('10.96.0.1/12')?.text // '10.96.0.0/12'
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const parsed = addr.includes(':') ? parseIpv6(addr) : parseIpv4(addr);
  if (parsed === undefined) return undefined;
  const width = parsed.family === 4 ? 32 : 128;
  let prefixLength = width;
  if (slash !== -1) {
    const lenText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lenText)) return undefined;
    prefixLength = Number(lenText);
    if (prefixLength > width) return undefined;
  }
  const bits = parsed.bits & mask(parsed.family, prefixLength);
  return Object.freeze({ family: parsed.family, bits, prefixLength, text: `${formatIp(parsed.family, bits)}/${prefixLength}` });
}

/** True when every address of `inner` lies in `outer` (a prefix contains itself). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefixLength < outer.prefixLength) return false;
  return (inner.bits & mask(outer.family, outer.prefixLength)) === outer.bits;
}

function mask(family: 4 | 6, prefixLength: number): bigint {
  const width = BigInt(family === 4 ? 32 : 128);
  const all = (1n << width) - 1n;
  return (all >> BigInt(prefixLength)) ^ all;
}

function parseIpv4(text: string): { family: 4; bits: bigint } | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let bits = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    bits = (bits << 8n) | BigInt(p);
  }
  return { family: 4, bits };
}

function parseIpv6(text: string): { family: 6; bits: bigint } | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let bits = 0n;
  for (const g of [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    bits = (bits << 16n) | BigInt(`0x${g}`);
  }
  return { family: 6, bits };
}

function formatIp(family: 4 | 6, bits: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((bits >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  const [start, len] = longestZeroRun(groups);
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (len < 2) return hex(groups);
  return `${hex(groups.slice(0, start))}::${hex(groups.slice(start + len))}`;
}

/** RFC 5952: compress the longest run of zero groups (the first on a tie). */
function longestZeroRun(groups: readonly number[]): [number, number] {
  let best: [number, number] = [0, 0];
  let i = 0;
  while (i < groups.length) {
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best[1]) best = [i, j - i];
    i = j + 1;
  }
  return best;
}
