// The library's promises to a JavaScript caller: junk refused with a SimError by every public
// entry, listeners that throw or call back never leave the cluster half-applied, faults clear.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, isSimError, type SimError } from '../../src/index.ts';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  containers: [{name: c, image: nginx}]\n';
const cluster = Cluster.create({ seed: 1 });
cluster.apply(POD);

function refused(fn: () => unknown): SimError {
  const before = cluster.state;
  let error: unknown;
  try {
    fn();
    error = new Error('not refused');
  } catch (e) {
    error = e;
  }
  expect(cluster.state).toBe(before);
  if (!isSimError(error)) throw new Error(`expected a SimError, got ${String(error)}`, { cause: error });
  return error;
}

/** A junk argument whose conversion to text throws, as a careless caller's object might. */
const THROWING = {
  toString(): string {
    throw new Error('toString called');
  },
};

const CASES: [string, () => unknown, Partial<SimError>][] = [
  ['create with null options', () => Cluster.create(null as never), { code: 'INVALID_FLAG', object: 'cluster options' }],
  ['create with a null seed', () => Cluster.create({ seed: null } as never), { code: 'INVALID_FLAG', path: 'seed' }],
  ['create with an Infinity start', () => Cluster.create({ startTime: Number.POSITIVE_INFINITY }), { path: 'startTime' }],
  ['create with a NaN start', () => Cluster.create({ startTime: Number.NaN }), { path: 'startTime' }],
  ['create with a non-boolean mutualAuth', () => Cluster.create({ mutualAuth: 'no' } as never), { path: 'mutualAuth' }],
  ['create with a bad cluster name', () => Cluster.create({ clusterName: 'Bad Name' }), { path: 'clusterName' }],
  ['create with spire null', () => Cluster.create({ spire: 'on' } as never), { path: 'spire' }],
  ['create with hosts not an object', () => Cluster.create({ externalHosts: 'x' } as never), { path: 'externalHosts' }],
  ['list of an unknown kind', () => cluster.list('Podz' as never), { code: 'INVALID_FIELD', path: 'kind' }],
  ['list of a non-string namespace', () => cluster.list('Pod', 7 as never), { path: 'namespace' }],
  ['get of an unknown kind', () => cluster.get('Nope' as never, 'x'), { path: 'kind' }],
  ['advance by Infinity', () => cluster.advance(Number.POSITIVE_INFINITY), { code: 'INVALID_DURATION' }],
  ['advance by null', () => cluster.advance(null as never), { code: 'INVALID_DURATION' }],
  [
    'curl with a NaN timeout',
    () => cluster.exec('default/web').curl({ url: 'http://web', connectTimeoutMs: Number.NaN }),
    { path: 'connectTimeoutMs' },
  ],
  [
    'curl with an Infinity max time',
    () => cluster.exec('default/web').curl({ url: 'http://web', maxTimeMs: Infinity }),
    { path: 'maxTimeMs' },
  ],
  [
    'curl with a negative timeout',
    () => cluster.exec('default/web').curl({ url: 'http://web', connectTimeoutMs: -1 }),
    { path: 'connectTimeoutMs' },
  ],
  ['nc with a NaN timeout', () => cluster.exec('default/web').nc({ host: 'web', port: 80, timeoutS: Number.NaN }), { path: 'timeoutS' }],
  ['nslookup of null', () => cluster.exec('default/web').nslookup(null as never), { path: 'name' }],
  ['on an unknown event', () => cluster.on('flows' as never, () => {}), { path: 'type' }],
  ['on without a handler', () => cluster.on('flow', null as never), { path: 'handler' }],
  ['setConfig with a null value', () => cluster.setConfig('debug', null as never), { path: 'value' }],
  ['deleteConfig of a number', () => cluster.deleteConfig(3 as never), { path: 'key' }],
  // An object whose toString is not a function cannot be turned into text: the message quotes it as JSON.
  [
    'audit mode of a junk object',
    () => cluster.setEndpointAuditMode('default/web', [{ toString: '' }] as never),
    { path: 'PolicyAuditMode' },
  ],
  ['audit mode of a missing pod', () => cluster.setEndpointAuditMode('default/nope', true), { code: 'NOT_FOUND' }],
  ['clock skew of NaN', () => cluster.faults.clockSkew('kind-worker', Number.NaN), { path: 'skew' }],
  ['clock skew of a century', () => cluster.faults.clockSkew('kind-worker', '876000h'), { path: 'skew' }],
  ['clock skew of a fraction', () => cluster.faults.clockSkew('kind-worker', 0.5), { path: 'skew' }],
  ['agent down on a non-string node', () => cluster.faults.spireAgentDown({} as never), { path: 'node' }],
  ['agent down on a missing node', () => cluster.faults.spireAgentDown('kind-worker9'), { code: 'NOT_FOUND', path: 'node' }],
  ['a bad trust domain', () => cluster.faults.trustDomainMismatch('kind-worker', 'Not A Domain'), { path: 'trustDomain' }],
  ['apply with null options', () => cluster.apply(POD, null as never), { path: 'options' }],
  ['host of an object whose toString throws', () => cluster.host(THROWING as never), { path: 'node' }],
  ['capture of an object whose toString throws', () => cluster.capture(THROWING as never), { path: 'node' }],
  ['capture with a filter that is not a function', () => cluster.capture('kind-worker', 'tcp' as never), { path: 'filter' }],
  ['create with a junk ciliumVersion', () => Cluster.create({ ciliumVersion: THROWING } as never), { path: 'ciliumVersion' }],
  ['create with a junk encryption', () => Cluster.create({ encryption: THROWING } as never), { path: 'encryption' }],
  ['create with a junk extension', () => Cluster.create({ extensions: [THROWING] } as never), { path: 'extensions[0]' }],
  ['advance by a fraction of a nanosecond', () => cluster.advance(1.5), { code: 'INVALID_DURATION', path: 'duration' }],
  ['policyTrace with a NaN port', () => cluster.policyTrace('default/web', 'default/web', Number.NaN), { code: 'INVALID_PORT' }],
];

