import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ci, POLICY_REPO } from './ciRun.ts';

// The JSON Schema editors complete test files with: generated from the zod schema that
// validates them, shipped in the package's files.
const PACKAGE = resolve(import.meta.dirname, '../..');

describe('the JSON Schema of test files', () => {
  it('is the one the package ships (regenerate: pnpm cilium-sim test --schema > packages/cli/schema/connectivity-test.schema.json)', () => {
    const shipped = readFileSync(resolve(PACKAGE, 'schema/connectivity-test.schema.json'), 'utf8');

    expect(ci('test', ['--schema'], POLICY_REPO).out).toBe(shipped);
    expect(JSON.parse(readFileSync(resolve(PACKAGE, 'package.json'), 'utf8')).files).toContain('schema');
  });

  it('describes the fields of a case, the expectations among them', () => {
    const schema = JSON.parse(ci('test', ['--schema'], POLICY_REPO).out);
    const kase = schema.properties.spec.properties.cases.items;

    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(kase.properties)).toEqual([
      'name',
      'from',
      'to',
      'port',
      'protocol',
      'http',
      'dns',
      'tls',
      'expect',
      'flow',
      'faults',
      'advance',
      'timeout',
    ]);
    expect(kase.required).toEqual(['from', 'to', 'expect']);
    expect(kase.additionalProperties).toBe(false);
    expect(kase.properties.expect.anyOf[0].enum).toEqual(['allow', 'deny', 'refused', 'auth-required']);
  });
});
