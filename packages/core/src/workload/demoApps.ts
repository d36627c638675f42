import type { HttpRequest } from '../datapath/packet.ts';
import { genericHttpServer, httpResponse, type ServerApp } from './serverApp.ts';

/**
 * The Star Wars demo's deathstar API (image cilium/starwars): landing requests succeed, and
 * the exhaust port is the design flaw an L7 rule must keep rebel ships away from.
 */
export const deathstar: ServerApp = {
  name: 'deathstar',
  http(req) {
    const path = req.path.split('?')[0];
    if (path === '/v1/request-landing' && req.method === 'POST') return httpResponse(200, 'Ship landed\n');
    if (path === '/v1/exhaust-port' && req.method === 'PUT') return httpResponse(503, EXHAUST_PORT_PANIC);
    if (path === '/v1' || path === '/v1/') return httpResponse(200, DEATHSTAR_API, 'application/json');
    return httpResponse(404, '404 page not found\n');
  },
};

// The demo server panics on the exhaust port; learners recognise it by the first line.
const EXHAUST_PORT_PANIC = `Panic: deathstar exploded

goroutine 1 [running]:
main.HandleGarbage(0x2080c3f50, 0x2, 0x4, 0x425c0, 0x5, 0xa)
        /code/src/github.com/empire/deathstar/
        temp/main.go:9 +0x64
main.main()
        /code/src/github.com/empire/deathstar/
        temp/main.go:5 +0x85
`;

const DEATHSTAR_API = `{
        "name": "Death Star",
        "hostname": "deathstar",
        "model": "DS-1 Orbital Battle Station",
        "manufacturer": "Imperial Department of Military Research, Sienar Fleet Systems",
        "cost_in_credits": "1000000000000",
        "length": "120000",
        "crew": "342953",
        "passengers": "843342",
        "cargo_capacity": "1000000000000",
        "hyperdrive_rating": "4.0",
        "starship_class": "Deep Space Mobile Battlestation",
        "api": [
                "GET   /v1",
                "GET   /v1/healthz",
                "POST  /v1/request-landing",
                "PUT   /v1/cargobay",
                "GET   /v1/hyper-matter-reactor/status",
                "PUT   /v1/exhaust-port"
        ]
}
`;

/** An echo server (the mutual-auth example's echoserver): reflects the request it got. */
export const echoServer: ServerApp = {
  name: 'echo',
  http(req: HttpRequest) {
    const headers = Object.fromEntries([['host', req.host], ...req.headers.map(([k, v]) => [k.toLowerCase(), v])]);
    const body = `${JSON.stringify({ path: req.path, method: req.method, headers }, null, 2)}\n`;
    return httpResponse(200, body, 'application/json');
  },
};

/** nginx's welcome page, for manifests that run nginx. */
export const nginx: ServerApp = {
  name: 'nginx',
  // The same page for every request, so one immutable response serves them all.
  http: () => NGINX_WELCOME,
};

const NGINX_WELCOME = httpResponse(
  200,
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n',
  'text/html',
);

function repoOf(image: string): string {
  return image
    .replace(/^docker\.io\//, '')
    .split('@')[0]!
    .replace(/:[^/:]*$/, '');
}

/**
 * Ports a known demo image listens on even when its manifest declares none (the Star Wars
 * deathstar serves on 80 without a containerPort).
 */
export function implicitPorts(image: string): readonly number[] {
  return repoOf(image).endsWith('cilium/starwars') ? [80] : [];
}

/** Picks the application a container image runs; unknown images get the generic server. */
export function appForImage(image: string): ServerApp {
  const repo = repoOf(image);
  if (repo.endsWith('cilium/starwars')) return deathstar;
  if (repo.includes('echoserver') || repo.includes('http-echo') || repo.includes('echo-server')) return echoServer;
  if (repo === 'nginx' || repo.endsWith('/nginx')) return nginx;
  return genericHttpServer;
}
