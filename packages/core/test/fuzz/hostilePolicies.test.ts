import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';

/**
 * Policies written oddly but accepted by the API server, each of which the simulator read more
 * permissively (or more strictly) than Cilium's policy engine does. Traffic is real: curl and nc
 * through the datapath and the proxy.
 */

const pod = (name: string, labels: string, ports = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, labels: { ${labels} } }\nspec: { containers: [{ name: c, image: nginx${ports === '' ? '' : `, ports: [${ports}]`} }] }\n`;
const cnp = (spec: string, name = 'p') =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: ${name} }\nspec: ${spec}\n`;
const B = '{ matchLabels: { app: b } }';
const A = '{ matchLabels: { app: a } }';

function cluster(...policies: string[]): { c: Cluster; b: string } {
  const c = Cluster.create({ seed: 2, mutualAuth: false });
  c.apply(pod('a', 'app: a'));
  c.apply(pod('b', 'app: b', '{ containerPort: 80 }, { containerPort: 8080 }'));
  for (const p of policies) expect(c.apply(p).map((r) => (r.ok ? 'ok' : r.error.message))).toEqual(['ok']);
  return { c, b: c.get('Pod', 'b', 'default')!.status.podIP! };
}

function get(c: Cluster, url: string): string {
  const r = c.exec('default/a').curl({ url, connectTimeoutMs: 1000 });
  return r.kind === 'response' ? String(r.response.status) : `curl ${r.code}`;
}

describe('a toPorts or icmps entry without ports allows nothing, as Cilium merges it', () => {
  it.each([
    ['toPorts: [{}]', `fromEndpoints: [${A}], toPorts: [{}]`],
    ['toPorts: [{ ports: [] }]', `fromEndpoints: [${A}], toPorts: [{ ports: [] }]`],
    ['an L4-only toPorts: [{}]', 'toPorts: [{}]'],
    ['HTTP rules without ports', `fromEndpoints: [${A}], toPorts: [{ rules: { http: [{ path: "/.*" }] } }]`],
    ['icmps: [{}]', `fromEndpoints: [${A}], icmps: [{}]`],
    ['an L4-only icmps: [{ fields: [] }]', 'icmps: [{ fields: [] }]'],
  ])('%s admits no TCP connection (it used to allow every port)', (_, rule) => {
    const { c, b } = cluster(cnp(`{ endpointSelector: ${B}, ingress: [{ ${rule} }] }`));
    expect(get(c, `http://${b}/`)).toBe('curl 28');
    expect(c.exec('default/a').nc({ host: b, port: 8080, timeoutS: 1 }).ok).toBe(false);
  });

  it('leaves the entries that list ports in force beside an empty one', () => {
    const { c, b } = cluster(cnp(`{ endpointSelector: ${B}, ingress: [{ toPorts: [{}, { ports: [{ port: "8080", protocol: TCP }] }] }] }`));
    expect(get(c, `http://${b}/`)).toBe('curl 28');
    expect(c.exec('default/a').nc({ host: b, port: 8080, timeoutS: 1 }).ok).toBe(true);
  });

  it('reads toPorts: [] beside a peer as an L3-only rule: every port of that peer, as Cilium does (it used to allow none)', () => {
    const { c, b } = cluster(cnp(`{ endpointSelector: ${B}, ingress: [{ fromEndpoints: [${A}], toPorts: [] }] }`));
    expect(get(c, `http://${b}/`)).toBe('200');
    expect(c.exec('default/a').nc({ host: b, port: 8080, timeoutS: 1 }).ok).toBe(true);
  });

  it('denies nothing with an ingressDeny entry without ports (it used to deny every port)', () => {
    const { c, b } = cluster(cnp(`{ endpointSelector: ${B}, ingress: [{ fromEndpoints: [${A}] }], ingressDeny: [{ toPorts: [{}] }] }`));
    expect(get(c, `http://${b}/`)).toBe('200');
  });
});

