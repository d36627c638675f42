import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCurlUrl } from '../../src/workload/curlUrl.ts';

describe('parseCurlUrl', () => {
  it('guesses http without a scheme and takes the port from the scheme', () => {
    expect(parseCurlUrl('deathstar.default.svc.cluster.local/v1/request-landing')).toEqual({
      url: { scheme: 'http', host: 'deathstar.default.svc.cluster.local', port: 80, portGiven: false, path: '/v1/request-landing' },
    });
    expect(parseCurlUrl('HTTPS://api.example.com?q=1#top')).toEqual({
      url: { scheme: 'https', host: 'api.example.com', port: 443, portGiven: false, path: '/?q=1' },
    });
    expect(parseCurlUrl('http://echo:8080')).toEqual({ url: { scheme: 'http', host: 'echo', port: 8080, portGiven: true, path: '/' } });
  });

  it('drops credentials and removes dot segments from the path, not the query, as curl does', () => {
    expect(parseCurlUrl('http://luke:force@deathstar/v1/./a/../b?next=../x')).toEqual({
      url: { scheme: 'http', host: 'deathstar', port: 80, portGiven: false, path: '/v1/b?next=../x' },
    });
    expect(parseCurlUrl('deathstar/v1/..')).toMatchObject({ url: { path: '/' } });
  });

  it('refuses what curl refuses, saying why', () => {
    expect(parseCurlUrl('ftp://x/')).toEqual({ problem: 'unsupported-scheme', scheme: 'ftp' });
    expect(parseCurlUrl('http://x:99999/')).toEqual({ problem: 'bad-port' });
    expect(parseCurlUrl('http://x:8o/')).toEqual({ problem: 'bad-port' });
    expect(parseCurlUrl('http:///v1')).toEqual({ problem: 'no-host' });
    expect(parseCurlUrl('deathstar/a b')).toEqual({ problem: 'malformed' });
    expect(parseCurlUrl('http://[::1]/')).toEqual({ problem: 'malformed' });
    expect(parseCurlUrl('http://death<star/')).toEqual({ problem: 'bad-hostname' });
  });

  it('reads the URL it parsed, spelled out with its port, back alike (what the CLI hands the library)', () => {
    const word = fc.stringMatching(/^[a-z0-9][-a-z0-9._~]{0,8}$/);
    const url = fc.record({
      scheme: fc.constantFrom('', 'http://', 'https://', 'HTTP://'),
      host: fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?(\.[a-z0-9]{1,5}){0,2}$/),
      port: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
      path: fc.array(fc.oneof(word, fc.constantFrom('.', '..', '')), { maxLength: 4 }),
      query: fc.option(fc.array(word, { maxLength: 2 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(url, (u) => {
        const text = `${u.scheme}${u.host}${u.port === undefined ? '' : `:${u.port}`}${u.path.map((s) => `/${s}`).join('')}${u.query === undefined ? '' : `?${u.query.join('&')}`}`;
        const first = parseCurlUrl(text);
        if (!('url' in first)) throw new Error(`${text}: ${first.problem}`);
        const { scheme, host, port, path } = first.url;
        const again = parseCurlUrl(`${scheme}://${host}:${port}${path}`);
        expect(again).toEqual({ url: { ...first.url, portGiven: true } });
      }),
      { numRuns: 300 },
    );
  });
});
