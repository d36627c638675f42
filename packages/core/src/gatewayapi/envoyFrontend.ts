import { newCtEntry } from '../datapath/conntrack.ts';
import type { FlowEmitter } from '../datapath/flowEmitter.ts';
import type { HttpRequest, HttpResponse, Packet } from '../datapath/packet.ts';
import { accessDenied, requestRecord, responseRecord } from '../proxy/l7Proxy.ts';
import { NS_PER_S } from '../sim/duration.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { httpResponse, type ServerApp } from '../workload/serverApp.ts';
import { TcpClient } from '../workload/tcpClient.ts';
import type { WorkloadStack } from '../workload/workloadStack.ts';
import type { BackendTarget, FrontendModel, ListenerModel, RouteAction } from './frontendModel.ts';
import { applyRequestFilters, applyResponseFilters } from './httpFilters.ts';
import { type Routed, selectRoute } from './routeMatch.ts';

/** How long Envoy waits for an upstream connection (Cilium's clusters set 2 s) before answering 503. */
export const CONNECT_TIMEOUT_NS = 2 * NS_PER_S;

export interface EnvoyEnv {
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly emit: FlowEmitter;
  /** The node's stack holding its `reserved:ingress` address, the source of every second leg. */
  ingressStack(node: string): WorkloadStack | undefined;
  /** A Service port's ClusterIP address, for the second leg to go through the load balancer. */
  serviceAddress(namespace: string, service: string): string | undefined;
  /**
   * Whether the ingress policy of the `reserved:ingress` identity admits the client on the
   * backend's port (enforced in Envoy, on the first leg).
   */
  admitsClient(clientIp: string, node: string, port: number): boolean;
  /** Whether the egress policy of the `reserved:ingress` identity admits the backend pod on its port. */
  admitsBackend(backendIp: string, node: string, port: number): boolean;
}

/**
 * The node's Envoy serving one Gateway or Ingress address (the CiliumEnvoyConfig the operator
 * derived): the client's connection ends here; the request is matched against the listener's
 * routes, checked against the ingress identity's policy, filtered, and sent on a second
 * connection from the node's `reserved:ingress` address to a backend picked by weight. Hubble
 * gets the first leg's L7 records from here; the second leg is an ordinary connection the
 * datapath reports (and the backend's own policy decides).
 */
export function envoyFrontend(env: EnvoyEnv, frontend: FrontendModel, listener: ListenerModel, node: string): ServerApp {
  return {
    name: `envoy ${frontend.namespace}/${frontend.service}:${listener.port}`,
    serve(req, peer, respond) {
      const leg1: Packet = {
        proto: 'TCP',
        srcIp: peer.ip,
        sport: peer.port,
        dstIp: frontend.address,
        dport: listener.port,
        flags: { ACK: true, PSH: true },
      };
      const ct = newCtEntry(leg1, env.scheduler.clock.nowNs, {
        ip: frontend.address,
        port: listener.port,
        namespace: frontend.namespace,
        name: frontend.service,
      });
      const started = env.scheduler.clock.nowNs;
      const reply = (res: HttpResponse): void => {
        const answer: Packet = { ...leg1, srcIp: leg1.dstIp, dstIp: leg1.srcIp, sport: leg1.dport, dport: leg1.sport };
        env.emit.l7(answer, 'INGRESS', 'FORWARDED', node, responseRecord(req, res.status, env.scheduler.clock.nowNs - started), true, ct);
        respond(res);
      };
      const recordRequest = (verdict: 'FORWARDED' | 'DROPPED') =>
        env.emit.l7(leg1, 'INGRESS', verdict, node, requestRecord(req), false, ct);
      const route = selectRoute(listener.routes, req);
      if (route === undefined) {
        recordRequest('FORWARDED');
        return reply(httpResponse(404, ''));
      }
      const filtered = applyRequestFilters(route.to.filters, req, route.match.path);
      if (filtered.kind === 'redirect') {
        recordRequest('FORWARDED');
        return reply(filtered.response);
      }
      const backend = pickBackend(route.to, env.rng);
      const upstream = backend === undefined ? undefined : connectUpstream(env, node, backend);
      // Envoy enforces the ingress identity's policy on the backend pod's port: its ingress
      // policy towards the client, its egress policy towards the backend.
      if (
        upstream !== undefined &&
        (!env.admitsClient(peer.ip, node, upstream.port) || !env.admitsBackend(upstream.ip, node, upstream.port))
      ) {
        recordRequest('DROPPED');
        return reply(accessDenied());
      }
      recordRequest('FORWARDED');
      for (const m of filtered.mirrors) {
        const ref = m.requestMirror!.backendRef;
        const mirror = connectUpstream(env, node, {
          namespace: frontendNamespace(route),
          service: ref.name,
          port: ref.port ?? 80,
          weight: 1,
        });
        if (mirror !== undefined) exchange(env, mirror, { ...filtered.request, scheme: 'http' }, () => {});
      }
      if (upstream === undefined) return reply(backend === undefined ? httpResponse(500, '') : unavailable('no healthy upstream'));
      // Envoy speaks plain HTTP to the backends, whether or not it terminated TLS for the client.
      const forwarded = { ...filtered.request, scheme: 'http' as const };
      exchange(env, upstream, forwarded, (res) => reply(applyResponseFilters(route.to.filters, res)));
    },
  };
}