describe('every public entry refuses junk', () => {
  it.each(CASES)('refuses %s with a SimError', (_name, fn, expected) => {
    expect(refused(fn)).toMatchObject(expected);
  });

  it('never throws anything but a SimError for junk arguments', () => {
    const calls: ((a: unknown, b: unknown) => unknown)[] = [
      (a, b) => cluster.list(a as never, b as never),
      (a, b) => cluster.get(a as never, b as never),
      (a) => cluster.advance(a as never),
      (a, b) => cluster.setConfig(a as never, b as never),
      (a, b) => cluster.setEndpointAuditMode(a as never, b as never),
      (a, b) => cluster.faults.clockSkew(a as never, b as never),
      (_a, b) => cluster.faults.trustDomainMismatch('kind-worker', b as never),
      (a) => cluster.exec('default/web').curl(a as never),
      (a) => cluster.exec('default/web').nc(a as never),
      (a, b) => cluster.on(a as never, b as never),
      (a, b) => cluster.apply(a as never, b as never),
      (a) => Cluster.create(a as never),
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: calls.length - 1 }), fc.anything(), fc.anything(), (i, a, b) => {
        try {
          calls[i]!(a, b);
        } catch (e) {
          if (!isSimError(e)) throw new Error(`call ${i}: raw exception for ${fc.stringify(a)}, ${fc.stringify(b)}`, { cause: e });
        } finally {
          cluster.faults.clearAll();
        }
      }),
      { numRuns: 150 },
    );
  });
});

const SECOND = 'apiVersion: v1\nkind: Pod\nmetadata: {name: other, labels: {app: other}}\nspec:\n  containers: [{name: c, image: nginx}]\n';

