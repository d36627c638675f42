import { describe, expect, it } from 'vitest';
import type { BuiltinIo } from '../../../src/shell/command.ts';
import { base64 } from '../../../src/shell/filters/base64.ts';
import { jq } from '../../../src/shell/filters/jq.ts';
import { yq } from '../../../src/shell/filters/yq.ts';

const io = (stdin: string): BuiltinIo => ({ stdin, env: {}, readFile: () => undefined });

const POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: rule1
  labels:
    app.kubernetes.io/name: demo
spec:
  endpointSelector:
    matchLabels:
      org: empire
  ingress:
    - fromEndpoints:
        - matchLabels:
            org: empire
      toPorts:
        - ports:
            - port: "80"
              protocol: TCP
`;

describe('yq', () => {
  it('prints a map as YAML with indented sequences, as yq v4 does', () => {
    expect(yq(['.spec.ingress[0].toPorts'], io(POLICY)).stdout).toBe('- ports:\n    - port: "80"\n      protocol: TCP\n');
  });

  it('prints scalars bare, null for a missing path, and . as the document', () => {
    expect(yq(['.metadata.name'], io(POLICY)).stdout).toBe('rule1\n');
    expect(yq(['.metadata."app.kubernetes.io/name"'], io(POLICY)).stdout).toBe('null\n');
    expect(yq(['.metadata.labels["app.kubernetes.io/name"]'], io(POLICY)).stdout).toBe('demo\n');
    expect(yq(['.nope'], io(POLICY)).stdout).toBe('null\n');
    expect(yq(['.'], io('a: 1\n')).stdout).toBe('a: 1\n');
  });

  it('evaluates every document of a multi-document file', () => {
    expect(yq(['.kind'], io('kind: A\n---\nkind: B\n')).stdout).toBe('A\n---\nB\n');
  });

  it('reads JSON and prints JSON with -o json', () => {
    expect(yq(['-o', 'json', '.a'], io('{"a": {"b": [1]}}')).stdout).toBe('{\n  "b": [\n    1\n  ]\n}\n');
  });

  it("prints a file as the lab types it (yq FILE, yq . FILE) in the file's own style, as yq v4 re-encodes it", () => {
    const file = [
      '# The app',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: "deathstar"   # the target',
      "  labels: {org: empire, class: 'deathstar'}",
      'spec:',
      '  ports:',
      '  - port: 80',
      '---',
      '# second',
      'kind: Pod',
      '',
    ].join('\n');
    const files: BuiltinIo = { stdin: '', env: {}, readFile: (name) => (name === 'app.yaml' ? file : undefined) };
    const printed = [
      '# The app',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: "deathstar" # the target',
      "  labels: {org: empire, class: 'deathstar'}",
      'spec:',
      '  ports:',
      '    - port: 80',
      '---',
      '# second',
      'kind: Pod',
      '',
    ].join('\n');
    expect(yq(['app.yaml'], files).stdout).toBe(printed);
    expect(yq(['.', 'app.yaml'], files).stdout).toBe(printed);
    expect(yq(['eval', '.', 'app.yaml'], files).stdout).toBe(printed);
    expect(yq(['.'], io(file)).stdout).toBe(printed);
  });
});

describe('jq', () => {
  const list = JSON.stringify({ items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] });

  it('pretty-prints with two spaces and quotes strings unless -r', () => {
    expect(jq(['.items[0].metadata'], io(list)).stdout).toBe('{\n  "name": "a"\n}\n');
    expect(jq(['.items[1].metadata.name'], io(list)).stdout).toBe('"b"\n');
    expect(jq(['-r', '.items[].metadata.name'], io(list)).stdout).toBe('a\nb\n');
  });

  it('chains stages with | and supports length', () => {
    expect(jq(['.items | length'], io(list)).stdout).toBe('2\n');
  });

  it('reports an expression it cannot run as a compile error, exit 3', () => {
    expect(jq(['map(.x)'], io(list))).toMatchObject({ exitCode: 3 });
  });
});

describe('base64', () => {
  it('decodes with -d and encodes otherwise', () => {
    expect(base64(['-d'], io('c3BpZmZlOi8vc3BpZmZlLmNpbGl1bQ==\n')).stdout).toBe('spiffe://spiffe.cilium');
    expect(base64([], io('spiffe://spiffe.cilium')).stdout).toBe('c3BpZmZlOi8vc3BpZmZlLmNpbGl1bQ==\n');
  });

  it('rejects input that is not base64', () => {
    expect(base64(['-d'], io('%%%'))).toMatchObject({ stderr: 'base64: invalid input\n', exitCode: 1 });
  });
});