/** The namespace of the route a match came from (its backends and mirrors live there). */
function frontendNamespace(route: Routed<RouteAction>): string {
  return route.origin.key.split('/')[0]!;
}

/** One backend by weight; undefined when the draw lands on a backend that did not resolve. */
export function pickBackend(action: RouteAction, rng: Rng): BackendTarget | undefined {
  const total = action.backends.reduce((n, b) => n + b.weight, 0) + action.unresolved;
  if (total === 0) return undefined;
  let draw = rng.int(0, total - 1);
  for (const b of action.backends) {
    if (draw < b.weight) return b;
    draw -= b.weight;
  }
  return undefined;
}

/** A second-leg connection about to open: its socket and the backend pod the load balancer picked. */
export interface Upstream {
  readonly stack: WorkloadStack;
  readonly sport: number;
  readonly ip: string;
  readonly port: number;
}

/** Picks the second leg's source port and, through the Service's load balancing, its pod. */
export function connectUpstream(env: EnvoyEnv, node: string, b: BackendTarget): Upstream | undefined {
  const stack = env.ingressStack(node);
  const vip = env.serviceAddress(b.namespace, b.service);
  if (stack === undefined || vip === undefined) return undefined;
  const sport = env.rng.int(32768, 60999);
  const target = stack.connectTarget(sport, vip, b.port, 'TCP', (n) => env.rng.int(0, n - 1));
  return target === undefined ? undefined : { stack, sport, ip: target.ip, port: target.port };
}

/**
 * The second leg: a connection from the node's ingress address to the backend pod, the request,
 * and its response; Envoy's 503 when the upstream refuses, resets or does not answer the
 * handshake in time (a policy drop on the backend's side).
 */
function exchange(env: EnvoyEnv, up: Upstream, req: HttpRequest, done: (res: HttpResponse) => void): void {
  let finished = false;
  const finish = (res: HttpResponse): void => {
    if (finished) return;
    finished = true;
    env.scheduler.cancel(timer);
    done(res);
  };
  const client = new TcpClient(up.stack, env.scheduler, up.sport, up.ip, up.port, {
    onConnect(result) {
      if (result !== 'connected')
        return finish(unavailable('upstream connect error or disconnect/reset before headers. reset reason: connection failure'));
      client.send({ kind: 'http-request', request: req });
    },
    onData(payload) {
      if (payload?.kind !== 'http-response') return;
      client.close();
      finish(payload.response);
    },
    onReset: () => finish(unavailable('upstream connect error or disconnect/reset before headers. reset reason: connection termination')),
  });
  const timer = env.scheduler.after(CONNECT_TIMEOUT_NS, 'envoy-connect-timeout', () => {
    if (client.state !== 'syn-sent') return;
    client.abort();
    finish(unavailable('upstream connect error or disconnect/reset before headers. reset reason: connection timeout'));
  });
  client.connect();
}

function unavailable(body: string): HttpResponse {
  return {
    ...httpResponse(503, body),
    headers: [
      ['content-length', String(body.length)],
      ['content-type', 'text/plain'],
      ['server', 'envoy'],
    ],
  };
}
