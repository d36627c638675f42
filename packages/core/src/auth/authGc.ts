import type { AuthLog } from './authLog.ts';
import { formatAuthKey, type AuthKey, type AuthMap } from '../datapath/authMap.ts';

export interface AuthGcEnv {
  readonly authMap: AuthMap;
  readonly log: AuthLog;
  readonly nowNs: number;
  readonly nowEpochMs: number;
  identityExists(id: number): boolean;
  nodeIdExists(id: number): boolean;
  /** True while some policy still requires this auth type between the two identities. */
  policyRequires(key: AuthKey): boolean;
  debug: boolean;
}

/**
 * The auth map garbage collector (`auth-gc-cleanup`, every mesh-auth-gc-interval), in Cilium's
 * order: expired entries, entries of removed nodes, of removed identities, and entries no
 * policy requires any more. Returns how many entries it deleted.
 */
export function collectAuthGarbage(env: AuthGcEnv): number {
  let n = 0;
  const drop = (key: AuthKey, msg: string): void => {
    env.authMap.delete(key);
    n++;
    if (env.debug) env.log.write({ atEpochMs: env.nowEpochMs, level: 'debug', msg, fields: [['key', formatAuthKey(key)]], subsys: 'auth' });
  };
  for (const e of env.authMap.entries()) {
    if (env.nowNs >= e.expiresAtNs) drop(e.key, 'Deleting entry due to expiration');
    else if (e.key.remoteNodeID !== 0 && !env.nodeIdExists(e.key.remoteNodeID)) drop(e.key, 'Deleting entry due to removed remote node');
    else if (!env.identityExists(e.key.localIdentity)) drop(e.key, 'Deleting entry due to removed local identity');
    else if (!env.identityExists(e.key.remoteIdentity)) drop(e.key, 'Deleting entry due to removed remote identity');
    else if (!env.policyRequires(e.key)) drop(e.key, 'Deleting entry because no policy requires authentication');
  }
  return n;
}
