/**
 * IPv4 addresses as numbers, the arithmetic the address plan, the ipcache and Hubble's IP
 * filters share, and the test curl, nc and the cluster options use for "an address, not a
 * name". (Policy CIDRs, which may be IPv6, have their own parser in policy/cidr.ts; the API
 * server's stricter check, no leading zeros, is k8s/names.ts's isIPv4.)
 */

/** `10.244.1.5` -> 183763205. The caller knows the text is an address. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** The address, or undefined when `text` is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return ipToInt(text);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** The first address of the /`len` network holding `addr`. */
export function networkOf(addr: number, len: number): number {
  const size = 2 ** (32 - len);
  return Math.floor(addr / size) * size;
}

/** True when `ip` lies in `cidr` (`10.244.1.0/24`; a bare address is a /32). */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split('/');
  const len = bits === undefined ? 32 : Number(bits);
  return networkOf(ipToInt(ip), len) === networkOf(ipToInt(base!), len);
}
