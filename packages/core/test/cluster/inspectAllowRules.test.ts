import { describe, expect, it } from 'vitest';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import { isSimError } from '../../src/errors.ts';
import { allowRules } from '../../src/policy/allowRules.ts';
import { manifest, starWars } from '../toolkit/starWars.ts';

// Lab checks ask `cluster.inspect.allowRules` which live rules could admit a peer; it must answer
// what the agents' engine answers, as data the reader cannot change.
describe('cluster.inspect.allowRules', () => {
  const cluster = starWars();
  cluster.apply(manifest('sw_l3_l4_policy.yaml'));
  const identityOf = (prefix: string) => cluster.inspect.endpoints('default').find((e) => e.podName.startsWith(prefix))!.identity;
  const deathstar = identityOf('deathstar-');
  const tiefighter = identityOf('tiefighter');
  const xwing = identityOf('xwing');

  it('names the rules selecting the subject and those admitting the peer, as the live engine does', () => {
    const fromTiefighter = cluster.inspect.allowRules(deathstar, 'INGRESS', tiefighter);
    const fromXwing = cluster.inspect.allowRules(deathstar, 'INGRESS', xwing);

    expect(fromTiefighter.selecting.map((r) => r.source.name)).toEqual(['rule1']);
    expect(fromTiefighter.admitting.map(({ rule, peerRule }) => `${rule.source.name} ${peerRule.section}[${peerRule.index}]`)).toEqual([
      'rule1 ingress[0]',
    ]);
    expect(fromXwing.selecting.map((r) => r.source.name)).toEqual(['rule1']);
    expect(fromXwing.admitting).toEqual([]);
    for (const [remote, direction] of [
      [tiefighter, 'INGRESS'],
      [xwing, 'INGRESS'],
      [undefined, 'INGRESS'],
      [deathstar, 'EGRESS'],
    ] as const) {
      expect(cluster.inspect.allowRules(deathstar, direction, remote)).toEqual(
        allowRules(runtimeOf(cluster).policy, deathstar, direction, remote),
      );
    }
  });

  it('hands out frozen data and refuses an identity the agents do not know', () => {
    const rules = cluster.inspect.allowRules(deathstar, 'INGRESS', tiefighter);

    expect([Object.isFrozen(rules), Object.isFrozen(rules.selecting), Object.isFrozen(rules.admitting)]).toEqual([true, true, true]);
    expect(rules.admitting.every((a) => Object.isFrozen(a))).toBe(true);
    let error: unknown;
    try {
      cluster.inspect.allowRules(999_999, 'INGRESS');
    } catch (e) {
      error = e;
    }
    expect(isSimError(error) && error.code).toBe('NOT_FOUND');
  });
});
