// Bad arguments to the library's entry points, as a JavaScript caller (or a typo in TypeScript
// with a cast) can pass them: each is a SimError naming what was wrong, never a TypeError from
// deep inside, and a refused call leaves the cluster's objects the very same state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, isSimError, MAX_ADVANCE_NS, parseDuration, type SimError } from '../../src/index.ts';

const cluster = Cluster.create({ seed: 1, mutualAuth: false });
cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  containers: [{name: c, image: nginx}]\n');

/** Calls `fn`, which must throw a SimError or return a failed result, and change no object. */
function refusal(fn: (c: Cluster) => unknown): SimError {
  const before = cluster.state;
  let error: unknown;
  try {
    const out = fn(cluster) as { ok?: boolean; error?: SimError } | undefined;
    error = out?.ok === false ? out.error : new Error(`not refused: ${JSON.stringify(out)?.slice(0, 200)}`);
  } catch (e) {
    error = e;
  }
  expect(cluster.state).toBe(before);
  if (!isSimError(error)) throw new Error(`expected a SimError, got ${String(error)}`, { cause: error });
  expect(error.message).not.toMatch(/undefined \(reading|is not a function|\[object Object\]/);
  return error;
}

const CASES: [string, (c: Cluster) => unknown, Partial<SimError>][] = [
  ['apply of a non-string', (c) => c.apply(42 as never), { code: 'INVALID_YAML' }],
  ['apply of undefined', (c) => c.apply(undefined as never), { code: 'INVALID_YAML' }],
  ['delete of nothing', (c) => c.delete(undefined as never), { code: 'INVALID_FIELD', object: 'ObjectRef' }],
  ['delete of an unknown kind', (c) => c.delete({ kind: 'Podz', name: 'x' } as never), { code: 'INVALID_FIELD', path: 'kind' }],
  ['delete without a name', (c) => c.delete({ kind: 'Pod', namespace: 'default' } as never), { code: 'INVALID_FIELD', path: 'name' }],
  ['label of null', (c) => c.label(null as never, { a: 'b' }), { code: 'INVALID_FIELD', object: 'ObjectRef' }],
  [
    'label with a bad key',
    (c) => c.label({ kind: 'Pod', namespace: 'default', name: 'web' }, { 'a b': 'c' }),
    { code: 'INVALID_FIELD', path: 'metadata.labels' },
  ],
  [
    'scale to NaN',
    (c) => c.scale({ kind: 'Deployment', namespace: 'default', name: 'web' }, Number.NaN),
    { code: 'INVALID_FLAG', path: '--replicas' },
  ],
  ['run without an image', (c) => c.run('x', ''), { code: 'INVALID_FIELD', path: 'spec.containers[0].image' }],
  ['run with a bad name', (c) => c.run('Bad_Name', 'nginx'), { code: 'INVALID_FIELD', path: 'metadata.name' }],
  ['advance by a negative time', (c) => c.advance(-1), { code: 'INVALID_DURATION' }],
  ['advance by NaN', (c) => c.advance(Number.NaN), { code: 'INVALID_DURATION' }],
  ['advance by undefined', (c) => c.advance(undefined as never), { code: 'INVALID_DURATION' }],
  ['advance by more than a day', (c) => c.advance('25h'), { code: 'LIMIT_EXCEEDED', path: 'duration' }],
  ['advance by years', (c) => c.advance(1e30), { code: 'LIMIT_EXCEEDED' }],
  [
    'flows with a filter field at the top',
    (c) => c.flows({ verdict: ['DROPPED'] } as never),
    { code: 'INVALID_FIELD', object: 'FlowQuery', path: 'verdict' },
  ],
  ['flows of null', (c) => c.flows(null as never), { code: 'INVALID_FIELD', object: 'FlowQuery' }],
  ['flows with a negative last', (c) => c.flows({ last: -3 }), { code: 'INVALID_FIELD', path: 'last' }],
  [
    'flows with an unknown filter field',
    (c) => c.flows({ whitelist: [{ verdicts: ['DROPPED'] } as never] }),
    { code: 'INVALID_FIELD', object: 'FlowFilter', path: 'verdicts' },
  ],
  [
    'flows with a filter value not a list',
    (c) => c.flows({ whitelist: [{ verdict: 'DROPPED' } as never] }),
    { code: 'INVALID_FIELD', path: 'verdict' },
  ],
  [
    'flows with a bad verdict',
    (c) => c.flows({ whitelist: [{ verdict: ['MAYBE' as never] }] }),
    { code: 'INVALID_FIELD', path: 'verdict[0]' },
  ],
  ['flows with a bad regex', (c) => c.flows({ whitelist: [{ httpPath: ['('] }] }), { code: 'INVALID_FIELD', path: 'httpPath[0]' }],
  ['flows with a bad since', (c) => c.flows({ since: '2024-13-45T00:00:00Z' }), { code: 'INVALID_FIELD', path: 'time' }],
  ['outside from a bad address', (c) => c.outside('999.1.1.1'), { code: 'INVALID_FLAG', path: '--ip' }],
  ['exec of no pod', (c) => c.exec(undefined as never), { code: 'INVALID_FIELD', object: 'pod' }],
  ['curl without a URL', (c) => c.exec('default/web').curl(undefined as never), { code: 'INVALID_FLAG', object: 'curl', path: 'url' }],
  [
    'nc to port 99999',
    (c) => c.exec('default/web').nc({ host: 'web', port: 99_999 }),
    { code: 'INVALID_FLAG', object: 'nc', path: 'port' },
  ],
  [
    'curl with a misspelt option',
    (c) => c.exec('default/web').curl({ url: 'http://web', metod: 'POST' } as never),
    { code: 'INVALID_FLAG', object: 'curl', path: 'metod' },
  ],
  [
    'curl --resolve given as a string',
    (c) => c.exec('default/web').curl({ url: 'http://web', resolve: ['web:80:10.0.0.1'] } as never),
    { code: 'INVALID_FLAG', object: 'curl', path: 'resolve[0]' },
  ],
  [
    'curl headers as an object',
    (c) => c.exec('default/web').curl({ url: 'http://web', headers: { accept: '*/*' } } as never),
    { code: 'INVALID_FLAG', object: 'curl', path: 'headers' },
  ],
  ['curl http2 as a word', (c) => c.exec('default/web').curl({ url: 'http://web', http2: 'yes' } as never), { path: 'http2' }],
  [
    'nc with a misspelt option',
    (c) => c.exec('default/web').nc({ host: 'web', port: 80, upd: true } as never),
    { code: 'INVALID_FLAG', object: 'nc', path: 'upd' },
  ],
  ['exec in a missing pod', (c) => c.exec('default/nope').curl({ url: 'http://web' }), { code: 'NOT_FOUND' }],
  [
    'policyTrace with a bad protocol',
    (c) => c.policyTrace('default/web', 'default/web', 80, 'XX' as never),
    { code: 'INVALID_PORT', path: '--dport' },
  ],
  ['policyTrace to port 70000', (c) => c.policyTrace('default/web', 'default/web', 70_000), { code: 'INVALID_PORT', path: '--dport' }],
  ['setConfig with a bad value', (c) => c.setConfig('enable-policy', 'maybe'), { code: 'INVALID_FLAG' }],
];

describe('bad library calls', () => {
  it.each(CASES)('refuses %s with a SimError', (_name, fn, expected) => {
    expect(refusal(fn)).toMatchObject(expected);
  });

  it("refuses a duration past Go's int64 of nanoseconds", () => {
    expect(() => parseDuration('99999999h')).toThrow(/out of range/);
    expect(parseDuration('24h')).toBe(MAX_ADVANCE_NS);
  });

  it('never throws anything but a SimError for junk flow queries', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (query, filter) => {
        for (const q of [query, { whitelist: [filter] }, { blacklist: filter }]) {
          try {
            cluster.flows(q as never);
          } catch (e) {
            if (!isSimError(e)) throw new Error(`raw exception for ${JSON.stringify(q)}: ${String(e)}`, { cause: e });
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never throws anything but a SimError for junk object references', () => {
    fc.assert(
      fc.property(fc.anything(), (ref) => {
        const before = cluster.state;
        try {
          cluster.delete(ref as never);
          cluster.label(ref as never, { a: 'b' });
        } catch (e) {
          if (!isSimError(e)) throw new Error(`raw exception for ${JSON.stringify(ref)}: ${String(e)}`, { cause: e });
          expect(cluster.state).toBe(before);
        }
      }),
      { numRuns: 200 },
    );
  });
});
