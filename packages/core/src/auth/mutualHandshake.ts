import type { AuthKey } from '../datapath/authMap.ts';
import { LATENCY_NS } from '../datapath/datapath.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import type { CertificateProvider } from './certificateProvider.ts';

/** What one side of the handshake needs: its node, the certificates, the clock and the listener port. */
export interface HandshakeEnv {
  readonly nodeName: string;
  readonly scheduler: Scheduler;
  readonly certs: CertificateProvider;
  /** Mutual-auth listener port (mesh-auth-mutual-listener-port). */
  readonly port: number;
}

export interface HandshakeCallbacks {
  debug(msg: string, fields: readonly (readonly [string, string])[]): void;
  failed(err: string): void;
  /** The auth map entry lives until the earlier of the two certificates expires. */
  succeeded(expiresAtMs: number): void;
}

/**
 * The out-of-band mutual TLS handshake between two nodes' agents on the mutual-auth port.
 * The initiator presents the SVID of its local identity and asks, by SNI
 * `<remoteIdentity>.<trustDomain>`, for the remote identity's SVID. In order:
 * - the initiator has no SVID for its local identity: fails before dialing;
 * - the server's trust domain is not the SNI's suffix, or it holds no SVID for it: the server
 *   aborts the handshake;
 * - the initiator checks the server's chain, validity (its own clock) and URI SAN;
 * - the server checks the client's chain and validity (its own clock), not which identity it is.
 * Takes two round trips on the virtual wire.
 */
export function mutualHandshake(env: HandshakeEnv, key: AuthKey, remote: { name: string; ip: string }, cb: HandshakeCallbacks): void {
  const { certs, scheduler } = env;
  const td = certs.trustDomain(env.nodeName);
  const rtt = 2 * (remote.name === env.nodeName ? LATENCY_NS.sameNode : LATENCY_NS.crossNode);
  const local = certs.svidFor(env.nodeName, key.localIdentity);
  if (local === undefined) {
    scheduler.after(0, 'auth-handshake', () =>
      cb.failed(
        `unable to get certificate for local identity ${key.localIdentity}: no SPIFFE ID for spiffe://${td}/identity/${key.localIdentity}`,
      ),
    );
    return;
  }
  const dial = `failed to dial ${remote.ip}:${env.port}`;
  scheduler.after(2 * rtt, 'auth-handshake', () => {
    const sni = `${key.remoteIdentity}.${td}`;
    const remoteTd = certs.trustDomain(remote.name);
    // The server parses the SNI against its own trust domain and aborts with an alert.
    if (!sni.endsWith(`.${remoteTd}`)) return cb.failed(`${dial}: remote error: tls: internal error`);
    const server = certs.svidFor(remote.name, key.remoteIdentity);
    if (server === undefined) return cb.failed(`${dial}: remote error: tls: internal error`);
    cb.debug('Validating Server SNI', [['SNI ID', String(key.remoteIdentity)]]);
    const expected = `spiffe://${td}/identity/${key.remoteIdentity}`;
    const serverCheck = certs.verify(env.nodeName, server, expected);
    if (!serverCheck.ok) return cb.failed(`${dial}: tls: failed to verify certificate: ${serverCheck.reason}`);
    cb.debug('Validated certificate', [['uri-san', `[${server.spiffeId}]`]]);
    const clientCheck = certs.verify(remote.name, local, local.spiffeId);
    if (!clientCheck.ok) return cb.failed(`${dial}: remote error: tls: bad certificate`);
    cb.succeeded(Math.min(local.notAfterMs, server.notAfterMs));
  });
}