describe('listeners', () => {
  it('see applied and identity-created after the change committed, and what they throw reaches the caller after it', () => {
    const c = Cluster.create({ seed: 2, mutualAuth: false });
    const seen: string[] = [];
    c.on('identity-created', () => {
      seen.push(`identity: endpoint ${c.inspect.endpoint('default', 'web') === undefined ? 'missing' : 'ready'}`);
      throw new Error('listener failed');
    });
    c.on('applied', () => seen.push('applied'));
    expect(() => c.apply(POD)).toThrow('listener failed');
    expect(seen).toEqual(['identity: endpoint ready', 'applied']);
    // The cluster is whole: the pod, its endpoint and its stack work, later commands too.
    expect(c.exec('default/web').curl({ url: 'http://127.0.0.1', connectTimeoutMs: 500 }).kind).toBeDefined();
    expect(c.inspect.endpoint('default', 'web')).toBeDefined();
    expect(() => c.apply(SECOND)).toThrow('listener failed');
    expect(c.list('Pod', 'default').map((p) => p.metadata.name)).toEqual(['other', 'web']);
  });

  it('let a flow listener that throws not cut a command short', () => {
    const [quiet, loud] = [0, 1].map(() => {
      const c = Cluster.create({ seed: 2, mutualAuth: false });
      c.apply(POD);
      c.apply(SECOND);
      return c;
    }) as [Cluster, Cluster];
    let flows = 0;
    loud.on('flow', () => {
      flows++;
      throw new Error('flow listener failed');
    });
    const curl = (c: Cluster) =>
      c.exec('default/other').curl({ url: `http://${c.inspect.endpoint('default', 'web')!.ip}/`, connectTimeoutMs: 500 });
    curl(quiet);
    expect(() => curl(loud)).toThrow('flow listener failed');
    // The command ran to its end: the same flows as without the listener, each seen, same clock.
    expect(loud.flows()).toEqual(quiet.flows());
    expect(flows).toBe(quiet.flows().length);
    expect(loud.now()).toEqual(quiet.now());
    expect(flows).toBeGreaterThan(0);
  });

  it('work when they call back into the cluster after a change, and are refused clearly in the middle of a command', () => {
    const c = Cluster.create({ seed: 2, mutualAuth: false });
    const off = c.on('applied', (e) => {
      if (e.results.some((r) => r.ok && r.ref.name === 'web')) c.apply(SECOND);
    });
    c.apply(POD);
    off();
    expect(c.list('Pod', 'default').map((p) => p.metadata.name)).toEqual(['other', 'web']);
    const errors: unknown[] = [];
    c.on('flow', () => {
      try {
        c.advance('1s');
      } catch (e) {
        errors.push(e);
      }
    });
    const ip = c.inspect.endpoint('default', 'web')!.ip;
    c.exec('default/other').curl({ url: `http://${ip}/`, connectTimeoutMs: 500 });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ code: 'INVALID_COMMAND', reason: 'Conflict', object: 'cluster.advance' });
  });
});

describe('faults', () => {
  it('always clear, whatever was injected', () => {
    const c = Cluster.create({ seed: 3 });
    c.faults.spireServerDown();
    c.faults.spireAgentDown('kind-worker');
    c.faults.trustDomainMismatch('kind-worker2', 'other.example');
    c.faults.clockSkew('kind-worker', '-2h');
    c.faults.clearAll();
    expect(c.faults.active()).toEqual([]);
    expect(c.spireServer()!.healthy).toBe(true);
  });
});

describe('labels and annotations from a JavaScript caller', () => {
  it.each([
    ['null changes', null],
    ['a number value', { app: 5 }],
    ['an object value', { app: { nested: true } }],
    ['a list of changes', ['app=web']],
  ])('refuse %s as the object and field, changing nothing', (_name, changes) => {
    const before = cluster.state;
    const ref = { kind: 'Pod', namespace: 'default', name: 'web' } as const;
    for (const r of [cluster.label(ref, changes as never, true), cluster.annotate(ref, changes as never, true)])
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_FIELD', object: 'Pod default/web' } });
    expect(cluster.state).toBe(before);
  });
});

describe('a packet capture filter that throws', () => {
  it('ends its capture, lets the command finish, reaches the caller after it, and leaves the next command working', () => {
    const [quiet, loud] = [0, 1].map(() => {
      const c = Cluster.create({ seed: 2, mutualAuth: false });
      c.apply(POD);
      c.apply(SECOND);
      return c;
    }) as [Cluster, Cluster];
    const capture = loud.capture(loud.inspect.endpoint('default', 'web')!.nodeName, () => {
      throw new Error('filter failed');
    });
    const curl = (c: Cluster) =>
      c.exec('default/other').curl({ url: `http://${c.inspect.endpoint('default', 'web')!.ip}/`, connectTimeoutMs: 500 });
    curl(quiet);
    expect(() => curl(loud)).toThrow('filter failed');
    expect(capture.stopped).toBe(true);
    expect(loud.flows()).toEqual(quiet.flows());
    expect(curl(loud)).toEqual(curl(quiet));
    expect(quiet.flows().length).toBeGreaterThan(0);
  });
});

describe('a listener that answers its own event with a command that emits it again', () => {
  it('is stopped at a stated depth with a SimError, not a stack overflow, and the cluster keeps working', () => {
    const c = Cluster.create({ seed: 2, mutualAuth: false });
    let calls = 0;
    const off = c.on('applied', () => {
      calls++;
      c.apply(POD);
    });
    let error: unknown;
    try {
      c.apply(POD);
    } catch (e) {
      error = e;
    }
    expect(isSimError(error) && error.code).toBe('LIMIT_EXCEEDED');
    expect((error as SimError).message).toContain('event listeners started commands 32 deep');
    expect(calls).toBe(32);
    off();
    expect(c.apply(SECOND)).toMatchObject([{ ok: true, verb: 'created' }]);
    expect(c.list('Pod', 'default').map((p) => p.metadata.name)).toEqual(['other', 'web']);
  });
});
