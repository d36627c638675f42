import { genericHttpServer, httpResponse, type ServerApp, udpEcho } from './serverApp.ts';

/**
 * A host outside the cluster: an HTTP server on every TCP port and an echo on every UDP port.
 * `GET /ip` answers as httpbin does, with the address the request came from as the server saw
 * it (`{"origin": "..."}`, pretty-printed with a newline), so a pod can ask which address it
 * leaves the cluster with: its node's after masquerade, an egress gateway's egress IP.
 */
export const worldApp: ServerApp = {
  name: 'world',
  http: (req, peer) => {
    if (req.path.split('?')[0] === '/ip') return httpResponse(200, `{\n  "origin": "${peer.ip}"\n}\n`, 'application/json');
    return genericHttpServer.http!(req, peer);
  },
  udp: udpEcho.udp!,
};
