/** DNS types tcpdump names, by number. */
const TYPES: Readonly<Record<number, string>> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 28: 'AAAA', 33: 'SRV', 41: 'OPT' };
const RCODES = ['', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused'];

/**
 * A DNS message as tcpdump's domain printer shows it without -v (print-domain.c): a query as
 * `ID+ A? name.`, an answer as `ID` with its rcode and flags (`*` authoritative, `-` recursion
 * not available), the section counts and the answers (`1/0/0 A 10.96.0.10`). Undefined when the
 * bytes are not a DNS message.
 */
export function decodeDns(b: Uint8Array): string | undefined {
  if (b.length < 12) return undefined;
  const u16 = (i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
  const id = u16(0);
  const flags = u16(2);
  const [qd, an, ns, ar] = [u16(4), u16(6), u16(8), u16(10)];
  let at = 12;
  const name = (): string | undefined => {
    const labels: string[] = [];
    for (let guard = 0; guard < 128; guard++) {
      const len = b[at];
      if (len === undefined) return undefined;
      if (len === 0) {
        at++;
        return labels.length === 0 ? '.' : `${labels.join('.')}.`;
      }
      if ((len & 0xc0) === 0xc0) {
        at += 2;
        return labels.length === 0 ? '.' : `${labels.join('.')}.`;
      }
      labels.push(String.fromCharCode(...b.subarray(at + 1, at + 1 + len)));
      at += 1 + len;
    }
    return undefined;
  };
  const questions: string[] = [];
  for (let i = 0; i < qd; i++) {
    const n = name();
    if (n === undefined) return undefined;
    questions.push(` ${TYPES[u16(at)] ?? `Type${u16(at)}`}? ${n}`);
    at += 4;
  }
  if ((flags & 0x8000) === 0)
    return `${id}${flags & 0x0100 ? '+' : ''}${flags & 0x0010 ? '%' : ''}${an > 0 ? ` [${an}a]` : ''}${qd !== 1 ? ` [${qd}q]` : ''}${ns > 0 ? ` [${ns}n]` : ''}${ar > 0 ? ` [${ar}au]` : ''}${questions.join('')}`;
  const rcode = RCODES[flags & 0x000f] ?? ` Resp${flags & 0x000f}`;
  let out = `${id}${rcode}${flags & 0x0400 ? '*' : ''}${flags & 0x0080 ? '' : '-'}${flags & 0x0200 ? '|' : ''}${flags & 0x0020 ? '$' : ''}`;
  if (qd !== 1) out += ` [${qd}q]`;
  out += ` ${an}/${ns}/${ar}`;
  const answers: string[] = [];
  for (let i = 0; i < an; i++) {
    if (name() === undefined) return undefined;
    const type = u16(at);
    const rdlen = u16(at + 8);
    const rdata = b.subarray(at + 10, at + 10 + rdlen);
    at += 10 + rdlen;
    answers.push(type === 1 && rdlen === 4 ? ` A ${[...rdata].join('.')}` : ` ${TYPES[type] ?? `Type${type}`}`);
  }
  return out + answers.join(',');
}
