import { describe, expect, it } from 'vitest';
import { isSimError, type SimError } from '@cilium-sim/core';
import { parseScenarioOptions, parseTask } from '../src/index.ts';

function errorOf(fn: () => unknown): SimError {
  try {
    fn();
  } catch (e) {
    if (isSimError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('task.yaml validation', () => {
  it('reports every problem of a task in one pass, each with its path', () => {
    const raw = {
      title: 'T',
      prompt: 'P',
      checks: [
        { description: 'd', kind: 'connectivity', from: 'default/a', request: 'GET http://b', expect: 'sometimes' },
        { description: 'd', kind: 'teleport' },
      ],
    };
    const err = errorOf(() => parseTask(raw, 'scenario x: task.yaml'));

    expect(err.issues.map((i) => [i.path, i.message])).toEqual([
      ['checks[0].expect', 'expected one of allowed, http-403, timeout, received "sometimes"'],
      ['checks[1].kind', 'unknown check kind "teleport"; supported: policyRequiresAuth, connectivity, flowObserved, dns'],
    ]);
  });

  it('defaults setup and hints to empty lists', () => {
    const task = parseTask(
      { title: 'T', prompt: 'P', checks: [{ description: 'd', kind: 'dns', from: 'a/b', name: 'x', expect: 'resolves' }] },
      'x',
    );

    expect(task.setup).toEqual([]);
    expect(task.hints).toEqual([]);
  });
});

describe('scenario cluster options', () => {
  it('falls back to the CLI defaults for omitted fields', () => {
    expect(parseScenarioOptions(undefined, 'x')).toEqual({ seed: 1, nodes: 3, mutualAuth: true, encryption: 'none', extensions: [] });
  });

  it('rejects bad values with the field path', () => {
    const err = errorOf(() => parseScenarioOptions({ nodes: 0, encryption: 'rot13', extensions: ['warp'] }, 'scenario x: scenario.yaml'));

    expect(err.code).toBe('INVALID_FIELD');
    expect(err.issues.map((i) => i.path)).toEqual(['cluster.nodes', 'cluster.encryption', 'cluster.extensions']);
  });
});
