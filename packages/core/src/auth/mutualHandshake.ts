import type { AuthKey } from '../datapath/authMap.ts';
import { LATENCY_NS } from '../datapath/datapath.ts';
import type { AuthManagerEnv } from './authManager.ts';

export interface HandshakeCallbacks {
  debug(msg: string, fields: readonly (readonly [string, string])[]): void;
  failed(err: string): void;
  /** The auth map entry lives until the earlier of the two certificates expires. */
  succeeded(expiresAtMs: number): void;
}

/**
 * The out-of-band mutual TLS handshake between two nodes' agents on the mutual-auth port.
 * The initiator presents the SVID of its local identity and asks, by SNI
 * `<remoteIdentity>.<trustDomain>`, for the remote identity's SVID; each side checks the other's
 * chain against the trust bundle at the current virtual time, and the initiator also checks the
 * server's URI SAN. Takes two round trips on the virtual wire.
 */
export function mutualHandshake(env: AuthManagerEnv, key: AuthKey, remote: { name: string; ip: string }, cb: HandshakeCallbacks): void {
  const { certs, scheduler, clock } = env;
  const td = certs.trustDomain;
  const rtt = 2 * (remote.name === env.nodeName ? LATENCY_NS.sameNode : LATENCY_NS.crossNode);
  const local = certs.svidFor(env.nodeName, key.localIdentity);
  if (local === undefined) {
    scheduler.after(0, 'auth-handshake', () => cb.failed(`unable to get certificate for local identity ${key.localIdentity}: no SPIFFE ID for spiffe://${td}/identity/${key.localIdentity}`));
    return;
  }
  scheduler.after(2 * rtt, 'auth-handshake', () => {
    const sni = `${key.remoteIdentity}.${td}`;
    const server = certs.svidFor(remote.name, key.remoteIdentity);
    if (server === undefined) {
      cb.failed(`failed to dial ${remote.ip}:${env.port}: remote error: tls: no certificate for SNI ${sni}`);
      return;
    }
    const nowMs = clock.epochMs();
    const clientCheck = certs.verify(local, nowMs, local.spiffeId);
    if (!clientCheck.ok) {
      cb.failed(`failed to dial ${remote.ip}:${env.port}: remote error: tls: bad certificate (${clientCheck.reason})`);
      return;
    }
    cb.debug('Validating Server SNI', [['SNI ID', String(key.remoteIdentity)]]);
    const expected = `spiffe://${td}/identity/${key.remoteIdentity}`;
    const serverCheck = certs.verify(server, nowMs, expected);
    if (!serverCheck.ok) {
      cb.failed(`failed to dial ${remote.ip}:${env.port}: tls: failed to verify certificate: ${serverCheck.reason}`);
      return;
    }
    cb.debug('Validated certificate', [['uri-san', `[${server.spiffeId}]`]]);
    cb.succeeded(Math.min(local.notAfterMs, server.notAfterMs));
  });
}
