import { type CurlUrl, type CurlUrlProblem, parseCurlUrl } from '@cilium-sim/core';
import { UsageError } from './usageError.ts';
import { MAX_TOOL_WAIT_SECONDS } from './toolWait.ts';

/**
 * curl's command line (the curl 8 that netshoot-style images ship), parsed into a typed request.
 * Short options cluster and take their value from the rest of the word (`-sS`, `-XPOST`,
 * `-sXPOST`), long options take the next word (curl has no `--opt=value`).
 */
export interface CurlRequest {
  readonly url: CurlUrl;
  /** The request method: -X, else HEAD for -I, POST for -d, else GET. */
  readonly method: string;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly data: string | undefined;
  readonly silent: boolean;
  readonly showError: boolean;
  readonly verbose: boolean;
  readonly include: boolean;
  readonly head: boolean;
  readonly insecure: boolean;
  readonly fail: boolean;
  readonly followRedirects: boolean;
  readonly connectTimeoutMs: number | undefined;
  readonly maxTimeMs: number | undefined;
  /** --resolve HOST:PORT:ADDR pins a name to an address for one port, bypassing DNS. */
  readonly resolve: readonly { readonly host: string; readonly port: number; readonly ip: string }[];
  /** -o FILE: the body goes there (the caller writes it; /dev/null discards it), not to stdout. */
  readonly output: string | undefined;
  /** -w FORMAT as written; formatted by the outcome printer. */
  readonly writeOut: string | undefined;
  readonly userAgent: string | undefined;
}

type OptionName =
  | 'silent'
  | 'show-error'
  | 'verbose'
  | 'include'
  | 'head'
  | 'insecure'
  | 'fail'
  | 'location'
  | 'no-progress-meter'
  | 'request'
  | 'header'
  | 'data'
  | 'connect-timeout'
  | 'max-time'
  | 'resolve'
  | 'output'
  | 'write-out'
  | 'user-agent'
  | 'retry';

interface OptionSpec {
  readonly name: OptionName;
  readonly short?: string;
  readonly value: boolean;
  readonly aliases?: readonly string[];
}

const OPTIONS: readonly OptionSpec[] = [
  { name: 'silent', short: 's', value: false },
  { name: 'show-error', short: 'S', value: false },
  { name: 'verbose', short: 'v', value: false },
  { name: 'include', short: 'i', value: false, aliases: ['show-headers'] },
  { name: 'head', short: 'I', value: false },
  { name: 'insecure', short: 'k', value: false },
  { name: 'fail', short: 'f', value: false },
  { name: 'location', short: 'L', value: false },
  { name: 'no-progress-meter', value: false },
  { name: 'request', short: 'X', value: true },
  { name: 'header', short: 'H', value: true },
  { name: 'data', short: 'd', value: true, aliases: ['data-raw', 'data-binary', 'data-ascii'] },
  { name: 'connect-timeout', value: true },
  { name: 'max-time', short: 'm', value: true },
  { name: 'resolve', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'write-out', short: 'w', value: true },
  { name: 'user-agent', short: 'A', value: true },
  { name: 'retry', value: true },
];

function curlError(message: string, exitCode: number, path?: string): UsageError {
  return new UsageError(
    { code: exitCode === 2 ? 'INVALID_FLAG' : 'INVALID_COMMAND', object: 'curl', ...(path === undefined ? {} : { path }), message },
    exitCode,
  );
}

function usage(message: string, path?: string): UsageError {
  return curlError(`curl: ${message}\ncurl: try 'curl --help' for more information`, 2, path);
}

/** An option as given: `written` is how the user spelled it (`-m` or `--max-time`), as curl's messages name it. */
interface ScannedOption {
  readonly spec: OptionSpec;
  readonly written: string;
  readonly value: string;
}

/** Reads argv (without `curl`) into an option list and the URL words. */
function scan(argv: readonly string[]): { opts: ScannedOption[]; urls: string[] } {
  const opts: ScannedOption[] = [];
  const urls: string[] = [];
  const take = (written: string, i: number): string => {
    if (i >= argv.length) throw usage(`option ${written}: requires parameter`, written);
    return argv[i]!;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--') && arg.length > 2) {
      const name = arg.slice(2);
      const spec = OPTIONS.find((o) => o.name === name || o.aliases?.includes(name));
      if (spec === undefined) throw usage(`option ${arg}: is unknown`, arg);
      opts.push({ spec, written: arg, value: spec.value ? take(arg, ++i) : '' });
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let k = 1; k < arg.length; k++) {
        const spec = OPTIONS.find((o) => o.short === arg[k]);
        if (spec === undefined) throw usage(`option -${arg.slice(k)}: is unknown`, `-${arg[k]}`);
        if (!spec.value) {
          opts.push({ spec, written: `-${arg[k]}`, value: '' });
          continue;
        }
        const rest = arg.slice(k + 1);
        opts.push({ spec, written: `-${arg[k]}`, value: rest !== '' ? rest : take(`-${arg[k]}`, ++i) });
        break;
      }
    } else {
      urls.push(arg);
    }
  }
  return { opts, urls };
}

