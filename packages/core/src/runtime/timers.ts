import { collectAuthGarbage } from '../auth/authGc.ts';
import type { Runtime } from './runtime.ts';

/**
 * The operator's identity GC (`identity-gc-interval`): identities no endpoint holds any more are
 * freed, their policy state dropped, and their SPIRE entries removed on the operator's next sync.
 */
export function scheduleIdentityGc(rt: Runtime): void {
  rt.scheduler.after(
    rt.config.get('identity-gc-interval'),
    'identity-gc',
    () => {
      const freed = rt.identities.collectGarbage();
      for (const id of freed) {
        rt.policy.removeIdentity(id.id);
        for (const agent of rt.agents.list()) agent.authManager?.identityRemoved(id.id);
      }
      if (freed.length > 0) rt.operator.syncIdentities();
      scheduleIdentityGc(rt);
    },
    { background: true },
  );
}

/**
 * Each agent's auth map GC (`mesh-auth-gc-interval`), on one timer for every node: expired
 * entries, entries of removed nodes and identities, entries no policy requires any more.
 */
export function scheduleAuthGc(rt: Runtime): void {
  rt.scheduler.after(
    rt.config.get('mesh-auth-gc-interval'),
    'auth-gc',
    () => {
      for (const agent of rt.agents.list()) {
        collectAuthGarbage({
          authMap: agent.authMap,
          log: agent.log,
          nowNs: rt.clock.nowNs,
          nowEpochMs: rt.clock.epochMs(),
          identityExists: (id) => rt.identities.get(id) !== undefined,
          nodeIdExists: (id) => rt.agents.nodeById(id) !== undefined,
          policyRequires: (k) =>
            rt.policy
              .policyMap(k.localIdentity)
              .entries()
              .some(([pk, e]) => !e.deny && e.authType === k.authType && (pk.identity === 0 || pk.identity === k.remoteIdentity)),
          debug: rt.config.get('debug'),
        });
      }
      scheduleAuthGc(rt);
    },
    { background: true },
  );
}
