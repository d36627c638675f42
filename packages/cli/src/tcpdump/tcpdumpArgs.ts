import { UsageError } from '../tools/usageError.ts';

export interface TcpdumpArgs {
  /** `-i`: `any`, or one interface; tcpdump's default is the first one, `eth0`. */
  readonly iface: string;
  /** `-c N`: stop after N packets. */
  readonly count: number | undefined;
  /** `-w FILE`: write a capture file instead of printing (`-` for stdout). */
  readonly writeFile: string | undefined;
  /** `-t`: no timestamps. */
  readonly timestamps: boolean;
  /** `-S`: absolute TCP sequence numbers. */
  readonly absolute: boolean;
  /** The filter expression, the words after the options. */
  readonly expression: string;
  /** What `-h`, `--help` or `--version` print on stdout instead of capturing (status 0). */
  readonly info?: string;
}

const USAGE = `Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
`;

const VERSION = 'tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\n';

function usage(first: string): UsageError {
  return new UsageError({ code: 'INVALID_FLAG', object: 'tcpdump', message: `${first}\n${VERSION}${USAGE}` }, 1);
}

/** getopt_long's options tcpdump answers at once: help and the version, on stdout, status 0. */
const INFO: Readonly<Record<string, string>> = { '-h': VERSION + USAGE, '--help': VERSION + USAGE, '--version': VERSION };

/** Options that take a value (getopt's `c:`), and those the simulator accepts and ignores. */
const WITH_VALUE = new Set(['c', 'i', 'w', 's', 'B', 'C', 'E', 'F', 'G', 'j', 'M', 'Q', 'r', 'T', 'V', 'W', 'y', 'z', 'Z']);
const IGNORED = new Set(['n', 'l', 'p', 'U', 'N', 's', 'B', 'K']);

/** Options tcpdump has that change what it prints in ways the simulator does not model. */
const NOT_MODELLED: Readonly<Record<string, string>> = {
  v: 'verbose decoding (-v)',
  A: 'payload printing (-A)',
  X: 'payload printing (-X)',
  x: 'payload printing (-x)',
  e: 'link-level headers (-e)',
  q: 'quiet output (-q)',
  r: 'reading a capture file (-r)',
  D: 'listing interfaces (-D)',
  L: 'listing link types (-L)',
  C: 'file rotation (-C)',
  G: 'file rotation (-G)',
  W: 'file rotation (-W)',
  E: 'ESP decryption (-E)',
  F: 'filter files (-F)',
  y: 'choosing the link type (-y)',
  Q: 'choosing the direction (-Q)',
  T: 'forced decoding (-T)',
  z: 'post-rotate commands (-z)',
  Z: 'dropping privileges (-Z)',
  V: 'file lists (-V)',
  M: 'TCP-MD5 secrets (-M)',
  j: 'timestamp types (-j)',
};

/**
 * Reads tcpdump's command line as getopt does: options cluster (`-nn`, `-nni any`), values may
 * follow attached (`-c5`) or separately, and the first word that is not an option starts the
 * filter expression (the rest of the line, joined).
 */
export function parseTcpdump(args: readonly string[]): TcpdumpArgs {
  let iface = 'eth0';
  let count: number | undefined;
  let writeFile: string | undefined;
  let timestamps = true;
  let absolute = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const info = INFO[a];
    if (info !== undefined) return { iface, count, writeFile, timestamps, absolute, expression: '', info };
    // Packets are handed over as they come in any case: --immediate-mode changes nothing here.
    if (a === '--immediate-mode') continue;
    if (a.startsWith('--')) throw usage(`tcpdump: unrecognized option '${a}'`);
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      if (c === 'h') return { iface, count, writeFile, timestamps, absolute, expression: '', info: VERSION + USAGE };
      if (NOT_MODELLED[c] !== undefined)
        throw new UsageError({
          code: 'INVALID_FLAG',
          object: 'tcpdump',
          path: `-${c}`,
          message: `cilium-sim: tcpdump's ${NOT_MODELLED[c]} is not modelled; the simulator prints packets as tcpdump -nn does`,
        });
      if (!WITH_VALUE.has(c) && !'ntSlpUNK'.includes(c)) throw usage(`tcpdump: invalid option -- '${c}'`);
      if (!WITH_VALUE.has(c)) {
        if (c === 't') timestamps = false;
        if (c === 'S') absolute = true;
        continue;
      }
      const value = k + 1 < a.length ? a.slice(k + 1) : args[++i];
      if (value === undefined) throw usage(`tcpdump: option requires an argument -- '${c}'`);
      if (c === 'i') iface = value;
      else if (c === 'w') writeFile = value;
      else if (c === 'c') {
        if (!/^\d+$/.test(value) || Number(value) === 0)
          throw new UsageError({ code: 'INVALID_FLAG', object: 'tcpdump', path: '-c', message: `tcpdump: invalid packet count ${value}` });
        count = Number(value);
      } else if (!IGNORED.has(c)) throw usage(`tcpdump: invalid option -- '${c}'`);
      break;
    }
  }
  return { iface, count, writeFile, timestamps, absolute, expression: args.slice(i).join(' ') };
}
