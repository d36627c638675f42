import { describe, expect, it } from 'vitest';
import { parseCurl } from '../../src/tools/curl.ts';
import { formatCurl } from '../../src/tools/curlOutput.ts';
import type { CurlOutcome } from '../../src/tools/curlOutput.ts';
import { UsageError } from '../../src/tools/usageError.ts';

function refused(argv: string[]): UsageError {
  try {
    parseCurl(argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

const ok: CurlOutcome = {
  kind: 'response',
  status: 200,
  statusText: 'OK',
  headers: [{ name: 'content-type', value: 'text/plain' }],
  body: 'Ship landed\n',
  elapsedMs: 3,
  remoteIp: '10.96.141.40',
};
const denied: CurlOutcome = {
  kind: 'response',
  status: 403,
  statusText: 'Forbidden',
  headers: [
    { name: 'content-length', value: '15' },
    { name: 'content-type', value: 'text/plain' },
    { name: 'server', value: 'envoy' },
  ],
  body: 'Access denied\r\n',
  elapsedMs: 2,
  remoteIp: '10.96.141.40',
};

describe('parseCurl', () => {
  it('reads the Star Wars request: -s, -XPOST clustered, URL without scheme', () => {
    const r = parseCurl(['-s', '-XPOST', 'deathstar.default.svc.cluster.local/v1/request-landing']);
    expect(r).toMatchObject({
      method: 'POST',
      silent: true,
      url: { scheme: 'http', host: 'deathstar.default.svc.cluster.local', port: 80, path: '/v1/request-landing' },
    });
    expect(parseCurl(['-sXPUT', 'http://deathstar/v1/exhaust-port'])).toMatchObject({ method: 'PUT', silent: true });
    expect(parseCurl(['--request', 'DELETE', 'x'])).toMatchObject({ method: 'DELETE' });
  });

  it('reads headers, data, timeouts in fractional seconds, --resolve, -o and -w', () => {
    const r = parseCurl([
      '-H',
      'X-Has-Force: True',
      '-d',
      'a=1',
      '--connect-timeout',
      '1.5',
      '-m',
      '5',
      '--resolve',
      'api.example.com:443:10.0.0.5',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      'https://api.example.com:443/x?y=1',
    ]);
    expect(r).toMatchObject({
      method: 'POST',
      headers: [{ name: 'X-Has-Force', value: 'True' }],
      data: 'a=1',
      connectTimeoutMs: 1500,
      maxTimeMs: 5000,
      resolve: [{ host: 'api.example.com', port: 443, ip: '10.0.0.5' }],
      output: '/dev/null',
      writeOut: '%{http_code}',
      url: { scheme: 'https', port: 443, portGiven: true, path: '/x?y=1' },
    });
  });

  it('refuses unknown options and missing values as curl does (exit 2)', () => {
    const e = refused(['--bogus', 'x']);
    expect([e.stderr, e.exitCode]).toEqual(["curl: option --bogus: is unknown\ncurl: try 'curl --help' for more information\n", 2]);
    expect(refused(['-X']).stderr).toBe("curl: option -X: requires parameter\ncurl: try 'curl --help' for more information\n");
    expect(refused(['-s']).stderr).toBe("curl: no URL specified\ncurl: try 'curl --help' for more information\n");
    expect(refused(['--connect-timeout', 'soon', 'x']).stderr).toMatch(/expected a proper numerical parameter/);
  });

  it('refuses unsupported protocols (1) and malformed ports (3)', () => {
    expect([refused(['ftp://x/']).stderr, refused(['ftp://x/']).exitCode]).toEqual(['curl: (1) Protocol "ftp" not supported\n', 1]);
    expect(refused(['http://x:99999/']).exitCode).toBe(3);
  });

  it('words each URL core refuses as curl 8 does, exit 3', () => {
    const rejected = (url: string): [string, number] => [refused([url]).stderr, refused([url]).exitCode];
    expect(rejected('deathstar/a b')).toEqual(['curl: (3) URL rejected: Malformed input to a URL function\n', 3]);
    expect(rejected('http:///v1')).toEqual(['curl: (3) URL rejected: No host part in the URL\n', 3]);
    expect(rejected('http://x:99999/')).toEqual(['curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n', 3]);
    expect(rejected('http://death<star/')).toEqual(['curl: (3) URL rejected: Bad hostname\n', 3]);
  });
});

describe('formatCurl', () => {
  it('prints the body and exits 0', () => {
    expect(formatCurl(parseCurl(['-s', 'deathstar/v1/']), ok)).toEqual({ stdout: 'Ship landed\n', stderr: '', exitCode: 0 });
  });

  it('prints only the -w text when the body goes to /dev/null', () => {
    expect(formatCurl(parseCurl(['-s', '-o', '/dev/null', '-w', '%{http_code}\\n', 'echo:3000/headers']), ok).stdout).toBe('200\n');
  });

  it('prints the L7 denial body; with -f it exits 22 instead', () => {
    expect(formatCurl(parseCurl(['-s', '-XPUT', 'deathstar/v1/exhaust-port']), denied)).toMatchObject({
      stdout: 'Access denied\r\n',
      exitCode: 0,
    });
    expect(formatCurl(parseCurl(['-sSf', 'deathstar/v1/exhaust-port']), denied)).toEqual({
      stdout: '',
      stderr: 'curl: (22) The requested URL returned error: 403\n',
      exitCode: 22,
    });
  });

  it('prints the status line and headers with -i', () => {
    expect(formatCurl(parseCurl(['-si', 'deathstar/x']), denied).stdout).toBe(
      'HTTP/1.1 403 Forbidden\r\ncontent-length: 15\r\ncontent-type: text/plain\r\nserver: envoy\r\n\r\nAccess denied\r\n',
    );
  });

  it('reports failures with curl 8 messages and exit codes', () => {
    const req = parseCurl(['--connect-timeout', '1', 'http://deathstar.default.svc.cluster.local/v1/']);
    expect(formatCurl(req, { kind: 'error', failure: 'resolve', elapsedMs: 2 })).toEqual({
      stdout: '',
      stderr: 'curl: (6) Could not resolve host: deathstar.default.svc.cluster.local\n',
      exitCode: 6,
    });
    expect(formatCurl(req, { kind: 'error', failure: 'refused', elapsedMs: 3 }).stderr).toBe(
      "curl: (7) Failed to connect to deathstar.default.svc.cluster.local port 80 after 3 ms: Couldn't connect to server\n",
    );
    expect(formatCurl(req, { kind: 'error', failure: 'connect-timeout', elapsedMs: 1001 })).toMatchObject({
      stderr: 'curl: (28) Failed to connect to deathstar.default.svc.cluster.local port 80 after 1001 ms: Timeout was reached\n',
      exitCode: 28,
    });
    const maxTime = parseCurl(['-m', '2', 'deathstar']);
    expect(formatCurl(maxTime, { kind: 'error', failure: 'connect-timeout', elapsedMs: 2002 }).stderr).toBe(
      'curl: (28) Connection timed out after 2002 milliseconds\n',
    );
    expect(formatCurl(maxTime, { kind: 'error', failure: 'timeout', elapsedMs: 2002 }).stderr).toBe(
      'curl: (28) Operation timed out after 2002 milliseconds with 0 bytes received\n',
    );
  });

  it('silences the error with -s, still prints -w, and shows it again with -S', () => {
    const timeout: CurlOutcome = { kind: 'error', failure: 'connect-timeout', elapsedMs: 2000 };
    expect(formatCurl(parseCurl(['-s', '-o', '/dev/null', '-w', '%{http_code}', '--connect-timeout', '2', 'x']), timeout)).toEqual({
      stdout: '000',
      stderr: '',
      exitCode: 28,
    });
    expect(formatCurl(parseCurl(['-sS', '--connect-timeout', '2', 'x']), timeout).stderr).toMatch(/^curl: \(28\) /);
  });
});
