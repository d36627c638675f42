import type { CommandResult } from '../shell/command.ts';
import type { DnsOutcome } from './dnsOutcome.ts';
import { UsageError } from './usageError.ts';

/** `dig [@SERVER] [+short] NAME [TYPE]` as bind9's dig 9.18 (no search list: names are absolute). */
export interface DigRequest {
  readonly name: string;
  readonly server: string | undefined;
  readonly type: 'A' | 'AAAA';
  readonly short: boolean;
  /** The command line as dig echoes it in its banner. */
  readonly argv: readonly string[];
}

export function parseDig(argv: readonly string[]): DigRequest {
  let server: string | undefined;
  let type: 'A' | 'AAAA' = 'A';
  let short = false;
  let name: string | undefined;
  for (const arg of argv) {
    if (arg.startsWith('@')) server = arg.slice(1);
    else if (arg === '+short') short = true;
    else if (arg.startsWith('+')) continue;
    else if (/^(A|AAAA)$/i.test(arg)) type = arg.toUpperCase() as 'A' | 'AAAA';
    else if (arg.startsWith('-'))
      throw new UsageError({ code: 'INVALID_FLAG', object: 'dig', path: arg, message: `Invalid option: ${arg}` }, 1);
    else name = arg;
  }
  if (name === undefined)
    throw new UsageError(
      { code: 'INVALID_COMMAND', object: 'dig', message: 'dig: a name is required in cilium-sim (dig NAME [@SERVER] [TYPE])' },
      1,
    );
  return { name, server, type, short, argv };
}

/** The parts of dig's report the simulation decides: the message id and timing. */
export interface DigMeta {
  readonly id: number;
  readonly queryTimeMs: number;
  /** Epoch ms, printed in UTC as `Mon Jan 01 00:05:00 UTC 2024`. */
  readonly whenMs: number;
}

const VERSION = '9.18.25';

/**
 * dig's report (or `+short`'s bare addresses). dig exits 0 whatever the rcode; only "no servers
 * could be reached" exits 9, after three `communications error` lines.
 */
export function formatDig(req: DigRequest, outcome: DnsOutcome, meta: DigMeta): CommandResult {
  const banner = `; <<>> DiG ${VERSION} <<>> ${req.argv.join(' ')}\n;; global options: +cmd\n`;
  if (outcome.rcode === 'timeout') {
    const errors = `;; communications error to ${outcome.serverIp}#53: timed out\n`.repeat(3);
    return {
      stdout: req.short ? `${errors};; no servers could be reached\n` : `${errors}\n${banner};; no servers could be reached\n\n`,
      stderr: '',
      exitCode: 9,
    };
  }
  const answers = outcome.rcode === 'NOERROR' ? outcome.answers : [];
  if (req.short) return { stdout: answers.map((a) => `${a.ip}\n`).join(''), stderr: '', exitCode: 0 };
  const fqdn = absolute(req.name);
  const flags = outcome.authoritative ? 'qr aa rd' : 'qr rd ra';
  let text = `\n${banner};; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: ${outcome.rcode}, id: ${meta.id}\n`;
  text += `;; flags: ${flags}; QUERY: 1, ANSWER: ${answers.length}, AUTHORITY: 0, ADDITIONAL: 1\n`;
  if (outcome.authoritative) text += ';; WARNING: recursion requested but not available\n';
  text += `\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n${record([`;${fqdn}`, undefined, 'IN', req.type])}\n\n`;
  if (answers.length > 0) {
    text += `;; ANSWER SECTION:\n${answers.map((a) => record([absolute(a.name), String(a.ttl), 'IN', req.type, a.ip])).join('\n')}\n\n`;
  }
  text += `;; Query time: ${Math.round(meta.queryTimeMs)} msec\n;; SERVER: ${outcome.serverIp}#53(${outcome.server}) (UDP)\n`;
  text += `;; WHEN: ${when(meta.whenMs)}\n;; MSG SIZE  rcvd: ${messageSize(fqdn, answers.length, req.type)}\n\n`;
  return { stdout: text, stderr: '', exitCode: 0 };
}

function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** bind's master-file layout: TTL at column 24, class at 32, type at 40, data at 48 (tabs of 8, a space when past). */
function record(fields: readonly (string | undefined)[]): string {
  const stops = [24, 32, 40, 48];
  let line = fields[0]!;
  fields.slice(1).forEach((f, i) => {
    if (f !== undefined) line = advanceTo(line, stops[i]!) + f;
  });
  return line;
}

function advanceTo(line: string, stop: number): string {
  if (visible(line) >= stop) return `${line} `;
  let out = line;
  while (visible(out) < stop) out += '\t';
  return out;
}

/** Width of a line whose tabs advance to the next multiple of 8. */
function visible(line: string): number {
  let col = 0;
  for (const ch of line) col = ch === '\t' ? (Math.floor(col / 8) + 1) * 8 : col + 1;
  return col;
}

/** Wire size of the response: header, question, compressed answers, and the EDNS OPT record. */
function messageSize(fqdn: string, answers: number, type: 'A' | 'AAAA'): number {
  const nameLength = fqdn === '.' ? 1 : fqdn.length + 1;
  return 12 + nameLength + 4 + answers * (12 + (type === 'A' ? 4 : 16)) + 11;
}

function when(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
