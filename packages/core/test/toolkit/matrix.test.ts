import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { isSimError } from '../../src/errors.ts';
import type { Endpoint } from '../../src/agent/endpoint.ts';
import type { EndpointPolicyView } from '../../src/policy/policyDecision.ts';
import { computeMatrix, connectivityMatrix, MAX_MATRIX_CELLS, parseMatrixPort, type MatrixInput } from '../../src/toolkit/matrix.ts';
import { printMatrix } from '../../src/toolkit/matrixPrinters.ts';
import { manifest, starWars } from './starWars.ts';

describe('connectivity matrix of the Star Wars demo', () => {
  it('allows every pair before any policy and denies only xwing -> deathstar after rule1', () => {
    const cluster = starWars();
    const before = connectivityMatrix(cluster, { by: 'identity' });
    expect(before.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(before.cells.every((c) => c.combined)).toBe(true);

    cluster.apply(manifest('sw_l3_l4_policy.yaml'));
    const after = connectivityMatrix(cluster, { by: 'identity' });

    expect(after.cells.filter((c) => !c.combined).map((c) => `${c.source} -> ${c.destination}`)).toEqual([
      'default/xwing -> default/deathstar',
    ]);
    expect(after.cells.find((c) => c.source === 'default/tiefighter' && c.destination === 'default/deathstar')?.combined).toBe(true);
  });

  it('prints policy-assistant style truth tables per port', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_policy.yaml'));

    const text = printMatrix(connectivityMatrix(cluster, { by: 'identity' }), 'table');

    expect(text).toMatchInlineSnapshot(`
      "probe on port 80, protocol TCP
      Ingress:
      +--------------------+-------------------+--------------------+---------------+
      |                    | DEFAULT/DEATHSTAR | DEFAULT/TIEFIGHTER | DEFAULT/XWING |
      +--------------------+-------------------+--------------------+---------------+
      | default/deathstar  | .                 | .                  | .             |
      | default/tiefighter | .                 | .                  | .             |
      | default/xwing      | X                 | .                  | .             |
      +--------------------+-------------------+--------------------+---------------+

      Egress:
      +--------------------+-------------------+--------------------+---------------+
      |                    | DEFAULT/DEATHSTAR | DEFAULT/TIEFIGHTER | DEFAULT/XWING |
      +--------------------+-------------------+--------------------+---------------+
      | default/deathstar  | .                 | .                  | .             |
      | default/tiefighter | .                 | .                  | .             |
      | default/xwing      | .                 | .                  | .             |
      +--------------------+-------------------+--------------------+---------------+

      Combined:
      +--------------------+-------------------+--------------------+---------------+
      |                    | DEFAULT/DEATHSTAR | DEFAULT/TIEFIGHTER | DEFAULT/XWING |
      +--------------------+-------------------+--------------------+---------------+
      | default/deathstar  | .                 | .                  | .             |
      | default/tiefighter | .                 | .                  | .             |
      | default/xwing      | X                 | .                  | .             |
      +--------------------+-------------------+--------------------+---------------+
      "
    `);
  });

  it('marks a pod with itself as # when listed by pod', () => {
    const cluster = starWars();

    const m = connectivityMatrix(cluster, { by: 'pod', ports: [{ port: 80, protocol: 'TCP' }] });

    expect(m.cells.filter((c) => c.self).map((c) => c.source)).toEqual(m.peers.map((p) => p.name));
    expect(printMatrix(m, 'table').split('\n')[5]).toMatch(/^\| default\/deathstar-[a-z0-9]+-[a-z0-9]+ \| # /);
  });

  it('writes one csv row per pair and port', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_policy.yaml'));

    const csv = printMatrix(
      connectivityMatrix(cluster, {
        by: 'identity',
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      }),
      'csv',
    );

    expect(csv.split('\n')[0]).toBe('source,destination,port,protocol,ingress,egress,combined');
    expect(csv).toContain('default/xwing,default/deathstar,80,TCP,denied,allowed,denied\n');
    expect(csv).toContain('default/xwing,default/deathstar,53,UDP,denied,allowed,denied\n');
    expect(csv.trim().split('\n')).toHaveLength(1 + 2 * 9);
  });

  it('is JSON with peers, ports and cells', () => {
    const m = connectivityMatrix(starWars(), { by: 'identity' });

    const parsed = JSON.parse(printMatrix(m, 'json')) as { peers: { name: string; identity: number }[]; cells: unknown[] };

    expect(parsed.peers.map((p) => p.name)).toEqual(['default/deathstar', 'default/tiefighter', 'default/xwing']);
    expect(parsed.cells).toHaveLength(9);
  });

  it('reads PORT/PROTOCOL and rejects what is not a port', () => {
    expect(parseMatrixPort('80/TCP')).toEqual({ port: 80, protocol: 'TCP' });
    expect(parseMatrixPort('udp/53')).toEqual({ port: 53, protocol: 'UDP' });
    expect(parseMatrixPort('8080')).toEqual({ port: 8080, protocol: 'TCP' });
    for (const bad of ['http', '70000/TCP', '80/ICMP', '0']) {
      let caught: unknown;
      try {
        parseMatrixPort(bad);
      } catch (e) {
        caught = e;
      }
      expect(isSimError(caught) && caught.code).toBe('INVALID_PORT');
    }
  });
});