describe('HTTP rules see the path as Envoy normalizes it', () => {
  const l7 = (rule: string) =>
    cnp(`{ endpointSelector: ${B}, ingress: [{ toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { http: [${rule}] } }] }] }`);

  it('denies a path that climbs out of the allowed prefix with percent-encoded dots or backslashes', () => {
    const { c, b } = cluster(l7('{ path: "/public/.*" }'));
    expect(get(c, `http://${b}/public/index.html`)).toBe('200');
    expect(get(c, `http://${b}/public/%2e%2e/admin`)).toBe('403');
    expect(get(c, `http://${b}/public/.%2E/admin`)).toBe('403');
    expect(get(c, `http://${b}/public/x/%2E%2E/%2e%2e/admin`)).toBe('403');
    expect(get(c, `http://${b}/public\\..\\admin`)).toBe('403');
  });

  it('allows a path whose unreserved characters are percent-encoded, as they decode to an allowed path', () => {
    const { c, b } = cluster(l7('{ path: "/ok" }'));
    expect(get(c, `http://${b}/%6Fk`)).toBe('200');
    expect(get(c, `http://${b}/ok/x/%2e%2e`)).toBe('403');
  });

  it.each([
    ['"X-Tok: sec"', '200'],
    ['"X-Tok sec"', '200'],
    ['"X-Tok:sec"', '403'],
    ['"X-Tok:"', '403'],
    ['"X-Tok:  sec"', '403'],
  ])('reads headers: [%s] as Cilium splits it at the first space, so a request with X-Tok: sec gets %s', (entry, status) => {
    const { c, b } = cluster(l7(`{ headers: [${entry}] }`));
    const r = c.exec('default/a').curl({ url: `http://${b}/`, headers: [['X-Tok', 'sec']], connectTimeoutMs: 1000 });
    expect(r.kind === 'response' ? String(r.response.status) : r.code).toBe(status);
  });

  it('reads an empty method, path or host as not given, as Cilium hands Envoy no matcher for it', () => {
    const { c, b } = cluster(l7('{ method: "", path: "/ok", host: "" }'));
    expect(get(c, `http://${b}/ok`)).toBe('200');
    expect(get(c, `http://${b}/no`)).toBe('403');
  });
});

describe('named ports and default-allow policies as each Cilium version reads them', () => {
  const egressByName = (version: string) => {
    const c = Cluster.create({ seed: 2, mutualAuth: false, ciliumVersion: version });
    c.apply(pod('a', 'app: a'));
    c.apply(pod('b', 'app: b', '{ containerPort: 80, name: web }, { containerPort: 8080 }'));
    c.apply(cnp(`{ endpointSelector: ${A}, egress: [{ toEndpoints: [${B}], toPorts: [{ ports: [{ port: web, protocol: TCP }] }] }] }`));
    return { c, b: c.get('Pod', 'b', 'default')!.status.podIP! };
  };

  it('skips an egress named port that endpoints give different numbers before 1.20 ("duplicate named ports"), where it opened them all', () => {
    const { c, b } = egressByName('1.16');
    expect(get(c, `http://${b}/`)).toBe('200');
    c.apply(pod('w', 'app: w', '{ containerPort: 8080, name: web }'));
    expect(get(c, `http://${b}/`)).toBe('curl 28');
    expect(c.exec('default/a').nc({ host: b, port: 8080, timeoutS: 1 }).ok).toBe(false);
    c.delete({ kind: 'Pod', namespace: 'default', name: 'w' });
    expect(get(c, `http://${b}/`)).toBe('200');
  });

  it('keeps the port of the name in 1.20, which resolves it among the selected peers', () => {
    const { c, b } = egressByName('1.20');
    c.apply(pod('w', 'app: w', '{ containerPort: 8080, name: web }'));
    expect(get(c, `http://${b}/`)).toBe('200');
  });

  it.each([
    ['1.17', '403'],
    ['1.18', '200'],
  ])('in %s, HTTP rules of a policy with enableDefaultDeny false answer an unlisted request %s', (version, status) => {
    const c = Cluster.create({ seed: 2, mutualAuth: false, ciliumVersion: version });
    c.apply(pod('a', 'app: a'));
    c.apply(pod('b', 'app: b', '{ containerPort: 80 }'));
    c.apply(
      cnp(
        `{ endpointSelector: ${B}, enableDefaultDeny: { ingress: false }, ingress: [{ toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { http: [{ path: "/ok" }] } }] }] }`,
      ),
    );
    const b = c.get('Pod', 'b', 'default')!.status.podIP!;
    expect(get(c, `http://${b}/ok`)).toBe('200');
    expect(get(c, `http://${b}/other`)).toBe(status);
  });
});
