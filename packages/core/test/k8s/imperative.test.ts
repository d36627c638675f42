import { describe, expect, it } from 'vitest';
import { labelObject, runPod, scaleDeployment } from '../../src/k8s/imperative.ts';
import { getObject } from '../../src/k8s/state.ts';
import { STAR_WARS, outcome, testCluster } from './fixtures.ts';

const xwing = { kind: 'Pod', namespace: 'default', name: 'xwing' } as const;

describe('labelObject', () => {
  it('adds, overwrites and removes labels, saying labeled, not labeled or unlabeled', () => {
    const c = testCluster();
    c.apply(STAR_WARS);

    const added = labelObject(c.state, xwing, { team: 'red' }, false, c.ctx);
    const same = labelObject(added.state, xwing, { team: 'red' }, false, c.ctx);
    const removed = labelObject(added.state, xwing, { team: null }, false, c.ctx);

    expect(outcome(added.result)).toBe('Pod default/xwing labeled');
    expect(getObject(added.state, xwing)!.metadata.labels['team']).toBe('red');
    expect(outcome(same.result)).toBe('Pod default/xwing not labeled');
    expect(same.state).toBe(added.state);
    expect(outcome(removed.result)).toBe('Pod default/xwing unlabeled');
  });

  it('refuses to change a value without overwrite, as a Conflict', () => {
    const c = testCluster();
    c.apply(STAR_WARS);

    const out = labelObject(c.state, xwing, { org: 'empire' }, false, c.ctx);

    expect(outcome(out.result)).toBe("Conflict: Pod default/xwing: metadata.labels.org: 'org' already has a value (alliance)");
    expect(out.result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(out.state).toBe(c.state);
  });

  it('refuses invalid label values and missing objects', () => {
    const c = testCluster();
    c.apply(STAR_WARS);

    expect(labelObject(c.state, xwing, { org: 'no spaces' }, true, c.ctx).result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FIELD' },
    });
    expect(labelObject(c.state, { ...xwing, name: 'nope' }, { a: 'b' }, true, c.ctx).result).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', reason: 'NotFound', ref: { kind: 'Pod', namespace: 'default', name: 'nope' } },
    });
  });
});

describe('scaleDeployment', () => {
  it('says scaled and refuses negative replicas', () => {
    const c = testCluster();
    c.apply(STAR_WARS);
    const ref = { kind: 'Deployment', namespace: 'default', name: 'deathstar' } as const;

    expect(outcome(scaleDeployment(c.state, ref, 3, c.ctx).result)).toBe('Deployment default/deathstar scaled');
    expect(scaleDeployment(c.state, ref, -1, c.ctx).result).toMatchObject({ ok: false, error: { code: 'INVALID_FLAG' } });
  });
});

describe('runPod', () => {
  it('creates a running pod labelled run=<name>', () => {
    const c = testCluster();

    const out = runPod(c.state, 'client', 'nicolaka/netshoot', { port: 8080 }, c.ctx);

    const pod = getObject(out.state, { kind: 'Pod', namespace: 'default', name: 'client' })!;
    expect(outcome(out.result)).toBe('Pod default/client created');
    expect(pod.metadata.labels).toEqual({ run: 'client' });
    expect(pod.spec.containers[0]).toMatchObject({
      name: 'client',
      image: 'nicolaka/netshoot',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
    });
    expect(pod.status.phase).toBe('Running');
  });

  it('refuses an invalid name or label', () => {
    const c = testCluster();

    expect(runPod(c.state, 'Bad_Name', 'x', {}, c.ctx).result).toMatchObject({ ok: false, error: { code: 'INVALID_FIELD' } });
    expect(runPod(c.state, 'ok', 'x', { labels: { 'a b': 'c' } }, c.ctx).state).toBe(c.state);
  });

  it('refuses an existing name', () => {
    const c = testCluster();
    c.apply(STAR_WARS);

    expect(runPod(c.state, 'xwing', 'x', {}, c.ctx).result).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_EXISTS', reason: 'AlreadyExists', ref: { kind: 'Pod', namespace: 'default', name: 'xwing' } },
    });
  });
});
