// Where the editor marks a problem: the line of the field the API server names, in the document
// it names, or the line the YAML reader stopped at. The page shows these in its gutter and list.
import { Cluster } from '@cilium-sim/core';
import { describe, expect, it } from 'vitest';
import { applyDiagnostics, syntaxDiagnostics } from '../src/editor/manifestDiagnostics.ts';

function applied(text: string) {
  const cluster = Cluster.create({ seed: 1 });
  return applyDiagnostics('playground.yaml', text, cluster.apply(text));
}

describe('the editor marks', () => {
  it('a refused field of the second document at its own line, and nothing of the accepted first', () => {
    const text = [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: ok',
      '---',
      'apiVersion: cilium.io/v2',
      'kind: CiliumNetworkPolicy',
      'metadata:',
      '  name: broken',
      'spec:',
      '  endpointSelector: {}',
      '  ingress:',
      '    - toPorts:',
      '        - ports:',
      '            - port: "80"',
      '              protocol: TCP',
      '            - port: "99999"',
      '              protocol: TCP',
    ].join('\n');

    const found = applied(text);

    expect(found.map((d) => d.line)).toEqual([17]);
    expect(found[0]?.message).toMatch(
      /^Error from server \(BadRequest\): error when creating "playground\.yaml": CiliumNetworkPolicy default\/broken: spec\.ingress\[0\]\.toPorts\[0\]\.ports\[1\]\.port: /,
    );
  });

  it('a label key with dots, written as dotted keys or in brackets, at its own line', () => {
    const policy = [
      'apiVersion: cilium.io/v2',
      'kind: CiliumNetworkPolicy',
      'metadata:',
      '  name: dotted',
      'spec:',
      '  endpointSelector:',
      '    matchLabels:',
      '      tier: web',
      '      app.kubernetes.io/name: "bad value!"',
    ].join('\n');
    const pod = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  labels:',
      '    tier: web',
      '    app.kubernetes.io/name: "bad value!"',
      'spec:',
      '  containers: []',
    ].join('\n');

    expect(applied(policy).map((d) => d.line)).toEqual([9]);
    expect(applied(pod).map((d) => [d.line, d.message.split('\n')[0]!.replace(/:.*/, '')])).toEqual([
      [7, 'The Pod "p" is invalid'],
      [9, 'Pod default/p'],
    ]);
  });

  it('nothing when everything is accepted', () => {
    expect(applied('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fine\n')).toEqual([]);
  });

  it('what the YAML reader refuses at the line it stopped, before anything is applied', () => {
    expect(syntaxDiagnostics('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n').map((d) => d.line)).toEqual([5]);
    expect(syntaxDiagnostics('a: [1, 2\nb: 3\n').length).toBeGreaterThan(0);
  });
});