/**
 * Parses a curl command line. Throws a UsageError with curl's message and exit status
 * (2 for bad options, 3 for a malformed URL, 1 for an unsupported protocol).
 *
 * @example parseCurl(['-s', '-XPOST', 'deathstar.default.svc.cluster.local/v1/request-landing'])
 */
export function parseCurl(argv: readonly string[]): CurlRequest {
  const { opts, urls } = scan(argv);
  if (urls.length === 0) throw usage('no URL specified');
  if (urls.length > 1)
    throw curlError(`curl: several URLs in one command are not supported in cilium-sim; run curl once per URL`, 2, urls[1]);
  const has = (n: OptionName): boolean => opts.some((o) => o.spec.name === n);
  const lastOption = (n: OptionName): ScannedOption | undefined => opts.filter((o) => o.spec.name === n).pop();
  const last = (n: OptionName): string | undefined => lastOption(n)?.value;
  const all = (n: OptionName): string[] => opts.filter((o) => o.spec.name === n).map((o) => o.value);
  const data = all('data');
  const head = has('head');
  checkRetry(lastOption('retry'));
  return {
    url: parseUrl(urls[0]!),
    method: last('request') ?? (head ? 'HEAD' : data.length > 0 ? 'POST' : 'GET'),
    headers: all('header').map(parseHeader),
    data: data.length > 0 ? data.join('&') : undefined,
    silent: has('silent'),
    showError: has('show-error'),
    verbose: has('verbose'),
    include: has('include'),
    head,
    insecure: has('insecure'),
    fail: has('fail'),
    followRedirects: has('location'),
    connectTimeoutMs: seconds(lastOption('connect-timeout')),
    maxTimeMs: seconds(lastOption('max-time')),
    resolve: all('resolve').map(parseResolve),
    output: last('output'),
    writeOut: last('write-out'),
    userAgent: last('user-agent'),
  };
}

/**
 * curl takes fractional seconds (`--connect-timeout 0.5`), in its words when they are not: a
 * negative number is not positive, a word is not numerical. Past a day curl would wait, but a
 * command in cilium-sim waits at most MAX_TOOL_WAIT_SECONDS of virtual time.
 */
function seconds(option: ScannedOption | undefined): number | undefined {
  if (option === undefined) return undefined;
  const { written, value } = option;
  if (/^-(\d+(\.\d*)?|\.\d+)$/.test(value)) throw usage(`option ${written}: expected a positive numerical parameter`, written);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) throw usage(`option ${written}: expected a proper numerical parameter`, written);
  if (Number(value) > MAX_TOOL_WAIT_SECONDS)
    throw usage(`option ${written}: too large number (cilium-sim waits at most ${MAX_TOOL_WAIT_SECONDS} seconds)`, written);
  return Math.round(Number(value) * 1000);
}

/** --retry N: curl's count of retries, a whole number (the simulation never needs one). */
function checkRetry(option: ScannedOption | undefined): void {
  if (option !== undefined && !/^\d+$/.test(option.value))
    throw usage(`option ${option.written}: expected a proper numerical parameter`, option.written);
}

function parseHeader(text: string): { name: string; value: string } {
  const colon = text.indexOf(':');
  if (colon <= 0) return { name: text.replace(/;$/, ''), value: '' };
  return { name: text.slice(0, colon).trim(), value: text.slice(colon + 1).trim() };
}

function parseResolve(text: string): { host: string; port: number; ip: string } {
  const m = /^([^:]+):(\d+):\[?([0-9a-fA-F:.]+)\]?$/.exec(text);
  if (m === null) throw curlError(`curl: Couldn't parse CURLOPT_RESOLVE entry '${text}'`, 2, '--resolve');
  return { host: m[1]!, port: Number(m[2]), ip: m[3]! };
}

/** curl's words and exit code for each URL core's parser refuses. */
const URL_REJECTED: Readonly<Record<Exclude<CurlUrlProblem, 'unsupported-scheme'>, string>> = {
  malformed: 'Malformed input to a URL function',
  'bad-hostname': 'Bad hostname',
  'no-host': 'No host part in the URL',
  'bad-port': 'Port number was not a decimal number between 0 and 65535',
};

/** The URL as curl reads it (core's parser), or curl's refusal: exit 1 for a protocol, else 3. */
function parseUrl(text: string): CurlUrl {
  const parsed = parseCurlUrl(text);
  if ('url' in parsed) return parsed.url;
  if (parsed.problem === 'unsupported-scheme') throw curlError(`curl: (1) Protocol "${parsed.scheme}" not supported`, 1, text);
  throw curlError(`curl: (3) URL rejected: ${URL_REJECTED[parsed.problem]}`, 3, text);
}
