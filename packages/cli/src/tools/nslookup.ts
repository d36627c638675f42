import type { CommandResult } from '../shell/command.ts';
import type { DnsOutcome } from './dnsOutcome.ts';
import { UsageError } from './usageError.ts';

/** `nslookup NAME [SERVER]` as bind9's nslookup (netshoot ships bind-tools). */
export interface NslookupRequest {
  readonly name: string;
  readonly server: string | undefined;
}

export function parseNslookup(argv: readonly string[]): NslookupRequest {
  const words = argv.filter((a) => !a.startsWith('-'));
  const bad = argv.find((a) => a.startsWith('-') && !/^-(type|query|q|timeout|retry|port)=/.test(a));
  if (bad !== undefined)
    throw new UsageError({ code: 'INVALID_FLAG', object: 'nslookup', path: bad, message: `*** Invalid option: ${bad.slice(1)}` }, 1);
  if (words.length === 0)
    throw new UsageError(
      {
        code: 'INVALID_COMMAND',
        object: 'nslookup',
        message: 'nslookup: interactive mode is not supported in cilium-sim; give a name: nslookup NAME [SERVER]',
      },
      1,
    );
  return { name: words[0]!, server: words[1] };
}

/**
 * bind9 nslookup output: the server block, then `Name:`/`Address:` pairs (after
 * `Non-authoritative answer:` for forwarded names), or `** server can't find NAME: RCODE`, or the
 * timeout line. Exit 1 unless an answer came back.
 */
export function formatNslookup(outcome: DnsOutcome): CommandResult {
  if (outcome.rcode === 'timeout') {
    return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', exitCode: 1 };
  }
  const header = `Server:\t\t${outcome.server}\nAddress:\t${outcome.serverIp}#53\n\n`;
  if (outcome.rcode !== 'NOERROR') {
    return { stdout: `${header}** server can't find ${outcome.query}: ${outcome.rcode}\n\n`, stderr: '', exitCode: 1 };
  }
  const note = outcome.authoritative ? '' : 'Non-authoritative answer:\n';
  const records = outcome.answers.map((a) => `Name:\t${a.name}\nAddress: ${a.ip}\n`).join('');
  return { stdout: `${header}${note}${records}\n`, stderr: '', exitCode: 0 };
}
