import { describe, expect, it } from 'vitest';
import {
  cidrIdentity,
  cnp,
  ccnp,
  deathstar,
  host,
  knp,
  pod,
  policies,
  rule1,
  SCTP,
  TCP,
  tiefighter,
  UDP,
  verdict,
  world,
  xwing,
} from './fixtures.ts';

const starWars = { policies: policies(rule1), identities: [deathstar, tiefighter, xwing, world, host] };

describe('Star Wars rule1 (L3/L4)', () => {
  it('allows the tiefighter (org=empire) to reach deathstar on TCP 80 as an L3-L4 match', () => {
    const d = verdict(starWars, deathstar, tiefighter, 'INGRESS', TCP, 80);
    expect(d).toMatchObject({ allowed: true, denied: false, matchType: 'L3-L4', authType: 0 });
    expect(d.policies).toEqual([{ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'rule1', revision: 2 }]);
  });

  it('drops the xwing (org=alliance) with Policy denied, not the denylist', () => {
    expect(verdict(starWars, deathstar, xwing, 'INGRESS', TCP, 80)).toMatchObject({ allowed: false, denied: false, matchType: 'none' });
  });

  it('drops the tiefighter on another port', () => {
    expect(verdict(starWars, deathstar, tiefighter, 'INGRESS', TCP, 8080).allowed).toBe(false);
    expect(verdict(starWars, deathstar, tiefighter, 'INGRESS', UDP, 80).allowed).toBe(false);
  });

  it('leaves egress of the deathstar and both directions of unselected pods unenforced', () => {
    expect(verdict(starWars, deathstar, world, 'EGRESS', TCP, 443)).toMatchObject({ allowed: true, matchType: 'all', policies: [] });
    expect(verdict(starWars, xwing, tiefighter, 'INGRESS', TCP, 1)).toMatchObject({ allowed: true, matchType: 'all' });
  });
});

describe('L7 rules', () => {
  const l7 = cnp('rule1', {
    endpointSelector: { matchLabels: { class: 'deathstar' } },
    ingress: [
      {
        fromEndpoints: [{ matchLabels: { org: 'empire' } }],
        toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'POST', path: '/v1/request-landing' }] } }],
      },
    ],
  });

  it('redirects matching traffic to the proxy with the HTTP rules of the peer', () => {
    const d = verdict({ policies: policies(l7), identities: [deathstar, tiefighter, xwing] }, deathstar, tiefighter, 'INGRESS', TCP, 80);
    expect(d).toMatchObject({ allowed: true, l7: { http: [{ method: 'POST', path: '/v1/request-landing' }] } });
  });

  it('adds an allow-all HTTP rule when an L3/L4-only allow shares the port', () => {
    const open = cnp('open', {
      endpointSelector: { matchLabels: { class: 'deathstar' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { org: 'empire' } }], toPorts: [{ ports: [{ port: '80' }] }] }],
    });
    const d = verdict({ policies: policies(l7, open), identities: [deathstar, tiefighter] }, deathstar, tiefighter, 'INGRESS', TCP, 80);
    expect(d.l7).toEqual({ http: [{ method: 'POST', path: '/v1/request-landing' }, {}] });
  });

  it('gives an identity-specific entry the L7 rules of the L4-only allows on the same port', () => {
    const any = cnp('any', {
      endpointSelector: { matchLabels: { class: 'deathstar' } },
      ingress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }],
    });
    const d = verdict(
      { policies: policies(l7, any), identities: [deathstar, tiefighter, xwing] },
      deathstar,
      tiefighter,
      'INGRESS',
      TCP,
      80,
    );
    expect(d.l7).toEqual({ http: [{ method: 'GET' }, { method: 'POST', path: '/v1/request-landing' }] });
    expect(verdict({ policies: policies(l7, any), identities: [deathstar, xwing] }, deathstar, xwing, 'INGRESS', TCP, 80)).toMatchObject({
      matchType: 'L4-Only',
      l7: { http: [{ method: 'GET' }] },
    });
  });
});

