import { describe, expect, it } from 'vitest';
import { formatIdentityList } from '../../../src/cilium/printers/identityList.ts';

describe('formatIdentityList (cilium-dbg identity list)', () => {
  it('prints ID and LABELS, sorted by id, further labels under the first', () => {
    const out = formatIdentityList([
      { id: 16530, labels: ['k8s:org=empire', 'k8s:class=deathstar'] },
      { id: 7, labels: ['reserved:kube-apiserver', 'reserved:remote-node'] },
      { id: 1, labels: ['reserved:host'] },
    ]);
    expect(out).toBe(
      [
        'ID      LABELS',
        '1       reserved:host',
        '7       reserved:kube-apiserver',
        '        reserved:remote-node',
        '16530   k8s:class=deathstar',
        '        k8s:org=empire',
        '',
      ].join('\n'),
    );
  });

  it('adds REFCOUNT with --endpoints', () => {
    expect(formatIdentityList([{ id: 4, labels: ['reserved:health'], refCount: 1 }], { endpoints: true })).toBe(
      'ID   LABELS            REFCOUNT\n4    reserved:health   1\n',
    );
  });
});
