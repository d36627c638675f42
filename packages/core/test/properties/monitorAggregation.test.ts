// Monitor aggregation (the agent's `monitor-aggregation: medium`) only thins out trace events:
// the same seed and traffic run once with every packet reported (`none`) and once aggregated
// must agree on every drop, policy verdict and L7 record, and on which TCP flags each
// connection showed in each direction; aggregated traces are a subset of the full ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, type Flow } from '../../src/index.ts';

const PODS = ['a', 'b', 'c'] as const;

const MANIFEST = [
  ...PODS.map((name, i) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: name } },
      spec: {
        nodeName: i === 0 ? 'kind-worker' : 'kind-worker2',
        containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }],
      },
    }),
  ),
  // b takes traffic only from a on port 80: c's traffic to b is dropped.
  JSON.stringify({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'b-from-a' },
    spec: {
      endpointSelector: { matchLabels: { app: 'b' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'a' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
    },
  }),
].join('\n---\n');

interface Exchange {
  readonly from: (typeof PODS)[number];
  readonly to: (typeof PODS)[number];
  readonly kind: 'curl' | 'stream';
  readonly segments: number;
  readonly pauseMs: number;
}

const exchange: fc.Arbitrary<Exchange> = fc.record({
  from: fc.constantFrom(...PODS),
  to: fc.constantFrom(...PODS),
  kind: fc.constantFrom('curl' as const, 'stream' as const),
  segments: fc.integer({ min: 1, max: 40 }),
  pauseMs: fc.constantFrom(0, 10, 6000),
});

function play(level: 'none' | 'medium', exchanges: readonly Exchange[]): Flow[] {
  const cluster = Cluster.create({ seed: 21, mutualAuth: false });
  cluster.apply(MANIFEST);
  cluster.setConfig('monitor-aggregation', level);
  for (const x of exchanges) {
    const ip = cluster.inspect.endpoint('default', x.to)!.ip;
    const exec = cluster.exec(`default/${x.from}`);
    if (x.kind === 'curl') exec.curl({ url: `http://${ip}/`, connectTimeoutMs: 1000 });
    else exec.nc({ host: ip, port: 80, segments: x.segments, timeoutS: 1 });
    cluster.advance(x.pauseMs * 1_000_000);
  }
  return cluster.flows();
}

const isTrace = (f: Flow): boolean => f.event_type.type === 4;
/** A flow without its UUID, which numbers every event and so shifts when traces are left out. */
const text = (f: Flow): string => JSON.stringify({ ...f, uuid: undefined });
const connection = (f: Flow): string => {
  const tcp = f.l4 !== undefined && 'TCP' in f.l4 ? f.l4.TCP : undefined;
  return tcp === undefined ? '' : `${f.IP?.source}:${tcp.source_port} > ${f.IP?.destination}:${tcp.destination_port}`;
};
function flagsByConnection(flows: readonly Flow[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const f of flows.filter(isTrace)) {
    const tcp = f.l4 !== undefined && 'TCP' in f.l4 ? f.l4.TCP : undefined;
    for (const flag of Object.keys(tcp?.flags ?? {})) (out[connection(f)] ??= new Set()).add(flag);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

describe('monitor aggregation', () => {
  it("leaves out only repeated trace events: drops, verdicts and L7 records and each connection's flags are the same as with every packet reported", () => {
    fc.assert(
      fc.property(fc.array(exchange, { minLength: 1, maxLength: 6 }), (exchanges) => {
        const all = play('none', exchanges);
        const aggregated = play('medium', exchanges);

        expect(aggregated.filter((f) => !isTrace(f)).map(text)).toEqual(all.filter((f) => !isTrace(f)).map(text));
        expect(flagsByConnection(aggregated)).toEqual(flagsByConnection(all));
        const full = new Set(all.filter(isTrace).map(text));
        for (const f of aggregated.filter(isTrace)) expect(full.has(text(f))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });
});
