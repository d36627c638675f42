import { isSimError, type SimError } from '@cilium-sim/core';
import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, validateJsonPath } from '../../src/shell/jsonpath.ts';

// A `kubectl get ... -o json` list as kubectl hands it to its JSONPath printer.
const LIST = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      metadata: { name: 'deathstar-6c94dcc57b-6vvpn', labels: { 'app.kubernetes.io/name': 'deathstar', org: 'empire' } },
      spec: { nodeName: 'kind-worker', containers: [{ ports: [{ containerPort: 80 }] }] },
      status: { identity: { id: 12345 }, podIP: '10.244.1.5' },
    },
    {
      metadata: { name: 'tiefighter', labels: { org: 'empire' } },
      spec: { nodeName: 'kind-worker2', containers: [{ ports: [{ containerPort: 8080 }] }] },
      status: { identity: { id: 23456 } },
    },
    { metadata: { name: 'xwing', labels: { org: 'alliance' } }, spec: { nodeName: 'kind-worker' }, status: { identity: { id: 34567 } } },
  ],
};

function errorOf(template: string, data: unknown = LIST): SimError {
  try {
    evaluateJsonPath(template, data);
  } catch (e) {
    if (isSimError(e)) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('evaluateJsonPath', () => {
  it('joins the values of one action with a single space', () => {
    expect(evaluateJsonPath('{.items[*].metadata.name}', LIST)).toBe('deathstar-6c94dcc57b-6vvpn tiefighter xwing');
  });

  it('reads one field, as the docs read an endpoint identity', () => {
    expect(evaluateJsonPath('{.items[0].status.identity.id}', LIST)).toBe('12345');
  });

  it('filters with == and !=, and on existence', () => {
    expect(evaluateJsonPath('{.items[?(@.spec.nodeName=="kind-worker")].metadata.name}', LIST)).toBe('deathstar-6c94dcc57b-6vvpn xwing');
    expect(evaluateJsonPath(`{.items[?(@.metadata.labels.org != 'empire')].metadata.name}`, LIST)).toBe('xwing');
    expect(evaluateJsonPath('{.items[?(@.status.podIP)].metadata.name}', LIST)).toBe('deathstar-6c94dcc57b-6vvpn');
  });

  it('compares numbers with < and >', () => {
    expect(evaluateJsonPath('{.items[?(@.status.identity.id > 20000)].metadata.name}', LIST)).toBe('tiefighter xwing');
    expect(evaluateJsonPath('{.items[?(@.status.identity.id<20000)].status.identity.id}', LIST)).toBe('12345');
  });

  it('repeats a range body for each item, with literal text between expressions', () => {
    const template = '{range .items[*]}{.metadata.name}{"\\t"}{.spec.nodeName}{"\\n"}{end}';
    expect(evaluateJsonPath(template, LIST)).toBe(
      'deathstar-6c94dcc57b-6vvpn\tkind-worker\ntiefighter\tkind-worker2\nxwing\tkind-worker\n',
    );
    expect(evaluateJsonPath('names: {range .items[*]}[{.metadata.name}]{end} done', LIST)).toBe(
      'names: [deathstar-6c94dcc57b-6vvpn][tiefighter][xwing] done',
    );
  });

  it('reads keys with escaped dots', () => {
    expect(evaluateJsonPath('{.items[*].metadata.labels.app\\.kubernetes\\.io/name}', LIST)).toBe('deathstar');
  });

  it("accepts $ as the root, ['key'] subscripts, negative indexes, slices and unions", () => {
    expect(evaluateJsonPath('{$.kind}', LIST)).toBe('List');
    expect(evaluateJsonPath("{.items[-1]['metadata']['name']}", LIST)).toBe('xwing');
    expect(evaluateJsonPath('{.items[0:2].metadata.name}', LIST)).toBe('deathstar-6c94dcc57b-6vvpn tiefighter');
    expect(evaluateJsonPath('{.items[0,2].metadata.name}', LIST)).toBe('deathstar-6c94dcc57b-6vvpn xwing');
  });

  it('walks recursively with ..', () => {
    expect(evaluateJsonPath('{..containerPort}', LIST)).toBe('80 8080');
  });

  it('prints maps and lists as compact JSON with sorted keys', () => {
    expect(evaluateJsonPath('{.items[2].metadata}', LIST)).toBe('{"labels":{"org":"alliance"},"name":"xwing"}');
  });

  it('prints nothing for a missing key, as kubectl get allows missing keys', () => {
    expect(evaluateJsonPath('{.items[1].status.podIP}', LIST)).toBe('');
  });

  it('returns plain text unchanged', () => {
    expect(evaluateJsonPath('no actions', LIST)).toBe('no actions');
  });

  it('rejects a template that does not parse with kubectl message', () => {
    const error = errorOf('{.items[}');
    expect(error.code).toBe('INVALID_FLAG');
    expect(error.path).toBe('-o jsonpath');
    expect(error.issues[0]!.message).toBe('error parsing jsonpath {.items[}, unterminated array');
    expect(errorOf('{.items').issues[0]!.message).toBe('error parsing jsonpath {.items, unclosed action');
    expect(errorOf('{.items[?(@.x=="a"}').issues[0]!.message).toBe('error parsing jsonpath {.items[?(@.x=="a"}, unterminated filter');
    expect(errorOf('{.items[x]}').issues[0]!.message).toBe('error parsing jsonpath {.items[x]}, invalid array index x');
    expect(errorOf('{%}').issues[0]!.message).toBe("error parsing jsonpath {%}, unrecognized character in action: U+0025 '%'");
  });

  it('reports an index out of range as kubectl does, with the object it was given', () => {
    const empty = { apiVersion: 'v1', items: [], kind: 'List' };
    expect(errorOf('{.items[0].metadata.name}', empty).issues[0]!.message).toBe(
      'error executing jsonpath "{.items[0].metadata.name}": Error executing template: array index out of bounds: index 0, length 0. Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{.items[0].metadata.name}\n' +
        '\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{"apiVersion":"v1", "items":[]interface {}{}, "kind":"List"}',
    );
  });

  it('validates a template without data', () => {
    expect(() => validateJsonPath('{range .items[*]}{.x}{end}')).not.toThrow();
    expect(() => validateJsonPath('{.a[')).toThrow(/unterminated array/);
  });
});
