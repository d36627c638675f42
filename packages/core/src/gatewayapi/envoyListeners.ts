import type { Payload } from '../datapath/packet.ts';
import type { ServerApp } from '../workload/serverApp.ts';
import { TcpClient } from '../workload/tcpClient.ts';
import { CONNECT_TIMEOUT_NS, connectUpstream, type EnvoyEnv, envoyFrontend, pickBackend, type Upstream } from './envoyFrontend.ts';
import type { FrontendModel, ListenerModel, PassthroughRoute } from './frontendModel.ts';
import { selectBySni } from './sniSelection.ts';

/** How many handshakes an HTTPS port remembers until their request comes (the oldest go first). */
const MAX_PENDING_SESSIONS = 1024;

/**
 * The node's Envoy listening on each port of a Gateway or Ingress address, as Cilium merges the
 * listeners of one port into one Envoy listener: plain HTTP listeners share a route table (their
 * routes carry the listeners' hostnames); on a port with TLS the ClientHello's server name picks
 * the listener (its filter chain): an HTTPS one terminates with its Secret's certificate and
 * routes the request inside by its HTTPRoutes, a passthrough one hands the stream to the
 * backend its TLSRoutes pick, unopened.
 */
export function envoyPorts(env: EnvoyEnv, frontend: FrontendModel, node: string): Map<number, ServerApp> {
  const byPort = new Map<number, ListenerModel[]>();
  for (const l of frontend.listeners) byPort.set(l.port, [...(byPort.get(l.port) ?? []), l]);
  const ports = new Map<number, ServerApp>();
  for (const [port, listeners] of byPort) {
    const plain = listeners.filter((l) => l.protocol === 'HTTP');
    ports.set(
      port,
      plain.length === listeners.length
        ? envoyFrontend(env, frontend, { ...listeners[0]!, routes: listeners.flatMap((l) => l.routes) }, node)
        : tlsPort(env, frontend, listeners, node),
    );
  }
  return ports;
}

/** A port whose listeners take TLS: the handshake picks the listener by SNI. */
function tlsPort(env: EnvoyEnv, frontend: FrontendModel, listeners: readonly ListenerModel[], node: string): ServerApp {
  const chains = listeners
    .filter((l) => l.protocol !== 'HTTP')
    .map((l) => ({
      hostnames: l.hostname === undefined ? [] : [l.hostname],
      listener: l,
      http: l.protocol === 'HTTPS' ? envoyFrontend(env, frontend, l, node) : undefined,
    }));
  // The listener each terminated connection's handshake chose, until its request arrives.
  const sessions = new Map<string, ServerApp>();
  return {
    name: `envoy ${frontend.namespace}/${frontend.service}:${listeners[0]!.port}`,
    tls(hello, peer, answer) {
      const chain = selectBySni(chains, hello.sni);
      if (chain === undefined) return answer(undefined);
      const { listener, http } = chain;
      if (listener.passthrough !== undefined) return passThrough(env, node, listener.passthrough, hello, peer.ip, answer);
      if (listener.certificate === undefined || http === undefined) return answer(undefined);
      sessions.set(`${peer.ip}:${peer.port}`, http);
      if (sessions.size > MAX_PENDING_SESSIONS) sessions.delete(sessions.keys().next().value!);
      answer({ kind: 'tls-server-hello', certificate: { subject: listener.certificate.subject, issuer: listener.certificate.issuer } });
    },
    serve(req, peer, respond, reset) {
      const key = `${peer.ip}:${peer.port}`;
      const http = sessions.get(key);
      sessions.delete(key);
      // Plain HTTP on a TLS port is no ClientHello: Envoy drops the connection.
      if (http?.serve === undefined) return reset();
      http.serve(req, peer, respond, reset);
    },
  };
}

/**
 * TLS passthrough: the TLSRoute whose hostname best matches the SNI, one of its backends by
 * weight, and a connection from the node's ingress address to it carrying the client's hello;
 * the backend's answer goes back as it came. Envoy enforces the ingress identity's policy on
 * both legs, as for HTTP; a refusal, a missing route or backend ends the handshake.
 */
function passThrough(
  env: EnvoyEnv,
  node: string,
  routes: readonly PassthroughRoute[],
  hello: { readonly sni: string },
  clientIp: string,
  answer: (reply: Payload | undefined) => void,
): void {
  const ordered = [...routes].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.key < b.key ? -1 : 1));
  const route = selectBySni(ordered, hello.sni);
  const backend = route === undefined ? undefined : pickBackend(route.to, env.rng);
  const upstream = backend === undefined ? undefined : connectUpstream(env, node, backend);
  if (upstream === undefined || !env.admitsClient(clientIp, node, upstream.port) || !env.admitsBackend(upstream.ip, node, upstream.port))
    return answer(undefined);
  relay(env, upstream, { kind: 'tls-client-hello', sni: hello.sni }, answer);
}

/** Sends the hello to the backend and returns its first answer; undefined when the backend refuses, resets or stays silent. */
function relay(env: EnvoyEnv, up: Upstream, hello: Payload, answer: (reply: Payload | undefined) => void): void {
  let finished = false;
  const finish = (reply: Payload | undefined): void => {
    if (finished) return;
    finished = true;
    env.scheduler.cancel(timer);
    answer(reply);
  };
  const client = new TcpClient(up.stack, env.scheduler, up.sport, up.ip, up.port, {
    onConnect(result) {
      if (result !== 'connected') return finish(undefined);
      client.send(hello);
    },
    onData(payload) {
      if (payload?.kind !== 'tls-server-hello') return;
      client.close();
      finish(payload);
    },
    onReset: () => finish(undefined),
  });
  const timer = env.scheduler.after(CONNECT_TIMEOUT_NS, 'envoy-connect-timeout', () => {
    if (client.state !== 'syn-sent') return;
    client.abort();
    finish(undefined);
  });
  client.connect();
}
