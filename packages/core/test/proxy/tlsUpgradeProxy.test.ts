import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/hubble/flow.ts';
import { curlCarts, register, spiffeCluster, upgradePolicies } from '../cluster/spiffeFixtures.ts';

// The proxies' side of AccuKnox's SPIFFE TLS upgrade on a real (simulated) cluster: SPIRE entries
// registered by hand, the fork's policies applied, and curl from the client pods.
const tcp = (f: Flow) => (f.l4 !== undefined && 'TCP' in f.l4 ? f.l4.TCP : undefined);
const UPSTREAM = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: ';

describe('TlsUpgradeProxy', () => {
  it('carries front-end -> carts:80 to carts:443 and back to the app on 80', () => {
    const cluster = spiffeCluster();
    register(cluster, 'front-end', 'carts');
    cluster.apply(upgradePolicies());

    expect(curlCarts(cluster, 'front-end')).toBe('200');

    const http = cluster.flows().filter((f) => f.l7?.http !== undefined);
    const requests = http.filter((f) => f.l7?.type === 'REQUEST').map((f) => `${f.traffic_direction} ${tcp(f)?.destination_port}`);
    expect(requests).toEqual(['EGRESS 80', 'INGRESS 443']);
    const responses = http
      .filter((f) => f.l7?.type === 'RESPONSE')
      .map((f) => `${f.traffic_direction} ${tcp(f)?.source_port} ${f.l7?.http?.code}`);
    expect(responses).toEqual(['INGRESS 443 200', 'EGRESS 80 200']);
    const delivered = cluster.flows().filter((f) => f.trace_observation_point === 'TO_ENDPOINT' && f.destination?.pod_name === 'carts');
    expect(new Set(delivered.map((f) => tcp(f)?.destination_port))).toEqual(new Set([80]));
  });

  it('answers 503 when the server presents a SPIFFE ID the client does not accept', () => {
    const cluster = spiffeCluster();
    register(cluster, 'front-end', 'carts');
    cluster.apply(upgradePolicies({ serverIds: ['spiffe://example.org/carts-v2'] }));

    expect(curlCarts(cluster, 'front-end')).toBe(
      `503 ${UPSTREAM}TLS error: server SPIFFE ID spiffe://example.org/carts is not one of spiffe://example.org/carts-v2`,
    );
  });

  it('answers 503 when the server does not accept the client SPIFFE ID, and Hubble logs it at the client', () => {
    const cluster = spiffeCluster();
    register(cluster, 'front-end', 'carts', 'orders');
    cluster.apply(upgradePolicies({ client: 'orders' }));

    expect(curlCarts(cluster, 'orders')).toBe(
      `503 ${UPSTREAM}TLS error: client SPIFFE ID spiffe://example.org/orders is not one of spiffe://example.org/front-end`,
    );
    const l7 = cluster
      .flows()
      .filter((f) => f.l7 !== undefined)
      .map((f) => `${f.node_name} ${f.traffic_direction} ${f.l7?.type} ${f.l7?.http?.code ?? ''}`.trim());
    const ordersNode = cluster.get('Pod', 'orders', 'default')!.spec.nodeName;
    expect(l7).toEqual([`${ordersNode} EGRESS REQUEST`, `${ordersNode} EGRESS RESPONSE 503`]);
  });

  it('answers 503 when the client workload has no SVID', () => {
    const cluster = spiffeCluster();
    register(cluster, 'carts');
    cluster.apply(upgradePolicies());

    expect(curlCarts(cluster, 'front-end')).toBe(`503 ${UPSTREAM}no SVID issued to the client workload`);
  });

  it('resets a plain client that talks to the terminating port directly', () => {
    const cluster = spiffeCluster();
    register(cluster, 'front-end', 'carts', 'orders');
    cluster.apply(upgradePolicies());

    expect(curlCarts(cluster, 'orders', 443)).toBe('exit 56');
    expect(cluster.flows().filter((f) => f.source?.pod_name === 'orders' && f.l7 !== undefined)).toEqual([]);
  });

  it('gives the same flows for the same seed', () => {
    const once = (): string => {
      const cluster = spiffeCluster(7);
      register(cluster, 'front-end', 'carts', 'orders');
      cluster.apply(upgradePolicies());
      curlCarts(cluster, 'front-end');
      curlCarts(cluster, 'orders', 443);
      return JSON.stringify(cluster.flows());
    };
    expect(once()).toBe(once());
  });
});
