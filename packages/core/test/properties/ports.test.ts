// Invariant: port rules admit exactly the ports they name, end to end, with an oracle that shares
// no code with the simulator (the policy map stores ranges as prefix-aligned blocks; the
// reference evaluator uses the same split, so only an outside oracle checks the split). A
// server pod gets random allow ranges (port, endPort, every port, TCP/UDP/ANY/none) and deny
// ranges, as a CNP or a NetworkPolicy; a client curls random ports. A port the server does not
// listen on answers with a reset (curl exit 7) when policy lets the SYN through, and with
// silence (exit 28) when policy drops it, so every port tells allowed from dropped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { manifest } from './arbitraries.ts';
import { kindPodYaml, type KindPod } from './policyKinds.ts';

interface Range {
  readonly port: number;
  readonly endPort: number | undefined;
  readonly protocol: 'TCP' | 'UDP' | 'ANY' | undefined;
}

const SERVER: KindPod = { name: 'server', namespace: 'default', labels: { app: 'server' }, node: 'kind-worker', ip: undefined };
const CLIENT: KindPod = { name: 'client', namespace: 'default', labels: { app: 'client' }, node: 'kind-worker2', ip: undefined };

/** Ports near interesting edges: block boundaries, the server's ports, the ends of the range. */
const portArb = fc.oneof(fc.constantFrom(1, 79, 80, 81, 443, 1023, 1024, 8080, 8191, 8192, 65535), fc.integer({ min: 1, max: 65535 }));
const rangeArb: fc.Arbitrary<Range> = fc
  .record({
    port: fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: portArb, weight: 6 }),
    span: fc.option(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 20000 })), { nil: undefined }),
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'ANY' as const, undefined),
  })
  .map(({ port, span, protocol }) => ({
    port,
    endPort: port === 0 || span === undefined ? undefined : Math.min(65535, port + span),
    protocol,
  }));

function covers(r: Range, port: number, knp: boolean): boolean {
  const tcp = r.protocol === 'TCP' || r.protocol === 'ANY' || r.protocol === undefined;
  // NetworkPolicy has no ANY; an absent protocol is TCP there as well.
  if (!tcp || (knp && r.protocol === 'ANY')) return false;
  return r.port === 0 || (port >= r.port && port <= (r.endPort ?? r.port));
}

function portSpec(r: Range, knp: boolean): Record<string, unknown> {
  return {
    ...(r.port === 0 && knp ? {} : { port: knp ? r.port : String(r.port) }),
    ...(r.endPort === undefined ? {} : { endPort: r.endPort }),
    ...(r.protocol === undefined ? {} : { protocol: r.protocol }),
  };
}

function policy(allows: readonly Range[], denies: readonly Range[], knp: boolean): string {
  if (knp) {
    return JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'ports', namespace: 'default' },
      spec: { podSelector: { matchLabels: SERVER.labels }, ingress: [{ ports: allows.map((r) => portSpec(r, true)) }] },
    });
  }
  return JSON.stringify({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'ports', namespace: 'default' },
    spec: {
      endpointSelector: { matchLabels: SERVER.labels },
      ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: allows.map((r) => portSpec(r, false)) }] }],
      ...(denies.length === 0
        ? {}
        : { ingressDeny: [{ fromEndpoints: [{}], toPorts: [{ ports: denies.map((r) => portSpec(r, false)) }] }] }),
    },
  });
}

describe('port rules', () => {
  it('let a TCP connection through exactly on the ports some allow range covers and no deny range covers', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(rangeArb, { minLength: 1, maxLength: 3 }),
        fc.array(rangeArb, { maxLength: 2 }),
        fc.array(portArb, { minLength: 1, maxLength: 6 }),
        (knp, allows, denyRanges, ports) => {
          // NetworkPolicy has neither ANY nor deny rules.
          const usable = knp ? allows.filter((r) => r.protocol !== 'ANY') : allows;
          fc.pre(usable.length > 0);
          const denies = knp ? [] : denyRanges;
          const cluster = Cluster.create({ seed: 19, mutualAuth: false });
          const results = cluster.apply(manifest([kindPodYaml(SERVER), kindPodYaml(CLIENT), policy(usable, denies, knp)]));
          expect(results.filter((r) => !r.ok).map((r) => r.error.message)).toEqual([]);
          const server = cluster.inspect.endpoint('default', 'server')!.ip;
          // Besides the random ports, both edges of every range and their outside neighbours.
          const edges = [...usable, ...denies]
            .filter((r) => r.port !== 0)
            .flatMap((r) => [r.port - 1, r.port, r.endPort ?? r.port, (r.endPort ?? r.port) + 1]);
          for (const port of [...new Set([...ports, ...edges])].filter((x) => x >= 1 && x <= 65535)) {
            const expected = usable.some((r) => covers(r, port, knp)) && !denies.some((r) => covers(r, port, false));

            const out = cluster.exec('default/client').curl({ url: `http://${server}:${port}/`, connectTimeoutMs: 1000 });

            const through = out.kind === 'response' || out.code !== 28;
            expect(through, `port ${port}`).toBe(expected);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
