import { describe, expect, it } from 'vitest';
import { manifestReferences, scriptCommands, splitWords } from '../src/index.ts';

describe('walkthrough script reading', () => {
  it('drops comments and blank lines and joins backslash continuations', () => {
    const script = [
      '# deploy',
      '',
      'kubectl apply -f a.yaml',
      'kubectl exec tiefighter -- \\',
      '  curl -s -XPOST deathstar/v1/request-landing',
    ].join('\n');

    expect(scriptCommands(script)).toEqual([
      { line: 3, text: 'kubectl apply -f a.yaml' },
      { line: 4, text: 'kubectl exec tiefighter -- curl -s -XPOST deathstar/v1/request-landing' },
    ]);
  });

  it('keeps quoted words whole, as a shell does', () => {
    expect(splitWords(`curl -s -o /dev/null -w "%{http_code}" http://echo:3000/headers`)).toEqual([
      'curl',
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      'http://echo:3000/headers',
    ]);
    expect(splitWords(`grep "Validating Server SNI\\|Validated certificate"`)).toEqual([
      'grep',
      'Validating Server SNI\\|Validated certificate',
    ]);
    expect(splitWords(`jsonpath='{.items[?(@.spec.nodeName=="kind-worker")].metadata.name}'`)).toEqual([
      'jsonpath={.items[?(@.spec.nodeName=="kind-worker")].metadata.name}',
    ]);
  });

  it('finds the files and URLs kubectl commands read with -f or --filename', () => {
    const script = [
      'kubectl apply -f manifests/a.yaml',
      'kubectl create --filename=https://x/b.yaml',
      'hubble observe -f',
      'kubectl delete -f=manifests/c.yaml',
    ].join('\n');

    expect(manifestReferences(script)).toEqual([
      { line: 1, target: 'manifests/a.yaml', isUrl: false },
      { line: 2, target: 'https://x/b.yaml', isUrl: true },
      { line: 4, target: 'manifests/c.yaml', isUrl: false },
    ]);
  });
});
