// Hand-built flows shaped as the datapath emits them, borrowed from the Hubble tests.
import { describe, expect, it } from 'vitest';
import { observedConnections } from '../../src/toolkit/observedConnections.ts';
import {
  authAllowedVerdict,
  authDeniedVerdict,
  authRequiredDrop,
  httpRequestDenied,
  httpResponse403,
  replyTrace,
  xwingDeniedVerdict,
  xwingPolicyDrop,
} from '../hubble/flowFixtures.ts';

describe('observedConnections', () => {
  it('folds a handshake that was first dropped for authentication into one forwarded connection', () => {
    const [c, ...rest] = observedConnections([authDeniedVerdict, authRequiredDrop, authAllowedVerdict]);

    expect(rest).toEqual([]);
    expect(c).toMatchObject({ protocol: 'TCP', port: 3000, verdict: 'FORWARDED', source: { name: 'default/pod-worker', kind: 'pod' } });
  });

  it('keeps a policy drop as one dropped connection with its reason and leaves replies out', () => {
    const conns = observedConnections([xwingDeniedVerdict, xwingPolicyDrop, xwingPolicyDrop, replyTrace]);

    expect(conns.map((c) => [c.source.name, c.destination.name, c.port, c.verdict, c.dropReason])).toEqual([
      ['default/xwing', 'default/deathstar', 80, 'DROPPED', 'POLICY_DENIED'],
    ]);
  });

  it('records HTTP requests with their verdict, path without the host', () => {
    const [c] = observedConnections([httpRequestDenied, httpResponse403]);

    expect(c!.requests).toEqual([
      { method: 'PUT', host: 'deathstar.default.svc.cluster.local', path: '/v1/exhaust-port', verdict: 'DROPPED' },
    ]);
  });
});