describe('deny rules', () => {
  const allowAll = cnp('allow', { endpointSelector: { matchLabels: { class: 'deathstar' } }, ingress: [{ fromEntities: ['all'] }] });
  const denyX = cnp('deny', {
    endpointSelector: { matchLabels: { class: 'deathstar' } },
    ingressDeny: [{ fromEndpoints: [{ matchLabels: { org: 'alliance' } }], toPorts: [{ ports: [{ port: '80' }] }] }],
  });

  it('beats an allow of any kind and reports the denylist', () => {
    const s = { policies: policies(allowAll, denyX), identities: [deathstar, xwing, tiefighter] };
    expect(verdict(s, deathstar, xwing, 'INGRESS', TCP, 80)).toMatchObject({
      allowed: false,
      denied: true,
      matchType: 'L3-L4',
      policies: [{ name: 'deny' }],
    });
    expect(verdict(s, deathstar, xwing, 'INGRESS', TCP, 81)).toMatchObject({ allowed: true, matchType: 'all' });
    expect(verdict(s, deathstar, tiefighter, 'INGRESS', TCP, 80).allowed).toBe(true);
  });

  it('drops world traffic under the external-lockdown pattern (deny world, allow all)', () => {
    const lockdown = ccnp('external-lockdown', {
      endpointSelector: {},
      ingressDeny: [{ fromEntities: ['world'] }],
      ingress: [{ fromEntities: ['all'] }],
    });
    const s = { policies: policies(lockdown), identities: [deathstar, world, xwing, cidrIdentity(16777217, '1.2.3.4/32')] };
    expect(verdict(s, deathstar, world, 'INGRESS', TCP, 80).denied).toBe(true);
    expect(verdict(s, deathstar, cidrIdentity(16777217, '1.2.3.4/32'), 'INGRESS', TCP, 80).denied).toBe(true);
    expect(verdict(s, deathstar, xwing, 'INGRESS', TCP, 80).allowed).toBe(true);
  });

  it('alone turns on default deny in its direction (enableDefaultDeny defaults to true)', () => {
    expect(
      verdict({ policies: policies(denyX), identities: [deathstar, tiefighter] }, deathstar, tiefighter, 'INGRESS', TCP, 80).allowed,
    ).toBe(false);
  });

  it('with enableDefaultDeny false drops only what it denies', () => {
    const soft = cnp('soft', {
      endpointSelector: { matchLabels: { class: 'deathstar' } },
      enableDefaultDeny: { ingress: false },
      ingressDeny: [{ fromEndpoints: [{ matchLabels: { org: 'alliance' } }] }],
    });
    const s = { policies: policies(soft), identities: [deathstar, tiefighter, xwing] };
    expect(verdict(s, deathstar, tiefighter, 'INGRESS', TCP, 80)).toMatchObject({ allowed: true, matchType: 'all' });
    expect(verdict(s, deathstar, xwing, 'INGRESS', TCP, 80)).toMatchObject({ denied: true, matchType: 'L3-Only' });
  });
});

