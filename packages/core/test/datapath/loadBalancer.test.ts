import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoadBalancer, type Frontend } from '../../src/datapath/loadBalancer.ts';
import type { Protocol } from '../../src/datapath/packet.ts';

// A connection's lookup reads an index by address and (port, protocol) kept beside the frontends'
// string-keyed table; whatever services are replaced, emptied or made to share an address, it
// must answer as the table the listing shows.
describe('load balancer lookups', () => {
  const ips = ['10.96.0.10', '10.96.0.11', '10.96.1.10'];
  const ports = [53, 80, 443];
  const protos: Protocol[] = ['TCP', 'UDP', 'SCTP'];
  const frontend = (namespace: string, name: string) =>
    fc
      .record({
        ip: fc.constantFrom(...ips),
        port: fc.constantFrom(...ports),
        proto: fc.constantFrom(...protos),
      })
      .map((f): Frontend => ({ ...f, namespace, name, backends: [{ ip: '10.244.1.5', port: f.port }] }));
  const step = fc
    .tuple(fc.constantFrom('default', 'kube-system'), fc.constantFrom('a', 'b', 'c'))
    .chain(([ns, name]) =>
      fc.record({ ns: fc.constant(ns), name: fc.constant(name), frontends: fc.array(frontend(ns, name), { maxLength: 3 }) }),
    );

  it('answers as the listed frontends do, through replaced and removed services', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const lb = new LoadBalancer();
        for (const s of steps) {
          lb.replaceService(s.ns, s.name, s.frontends);
          const listed = lb.frontends();
          for (const ip of ips)
            for (const port of ports)
              for (const proto of protos)
                expect(lb.lookup(ip, port, proto)).toBe(listed.find((f) => f.ip === ip && f.port === port && f.proto === proto));
        }
      }),
      { numRuns: 200 },
    );
  });
});
