import type { tetragon } from '@cilium-sim/core';

type RuntimeEvent = tetragon.RuntimeEvent;

/** fatih/color's SGR codes, as tetra's Colorer uses them; identity functions when colour is off. */
interface Colorer {
  readonly blue: (s: string) => string;
  readonly green: (s: string) => string;
  readonly magenta: (s: string) => string;
  readonly cyan: (s: string) => string;
  readonly red: (s: string) => string;
}

function sgr(code: number): (s: string) => string {
  return (s) => `\x1b[${code}m${s}\x1b[0m`;
}

const COLORS: Colorer = { blue: sgr(34), green: sgr(32), magenta: sgr(35), cyan: sgr(36), red: sgr(31) };
const PLAIN: Colorer = { blue: (s) => s, green: (s) => s, magenta: (s) => s, cyan: (s) => s, red: (s) => s };

/** Go's `%-7s`: the event name padded to seven columns. */
function pad7(s: string): string {
  return s.padEnd(7);
}

/**
 * One event as `tetra getevents -o compact` prints it (pkg/encoder CompactEncoder, Tetragon
 * v1.1): an emoji and the event name, the pod as `namespace/name` (the node's name for a
 * process outside any pod), the binary, then what the event adds: the arguments, the exit
 * status (or signal), or the connected socket.
 *
 * @example compactLine(e, false) === '🚀 process default/xwing /usr/bin/curl -s http://deathstar/v1/'
 */
export function compactLine(e: RuntimeEvent, color: boolean): string {
  const c = color ? COLORS : PLAIN;
  const p = e.process;
  const source = c.green(p.pod === undefined ? e.nodeName : `${p.pod.namespace}/${p.pod.name}`);
  const processInfo = `${source} ${c.magenta(p.binary)}`;
  switch (e.type) {
    case 'process_exec':
      return `${c.blue(`🚀 ${pad7('process')}`)} ${processInfo} ${c.cyan(p.arguments)}`;
    case 'process_exit': {
      const status = c.red(e.signal ?? String(e.status));
      return `${c.blue(`💥 ${pad7('exit')}`)} ${processInfo} ${c.cyan(p.arguments)} ${status}`;
    }
    case 'process_kprobe': {
      const s = e.sock;
      return `${c.blue(`🔌 ${pad7('connect')}`)} ${processInfo} ${c.cyan(`tcp ${s.saddr}:${s.sport} -> ${s.daddr}:${s.dport}`)}`;
    }
  }
}

/**
 * Go's `2006-01-02T15:04:05.000000000Z07:00` of an event's time, as `--timestamps` prefixes
 * each compact line: always nine fraction digits.
 */
export function compactTimestamp(e: RuntimeEvent): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(e.time);
  if (m === null) return e.time;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
}