describe('default deny and empty rules', () => {
  const ids = [deathstar, tiefighter, xwing, world];

  it('turns on per direction: an egress-only policy leaves ingress open', () => {
    const egressOnly = cnp('e', {
      endpointSelector: { matchLabels: { class: 'xwing' } },
      egress: [{ toEndpoints: [{ matchLabels: { class: 'deathstar' } }] }],
    });
    const s = { policies: policies(egressOnly), identities: ids };
    expect(verdict(s, xwing, deathstar, 'EGRESS', TCP, 80)).toMatchObject({ allowed: true, matchType: 'L3-Only' });
    expect(verdict(s, xwing, world, 'EGRESS', TCP, 80).allowed).toBe(false);
    expect(verdict(s, xwing, world, 'INGRESS', TCP, 80)).toMatchObject({ allowed: true, matchType: 'all' });
  });

  it('treats ingress: [{}] as allowing nothing while enforcing default deny', () => {
    const denyAll = cnp('deny-all', { endpointSelector: {}, ingress: [{}] });
    expect(verdict({ policies: policies(denyAll), identities: ids }, deathstar, tiefighter, 'INGRESS', TCP, 80).allowed).toBe(false);
  });

  it('treats fromEndpoints: [] as selecting nothing, but omitted fromEndpoints with toPorts as any peer', () => {
    const empty = cnp('empty', { endpointSelector: {}, ingress: [{ fromEndpoints: [], toPorts: [{ ports: [{ port: '80' }] }] }] });
    const missing = cnp('missing', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '80' }] }] }] });
    expect(verdict({ policies: policies(empty), identities: ids }, deathstar, world, 'INGRESS', TCP, 80).allowed).toBe(false);
    expect(verdict({ policies: policies(missing), identities: ids }, deathstar, world, 'INGRESS', TCP, 80)).toMatchObject({
      allowed: true,
      matchType: 'L4-Only',
    });
  });

  it('enforces everything in mode always and nothing in mode never', () => {
    expect(verdict({ policies: [], identities: ids, mode: 'always' }, deathstar, tiefighter, 'EGRESS', TCP, 80).allowed).toBe(false);
    const deny = cnp('d', { endpointSelector: {}, ingressDeny: [{ fromEntities: ['all'] }] });
    expect(verdict({ policies: policies(deny), identities: ids, mode: 'never' }, deathstar, tiefighter, 'INGRESS', TCP, 80)).toMatchObject({
      allowed: true,
      matchType: 'all',
    });
  });
});

describe('ports', () => {
  const ids = [deathstar, world];
  const on = (ports: unknown[]) => policies(cnp('p', { endpointSelector: {}, egress: [{ toPorts: [{ ports }] }] }));

  it('allows an endPort range inclusively and nothing beyond', () => {
    const s = { policies: on([{ port: '80', endPort: 444, protocol: 'TCP' }]), identities: ids };
    for (const port of [80, 81, 128, 443, 444]) expect(verdict(s, deathstar, world, 'EGRESS', TCP, port).allowed).toBe(true);
    for (const port of [79, 445]) expect(verdict(s, deathstar, world, 'EGRESS', TCP, port).allowed).toBe(false);
  });

  it('expands protocol ANY (or none) to TCP, UDP and SCTP', () => {
    const s = { policies: on([{ port: '53', protocol: 'ANY' }]), identities: ids };
    for (const proto of [TCP, UDP, SCTP]) expect(verdict(s, deathstar, world, 'EGRESS', proto, 53).allowed).toBe(true);
  });

  it('resolves named ports from the subject on ingress and the cluster on egress', () => {
    const named = cnp('n', {
      endpointSelector: {},
      ingress: [{ toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }],
      egress: [{ toPorts: [{ ports: [{ port: 'dns', protocol: 'UDP' }] }] }],
    });
    const s = {
      policies: policies(named),
      identities: ids,
      namedPorts: {
        ingress: new Map([['http', [{ port: 8080, protocol: 'TCP' as const }]]]),
        egress: new Map([['dns', [{ port: 53, protocol: 'UDP' as const }]]]),
      },
    };
    expect(verdict(s, deathstar, world, 'INGRESS', TCP, 8080).allowed).toBe(true);
    expect(verdict(s, deathstar, world, 'INGRESS', TCP, 80).allowed).toBe(false);
    expect(verdict(s, deathstar, world, 'EGRESS', UDP, 53).allowed).toBe(true);
  });
});

