import type { HttpRequest, HttpResponse, Payload } from '../datapath/packet.ts';
import { utf8Length } from '../utf8.ts';

/** Who sent a request, as the server's socket sees it (after any SNAT on the way). */
export interface PeerAddress {
  readonly ip: string;
  readonly port: number;
}

/** An application listening in a pod: what it answers to HTTP requests and UDP datagrams. */
export interface ServerApp {
  readonly name: string;
  http?(req: HttpRequest, peer: PeerAddress): HttpResponse;
  /**
   * A server that answers later (a proxy waiting for its upstream): `respond` sends the answer,
   * `reset` resets the connection instead.
   */
  serve?(req: HttpRequest, peer: PeerAddress, respond: (res: HttpResponse) => void, reset: () => void): void;
  /**
   * A server that models its TLS handshake (Envoy terminating or passing TLS through): `answer`
   * gets its reply to the ClientHello, or undefined when the handshake fails (the connection is
   * reset). Without it a listening port answers every ClientHello with a bare ServerHello.
   */
  tls?(hello: { readonly sni: string }, peer: PeerAddress, answer: (reply: Payload | undefined) => void): void;
  udp?(payload: Payload | undefined): Payload | undefined;
}

export function httpResponse(status: number, body: string, contentType = 'text/plain'): HttpResponse {
  return {
    status,
    statusText: STATUS_TEXT[status] ?? '',
    headers: [
      ['content-type', contentType],
      ['content-length', String(utf8Length(body))],
    ],
    body,
  };
}

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The generic server behind a declared TCP containerPort: answers every request with 200. */
export const genericHttpServer: ServerApp = {
  name: 'http',
  http: (req) => (isGrpc(req) ? grpcOk() : httpResponse(200, `${req.method} ${req.path} OK\n`)),
};

/** A gRPC call: an HTTP/2 POST of `application/grpc` (or `application/grpc+proto`). */
function isGrpc(req: HttpRequest): boolean {
  const type = req.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  return req.method === 'POST' && type.startsWith('application/grpc');
}

/**
 * The generic server's answer to any gRPC method: status OK with an empty message (as a method
 * returning google.protobuf.Empty answers), the message carried as its JSON form.
 */
function grpcOk(): HttpResponse {
  return {
    ...httpResponse(200, '{}'),
    headers: [
      ['content-type', 'application/grpc'],
      ['grpc-status', '0'],
    ],
  };
}

/** The generic server behind a declared UDP containerPort: echoes each datagram back. */
export const udpEcho: ServerApp = {
  name: 'udp-echo',
  udp: (payload) => payload ?? { kind: 'bytes', data: '' },
};
