import { describe, expect, it } from 'vitest';
import { Cluster, type ObjectResult } from '../../src/index.ts';
import { isSimError } from '../../src/errors.ts';

/**
 * Hostile and careless inputs tried through the library in session 7, each of which broke a
 * promise before: junk accepted, a state no real cluster is in, or a refusal in the wrong words.
 */

const pod = (meta: string, spec = '', container = 'name: c, image: nginx') =>
  `apiVersion: v1\nkind: Pod\nmetadata: { ${meta} }\nspec: { ${spec} containers: [{ ${container} }] }\n`;

function refusal(result: ObjectResult | readonly ObjectResult[]): { code: string; path: string | undefined; message: string } {
  const r = Array.isArray(result) ? result[0]! : (result as ObjectResult);
  if (r.ok) throw new Error('not refused');
  return { code: r.error.code, path: r.error.path, message: r.error.message };
}

function thrown(fn: () => unknown): { code: string; path: string | undefined; message: string } {
  try {
    fn();
  } catch (e) {
    if (!isSimError(e)) throw e;
    return { code: e.code, path: e.path, message: e.message };
  }
  throw new Error('not refused');
}

describe('library calls refuse junk instead of ignoring it', () => {
  it('refuses a misspelt change option, where the object went to the default namespace', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(thrown(() => c.apply(pod('name: a'), { namepsace: 'team' } as never))).toEqual({
      code: 'INVALID_FLAG',
      path: 'namepsace',
      message: 'change options: namepsace: unknown option "namepsace"; options are dryRun, namespace',
    });
    expect(c.get('Pod', 'a', 'default')).toBeUndefined();
    expect(thrown(() => c.delete({ kind: 'Pod', namespace: 'default', name: 'a' }, { dry: true } as never)).path).toBe('dry');
  });

  it('says why a pod that exists cannot be exec’d into, where it said the pod was not found', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: held, finalizers: [example.com/keep]'));
    c.delete({ kind: 'Pod', namespace: 'default', name: 'held' });
    expect(thrown(() => c.exec('default/held'))).toMatchObject({
      code: 'INVALID_COMMAND',
      message: 'Pod default/held: cannot exec into a container in a completed pod; current phase is Succeeded',
    });
    c.apply(pod('name: nowhere', 'nodeSelector: { disk: ssd },'));
    expect(thrown(() => c.exec('default/nowhere')).message).toBe('Pod default/nowhere: pod nowhere does not have a host assigned');
    expect(thrown(() => c.exec('default/absent')).code).toBe('NOT_FOUND');
  });
});

describe('manifests of kinds the simulator makes itself', () => {
  it('refuses to apply a Node in honest words, where it said the API has no such kind, and deletes one named in a file', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const node = 'apiVersion: v1\nkind: Node\nmetadata: { name: kind-worker2 }\n';
    expect(refusal(c.apply(node))).toEqual({
      code: 'FORBIDDEN',
      path: undefined,
      message: 'Node kind-worker2: cilium-sim makes its nodes itself (kubectl get shows them); a manifest cannot create or change one',
    });
    expect(c.delete(node)[0]).toMatchObject({ ok: true, verb: 'deleted' });
    expect(c.get('Node', 'kind-worker2')).toBeUndefined();
  });
});