describe('entities and CIDRs', () => {
  const inside = cidrIdentity(16777217, '10.1.2.3/32');
  const excepted = cidrIdentity(16777218, '10.96.0.10/32');
  const exact = cidrIdentity(16777219, '20.1.1.1/32');
  const elsewhere = pod(5000, { a: 'b' }, 'other');
  const ids = [deathstar, tiefighter, world, host, inside, excepted, exact, elsewhere];
  const cidrRule = cnp('cidr-rule', {
    endpointSelector: {},
    egress: [{ toCIDR: ['20.1.1.1/32'] }, { toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }] }],
  });

  it('matches CIDR identities inside the prefix and outside the except, never pods', () => {
    const s = { policies: policies(cidrRule), identities: ids };
    expect(verdict(s, deathstar, inside, 'EGRESS', TCP, 80).allowed).toBe(true);
    expect(verdict(s, deathstar, exact, 'EGRESS', TCP, 80).allowed).toBe(true);
    expect(verdict(s, deathstar, excepted, 'EGRESS', TCP, 80).allowed).toBe(false);
    expect(verdict(s, deathstar, tiefighter, 'EGRESS', TCP, 80).allowed).toBe(false);
  });

  it('lets the world entity cover world and every CIDR identity, and cluster cover pods and host', () => {
    const w = cnp('w', { endpointSelector: {}, egress: [{ toEntities: ['world'] }] });
    const c = cnp('c', { endpointSelector: {}, egress: [{ toEntities: ['cluster'] }] });
    expect(verdict({ policies: policies(w), identities: ids }, deathstar, inside, 'EGRESS', TCP, 1).allowed).toBe(true);
    expect(verdict({ policies: policies(w), identities: ids }, deathstar, tiefighter, 'EGRESS', TCP, 1).allowed).toBe(false);
    expect(verdict({ policies: policies(c), identities: ids }, deathstar, host, 'EGRESS', TCP, 1).allowed).toBe(true);
    expect(verdict({ policies: policies(c), identities: ids }, deathstar, elsewhere, 'EGRESS', TCP, 1).allowed).toBe(true);
    expect(verdict({ policies: policies(c), identities: ids }, deathstar, world, 'EGRESS', TCP, 1).allowed).toBe(false);
  });
});

describe('namespace scoping', () => {
  const a1 = pod(2001, { app: 'a' }, 'ns1');
  const b1 = pod(2002, { app: 'b' }, 'ns1');
  const a2 = pod(2003, { app: 'a' }, 'ns2');
  const isolate = (ns: string) =>
    cnp('isolate-ns1', { endpointSelector: { matchLabels: {} }, ingress: [{ fromEndpoints: [{ matchLabels: {} }] }] }, ns);
  const s = { policies: policies(isolate('ns1'), isolate('ns2')), identities: [a1, b1, a2] };

  it('confines fromEndpoints: [{}] of a namespaced policy to its own namespace', () => {
    expect(verdict(s, a1, b1, 'INGRESS', TCP, 80).allowed).toBe(true);
    expect(verdict(s, a1, a2, 'INGRESS', TCP, 80).allowed).toBe(false);
    expect(verdict(s, a2, a1, 'INGRESS', TCP, 80).allowed).toBe(false);
  });

  it('lets a peer selector that names a namespace reach across', () => {
    const cross = cnp(
      'x',
      { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'ns2' } }] }] },
      'ns1',
    );
    expect(verdict({ policies: policies(cross), identities: [a1, a2] }, a1, a2, 'INGRESS', TCP, 80).allowed).toBe(true);
  });
});

