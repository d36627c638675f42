import { removeDotSegments } from '../uriPath.ts';

/**
 * A URL as curl 8 reads one (its URL API, with the scheme guessed when missing), for HTTP and
 * HTTPS: the one URL parser of the sandbox. The CLI's curl and the library's `exec.curl` read
 * URLs here, so what curl prints and what the workload sends cannot disagree.
 */
export interface CurlUrl {
  readonly scheme: 'http' | 'https';
  /** As written (curl does not lowercase it; DNS names match case-insensitively). */
  readonly host: string;
  /** The port to connect to: explicit, or 80 / 443 by scheme. */
  readonly port: number;
  readonly portGiven: boolean;
  /** Path and query as sent on the request line, dot segments removed: `/v1/request-landing?x=1`. */
  readonly path: string;
}

/**
 * Why curl rejects a URL, in no tool's words (curl prints each its own way):
 * - `unsupported-scheme`: not http or https (`ftp://`);
 * - `malformed`: a space or control character anywhere, or an IPv6 literal (the sandbox's
 *   network is IPv4 only);
 * - `bad-hostname`: a character no host name has (`<`, `%`, `*`, ...);
 * - `no-host`: nothing between `//` and the path;
 * - `bad-port`: a port that is not a decimal number up to 65535.
 */
export type CurlUrlProblem = 'unsupported-scheme' | 'malformed' | 'bad-hostname' | 'no-host' | 'bad-port';

export type ParsedCurlUrl =
  | { readonly url: CurlUrl }
  | { readonly problem: CurlUrlProblem /** The scheme refused, for `unsupported-scheme`. */; readonly scheme?: string };

const URL_RE = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)(?::([^/?#]*))?([^#]*)/;
// curl's hostname_check refuses these in a host name; the rest (IDN included) it resolves.
const BAD_HOST_CHAR = /[!"#$%&'()*+,/:;<=>?@[\\\]^`{}]/;

/**
 * `[scheme://][user@]host[:port][/path][?query][#fragment]`; without a scheme, http, as curl
 * guesses. The credentials and the fragment are not sent.
 *
 * @example parseCurlUrl('deathstar.default.svc.cluster.local/v1/request-landing')
 */
export function parseCurlUrl(text: string): ParsedCurlUrl {
  if (hasJunk(text)) return { problem: 'malformed' };
  const m = URL_RE.exec(text)!;
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { problem: 'unsupported-scheme', scheme };
  const host = m[2]!;
  if (host.startsWith('[')) return { problem: 'malformed' };
  if (host === '') return { problem: 'no-host' };
  if (BAD_HOST_CHAR.test(host)) return { problem: 'bad-hostname' };
  const portText = m[3] ?? '';
  if (portText !== '' && (!/^\d+$/.test(portText) || Number(portText) > 65535)) return { problem: 'bad-port' };
  const rest = m[4] ?? '';
  const query = rest.indexOf('?');
  const path = query === -1 ? rest : rest.slice(0, query);
  return {
    url: {
      scheme,
      host,
      port: portText !== '' ? Number(portText) : scheme === 'https' ? 443 : 80,
      portGiven: portText !== '',
      path: `${removeDotSegments(path === '' ? '/' : path)}${query === -1 ? '' : rest.slice(query)}`,
    },
  };
}

/** curl's junk scan: a space or a control character anywhere in a URL. */
function hasJunk(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}
