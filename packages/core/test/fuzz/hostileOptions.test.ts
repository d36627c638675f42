// Options objects a JavaScript caller gets wrong: a misspelt option, null for the options, a
// number where a string goes. Each is refused with a SimError naming the option, never ignored
// (a typo left at its default would run a different cluster than the caller asked for) and
// never a TypeError from inside.
import { describe, expect, it } from 'vitest';
import { Cluster, isSimError, type SimError } from '../../src/index.ts';

const cluster = Cluster.create({ seed: 1, mutualAuth: false });
cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: c, image: nginx}]\n');

function refusal(fn: () => unknown): SimError {
  const before = cluster.state;
  try {
    fn();
  } catch (e) {
    expect(cluster.state).toBe(before);
    if (isSimError(e)) return e;
    throw new Error(`expected a SimError, got ${String(e)}`, { cause: e });
  }
  throw new Error('not refused');
}

describe('options objects', () => {
  it.each<[string, () => unknown, Partial<SimError>]>([
    [
      'a misspelt cluster option',
      () => Cluster.create({ mutualauth: false } as never),
      { code: 'INVALID_FLAG', object: 'cluster options', path: 'mutualauth' },
    ],
    ['a misspelt SPIRE option', () => Cluster.create({ spire: { enable: true } } as never), { path: 'spire.enable' }],
    ['null options to run', () => cluster.run('x', 'nginx', null as never), { object: 'cluster.run', path: 'options' }],
    ['an unknown option to run', () => cluster.run('x', 'nginx', { image: 'nginx' } as never), { object: 'cluster.run', path: 'image' }],
    ['null options to exec', () => cluster.exec('default/web', null as never), { object: 'cluster.exec', path: 'options' }],
    ['a number for outside', () => cluster.outside(5 as never), { object: 'cluster.outside', path: 'ip' }],
  ])('refuses %s', (_name, fn, expected) => {
    expect(refusal(fn)).toMatchObject(expected);
  });

  it('names the options there are', () => {
    expect(refusal(() => Cluster.create({ node: 2 } as never)).message).toBe(
      'cluster options: node: unknown option "node"; options are seed, nodes, mutualAuth, startTime, clusterName, ciliumVersion, externalHosts, encryption, trustDomain, spire, extensions, eventLimit, tetragon',
    );
  });

  it('still takes every option it documents', () => {
    const c = Cluster.create({
      seed: 2,
      nodes: 2,
      mutualAuth: true,
      startTime: '2024-07-04T17:58:00Z',
      clusterName: 'kind-kind',
      ciliumVersion: '1.16',
      externalHosts: { 'api.example.org': '203.0.113.7' },
      encryption: 'wireguard',
      trustDomain: 'spiffe.cilium',
      spire: { enabled: true, operatorEntries: true },
      extensions: [],
      eventLimit: 1_000_000,
      tetragon: true,
    });
    expect(c.options.nodes).toBe(2);
    expect(c.run('x', 'nginx', { namespace: 'default', labels: { app: 'x' }, port: 80 }).ok).toBe(true);
  });
});
