import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../src/datapath/packet.ts';
import { grpcPathMatch } from '../../src/gatewayapi/grpcRoute.ts';
import { requestMatches } from '../../src/gatewayapi/routeMatch.ts';

const call = (path: string): HttpRequest => ({
  method: 'POST',
  path,
  host: 'grpc.example.com',
  headers: [['content-type', 'application/grpc']],
  body: '',
  scheme: 'http',
  version: 'HTTP/2',
});

type MethodMatch = Parameters<typeof grpcPathMatch>[0];

// GRPCMethodMatch semantics (Gateway API v1.1 GRPCRoute): which calls each method match takes.
const CASES: readonly [string, MethodMatch, readonly string[], readonly string[]][] = [
  [
    'service and method, Exact',
    { service: 'helloworld.Greeter', method: 'SayHello' },
    ['/helloworld.Greeter/SayHello'],
    ['/helloworld.Greeter/SayHelloAgain', '/helloworld.Other/SayHello'],
  ],
  [
    'service only, Exact',
    { service: 'helloworld.Greeter' },
    ['/helloworld.Greeter/SayHello', '/helloworld.Greeter/Other'],
    ['/helloworld.GreeterX/SayHello'],
  ],
  [
    'method only, Exact, under any service',
    { method: 'SayHello' },
    ['/a.B/SayHello', '/helloworld.Greeter/SayHello'],
    ['/a.B/SayHelloX', '/a.B/Say.Hello'],
  ],
  [
    'service, RegularExpression',
    { type: 'RegularExpression', service: 'helloworld\\..*' },
    ['/helloworld.Greeter/SayHello'],
    ['/routeguide.RouteGuide/GetFeature'],
  ],
  ['method, RegularExpression', { type: 'RegularExpression', method: 'Say.*' }, ['/x.Y/SayHi'], ['/x.Y/GetFeature']],
  ['no method match', undefined, ['/any.Service/Any'], []],
];

describe('GRPCRoute method matches', () => {
  it.each(CASES)('%s', (_name, method, taken, refused) => {
    const match = { path: grpcPathMatch(method), headers: [], queryParams: [] };
    for (const path of taken) expect(requestMatches(match, call(path)), path).toBe(true);
    for (const path of refused) expect(requestMatches(match, call(path)), path).toBe(false);
  });

  it('translates a service and method to the exact path of the call, as Cilium writes Envoy’s route', () => {
    expect(grpcPathMatch({ service: 'helloworld.Greeter', method: 'SayHello' })).toEqual({
      type: 'Exact',
      value: '/helloworld.Greeter/SayHello',
    });
  });
});
