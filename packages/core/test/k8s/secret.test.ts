import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ObjectOfKind } from '../../src/k8s/objects.ts';
import { getObject } from '../../src/k8s/state.ts';
import { outcomes, testCluster } from './fixtures.ts';

const secret = (body: string, name = 'db'): string => `apiVersion: v1\nkind: Secret\nmetadata: { name: ${name} }\n${body}`;

/** Every issue of the one failed result, as `path: message`. */
function issues(yaml: string): string[] {
  const c = testCluster();
  const before = c.state;
  const [result] = c.apply(yaml).results;
  if (result === undefined || result.ok) throw new Error('expected the Secret to be refused');
  expect(c.state).toBe(before);
  return result.error.issues.map((i) => `${i.object} ${i.path}: ${i.message}`);
}

describe('Secret', () => {
  it('is stored as the API server stores it: type Opaque, stringData merged into data in base64', () => {
    const c = testCluster();
    const out = c.apply(
      secret('data:\n  password: |\n    YWRt\n    aW4=\n  user: cm9vdA==\nstringData:\n  user: admin\n  host: db.example\n'),
    );

    expect(outcomes(out)).toEqual(['Secret default/db created']);
    expect(getObject(c.state, { kind: 'Secret', namespace: 'default', name: 'db' })).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      // Wrapped base64 is stored on one line; stringData wins over data for a key in both.
      data: { password: 'YWRtaW4=', user: 'YWRtaW4=', host: 'ZGIuZXhhbXBsZQ==' },
    });
    expect(getObject(c.state, { kind: 'Secret', namespace: 'default', name: 'db' })).not.toHaveProperty('stringData');
  });

  it('keeps a written type and leaves out data it was not given', () => {
    const c = testCluster();
    c.apply(secret('type: example.com/token\n'));
    const stored = getObject(c.state, { kind: 'Secret', namespace: 'default', name: 'db' });

    expect(stored?.type).toBe('example.com/token');
    expect(stored).not.toHaveProperty('data');
  });

  it('refuses data that is not base64, at the byte Go stops, naming each field', () => {
    expect(issues(secret('data:\n  password: admin\n  token: YWRtaW4\n  ok: YWRtaW4=\n'))).toEqual([
      'Secret default/db data.password: illegal base64 data at input byte 4 (received "admin")',
      'Secret default/db data.token: illegal base64 data at input byte 4 (received "YWRtaW4")',
    ]);
  });

  it('refuses keys that are not config keys, in data and stringData', () => {
    expect(issues(secret('data:\n  "my key": YQ==\nstringData:\n  "..": x\n'))).toEqual([
      `Secret default/db data[my key]: Invalid value: "my key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      `Secret default/db stringData[..]: Invalid value: "..": must not be '..'`,
    ]);
  });

  it('asks a kubernetes.io/tls Secret for its certificate and key, written in data or stringData', () => {
    expect(issues(secret('type: kubernetes.io/tls\nstringData:\n  tls.crt: CERT\n'))).toEqual([
      'Secret default/db data[tls.key]: Required value: a Secret of type kubernetes.io/tls needs the key tls.key',
    ]);
    expect(
      outcomes(testCluster().apply(secret('type: kubernetes.io/tls\ndata:\n  tls.crt: Q0VSVA==\nstringData:\n  tls.key: KEY\n'))),
    ).toEqual(['Secret default/db created']);
  });

  it('keeps its type, and an immutable Secret its data, on update', () => {
    const c = testCluster();
    c.apply(secret('immutable: true\ndata:\n  a: YQ==\n'));

    expect(outcomes(c.apply(secret('immutable: true\ndata:\n  a: YQ==\n')))).toEqual(['Secret default/db unchanged']);
    expect(outcomes(c.apply(secret('type: example.com/token\nimmutable: true\ndata:\n  a: Yg==\n')))).toEqual([
      'Invalid: Secret default/db: type: Invalid value: "example.com/token": field is immutable',
    ]);
    const [result] = c.apply(secret('data:\n  a: Yg==\n')).results;
    expect(result?.ok === false && result.error.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('is one of the stored objects, its type inferred from its schema', () => {
    expectTypeOf<ObjectOfKind<'Secret'>['data']>().toEqualTypeOf<Record<string, string> | undefined>();
    expectTypeOf<ObjectOfKind<'Secret'>['metadata']['uid']>().toEqualTypeOf<string>();
  });
});