describe('Kubernetes NetworkPolicy', () => {
  const front = pod(3001, { role: 'frontend' }, 'web', { team: 'x' });
  const back = pod(3002, { role: 'backend' }, 'web', { team: 'x' });
  const other = pod(3003, { role: 'frontend' }, 'ops', { team: 'y' });
  const ids = [front, back, other, world];

  it('ANDs podSelector and namespaceSelector within one peer and ORs separate peers', () => {
    const and = knp(
      'and',
      {
        podSelector: { matchLabels: { role: 'backend' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } }, namespaceSelector: { matchLabels: { team: 'y' } } }] }],
      },
      'web',
    );
    const or = knp(
      'or',
      {
        podSelector: { matchLabels: { role: 'backend' } },
        ingress: [
          { from: [{ podSelector: { matchLabels: { role: 'frontend' } } }, { namespaceSelector: { matchLabels: { team: 'y' } } }] },
        ],
      },
      'web',
    );
    expect(verdict({ policies: policies(and), identities: ids }, back, other, 'INGRESS', TCP, 80).allowed).toBe(true);
    expect(verdict({ policies: policies(and), identities: ids }, back, front, 'INGRESS', TCP, 80).allowed).toBe(false);
    expect(verdict({ policies: policies(or), identities: ids }, back, front, 'INGRESS', TCP, 80).allowed).toBe(true);
    expect(verdict({ policies: policies(or), identities: ids }, back, other, 'INGRESS', TCP, 80).allowed).toBe(true);
  });

  it('isolates with a missing ingress list, allows all with ingress: [{}], and defaults ports to TCP', () => {
    const isolate = knp('iso', { podSelector: {} }, 'web');
    const all = knp('all', { podSelector: {}, ingress: [{}] }, 'web');
    const port = knp('port', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }, 'web');
    expect(verdict({ policies: policies(isolate), identities: ids }, back, front, 'INGRESS', TCP, 80).allowed).toBe(false);
    expect(verdict({ policies: policies(isolate), identities: ids }, back, world, 'EGRESS', TCP, 80).allowed).toBe(true);
    expect(verdict({ policies: policies(all), identities: ids }, back, world, 'INGRESS', UDP, 9).allowed).toBe(true);
    expect(verdict({ policies: policies(port), identities: ids }, back, world, 'INGRESS', TCP, 80).allowed).toBe(true);
    expect(verdict({ policies: policies(port), identities: ids }, back, world, 'INGRESS', UDP, 80).allowed).toBe(false);
  });

  it('enforces egress when policyTypes says so, even without egress rules', () => {
    const egress = knp('eg', { podSelector: {}, policyTypes: ['Egress'] }, 'web');
    expect(verdict({ policies: policies(egress), identities: ids }, back, world, 'EGRESS', TCP, 80).allowed).toBe(false);
    expect(verdict({ policies: policies(egress), identities: ids }, back, world, 'INGRESS', TCP, 80).allowed).toBe(true);
  });
});

describe('authentication', () => {
  const auth = cnp('mutual-auth-echo', {
    endpointSelector: { matchLabels: { app: 'echo' } },
    ingress: [
      {
        fromEndpoints: [{ matchLabels: { app: 'pod-worker' } }],
        authentication: { mode: 'required' },
        toPorts: [{ ports: [{ port: '3000', protocol: 'TCP' }] }],
      },
    ],
  });
  const echo = pod(4001, { app: 'echo' });
  const worker = pod(4002, { app: 'pod-worker' });

  it('marks the allow with auth type 1 (spire)', () => {
    expect(verdict({ policies: policies(auth), identities: [echo, worker] }, echo, worker, 'INGRESS', TCP, 3000)).toMatchObject({
      allowed: true,
      authType: 1,
    });
  });

  it('propagates the auth type to a more specific entry that has none', () => {
    const l3 = cnp('l3', {
      endpointSelector: { matchLabels: { app: 'echo' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'pod-worker' } }], authentication: { mode: 'required' } }],
    });
    const l4 = cnp('l4', { endpointSelector: { matchLabels: { app: 'echo' } }, ingress: [{ toPorts: [{ ports: [{ port: '3000' }] }] }] });
    expect(verdict({ policies: policies(l3, l4), identities: [echo, worker] }, echo, worker, 'INGRESS', TCP, 3000)).toMatchObject({
      matchType: 'L4-Only',
      authType: 1,
    });
  });
});