// Each run builds a small cluster with random labels and random L3/L4 policies, then sends real
// connection attempts (nc -z through the datapath) and compares them with the matrix.
describe('connectivity matrix agrees with the datapath', () => {
  const labelArb = fc.record({ app: fc.constantFrom('a', 'b', 'c'), tier: fc.constantFrom('x', 'y') });
  const selectorArb = fc
    .oneof(fc.constant({}), fc.record({ app: fc.constantFrom('a', 'b', 'c') }), fc.record({ tier: fc.constantFrom('x', 'y') }))
    .map((m) => ({ matchLabels: m }));
  const portsArb = fc.option(fc.constant([{ ports: [{ port: '8080', protocol: 'TCP' }] }]), { nil: undefined });
  const ruleArb = (dir: 'from' | 'to') =>
    fc
      .record({ peers: fc.array(selectorArb, { minLength: 1, maxLength: 2 }), toPorts: portsArb })
      .map((r) => ({ [`${dir}Endpoints`]: r.peers, ...(r.toPorts === undefined ? {} : { toPorts: r.toPorts }) }));
  const policyArb = fc.record({
    selector: selectorArb,
    ingress: fc.option(fc.array(ruleArb('from'), { maxLength: 2 }), { nil: undefined }),
    egress: fc.option(fc.array(ruleArb('to'), { maxLength: 2 }), { nil: undefined }),
    ingressDeny: fc.option(fc.array(ruleArb('from'), { minLength: 1, maxLength: 1 }), { nil: undefined }),
  });

  it('gives the verdict that nc -z sees for random pairs', () => {
    const seen = new Set<boolean>();
    fc.assert(
      fc.property(
        fc.array(labelArb, { minLength: 2, maxLength: 3 }),
        fc.array(policyArb, { maxLength: 2 }),
        fc.nat(),
        (pods, policies, pick) => {
          const cluster = Cluster.create({ seed: 7 });
          cluster.apply(pods.map((l, i) => podYaml(`p${i}`, l)).join('\n---\n'));
          cluster.advance('10s');
          cluster.apply(policies.map((p, i) => policyYaml(`rule${i}`, p)).join('\n---\n'));
          const m = connectivityMatrix(cluster, { by: 'pod', ports: [{ port: 8080, protocol: 'TCP' }] });
          const pairs = m.cells.filter((c) => !c.self);
          for (const cell of [pairs[pick % pairs.length]!, pairs[(pick + 1) % pairs.length]!]) {
            const dstIp = cluster.get('Pod', cell.destination.split('/')[1]!, 'default')!.status.podIP!;
            const r = cluster.exec(cell.source).nc({ host: dstIp, port: 8080, timeoutS: 1 });
            expect(r.ok, `${cell.source} -> ${cell.destination}`).toBe(cell.combined);
            seen.add(r.ok);
          }
        },
      ),
      { numRuns: 15 },
    );
    // The runs must have exercised both outcomes, or the agreement says little.
    expect([...seen].sort()).toEqual([false, true]);
  });
});

function podYaml(name: string, labels: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
  });
}

function policyYaml(
  name: string,
  p: { selector: unknown; ingress: unknown[] | undefined; egress: unknown[] | undefined; ingressDeny: unknown[] | undefined },
): string {
  const spec = Object.fromEntries(
    Object.entries({ endpointSelector: p.selector, ingress: p.ingress, egress: p.egress, ingressDeny: p.ingressDeny }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  return JSON.stringify({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name }, spec });
}

describe('a matrix over a large cluster', () => {
  const endpoints = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ namespace: 'default', podName: `p${i}`, identity: 1000 + i }) as unknown as Endpoint);
  const input = (n: number): MatrixInput => ({
    endpoints: endpoints(n),
    policyOf: () => ({ lookup: () => ({ allowed: true }) }) as unknown as EndpointPolicyView,
    listeningPorts: () => [{ port: 80, protocol: 'TCP' }],
  });

  it('is refused before it is computed when it would hold more than MAX_MATRIX_CELLS cells', () => {
    const side = Math.floor(Math.sqrt(MAX_MATRIX_CELLS));
    expect(computeMatrix(input(side)).cells).toHaveLength(side * side);
    let error: unknown;
    try {
      computeMatrix(input(side + 1), { ports: [{ port: 80, protocol: 'TCP' }] });
    } catch (e) {
      error = e;
    }
    expect(isSimError(error) && error.code).toBe('LIMIT_EXCEEDED');
    expect(isSimError(error) && error.message).toBe(
      `the matrix would hold ${(side + 1) ** 2} cells (${side + 1} × ${side + 1} peers × 1 ports); at most ${MAX_MATRIX_CELLS} are computed: narrow it to fewer namespaces or ports, or group by identity`,
    );
  });
});
