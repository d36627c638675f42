import { describe, expect, it } from 'vitest';
import { isSimError, type SimError } from '../../src/errors.ts';
import { parsePolicy, validatePolicyObject } from '../../src/policy/parsePolicy.ts';
import { referencedCidrs } from '../../src/policy/referencedCidrs.ts';
import { parseCiliumVersion } from '../../src/version/ciliumVersion.ts';
import { ccnp, cnp, knp, rule1 } from './fixtures.ts';

function issuesOf(obj: unknown): { code: string; path: string | undefined }[] {
  return validatePolicyObject(obj).map((i) => ({ code: i.code, path: i.path }));
}

function errorOf(obj: unknown): SimError {
  try {
    parsePolicy(obj);
  } catch (e) {
    if (isSimError(e)) return e;
    throw e;
  }
  throw new Error('expected a SimError');
}

const ingress = (rule: Record<string, unknown>) => cnp('rule1', { endpointSelector: {}, ingress: [rule] });

describe('parsePolicy', () => {
  it('scopes rule1 to its namespace and stores unprefixed keys as any:', () => {
    const p = parsePolicy({ ...rule1, description: 'the old top-level description is tolerated' });
    expect(p.source).toEqual({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'rule1' });
    const r = p.rules[0]!;
    expect(r.subject.selector.key).toBe('any:class=deathstar,any:org=empire,k8s:io.kubernetes.pod.namespace=default');
    expect(r.ingress[0]!.peers.map((x) => x.key)).toEqual(['ep:any:org=empire,k8s:io.kubernetes.pod.namespace=default']);
    expect(r.defaultDeny).toEqual({ ingress: true, egress: false });
  });

  it('expands protocol ANY into TCP, UDP and SCTP', () => {
    const p = parsePolicy(
      ingress({
        toPorts: [
          {
            ports: [
              { port: '53', protocol: 'ANY' },
              { port: 80, protocol: 'TCP' },
            ],
          },
        ],
      }),
    );
    expect(p.rules[0]!.ingress[0]!.portRules![0]!.ports.map((x) => `${x.protocol}/${x.port}`)).toEqual([
      'TCP/53',
      'UDP/53',
      'SCTP/53',
      'TCP/80',
    ]);
  });

  it('refuses a protocol outside the CRD enum, lower case included, as the API server does', () => {
    const port = (protocol: string) => ingress({ toPorts: [{ ports: [{ port: '80', protocol }] }] });
    const e = errorOf(port('tcp'));
    expect([e.code, e.path]).toEqual(['INVALID_PORT', 'spec.ingress[0].toPorts[0].ports[0].protocol']);
    expect(e.message).toMatchInlineSnapshot(
      `"CiliumNetworkPolicy default/rule1: spec.ingress[0].toPorts[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP", "ANY""`,
    );
    expect(
      errorOf(ccnp('c', { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'Any' }] }] }] })).message,
    ).toContain('Unsupported value: "Any"');
    const np = knp('np', { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'udp' }] }] });
    expect(errorOf(np).message).toContain('Unsupported value: "udp": supported values: "SCTP", "TCP", "UDP"');
  });

  it('reads every spec of specs[] and gives CCNP peers an any-namespace requirement', () => {
    const p = parsePolicy({
      ...ccnp('c', {}),
      spec: undefined,
      specs: [
        { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] },
        { endpointSelector: {}, egress: [{ toEntities: ['world'] }] },
      ],
    });
    expect(p.rules.map((r) => r.specPath)).toEqual(['specs[0]', 'specs[1]']);
    expect(p.rules[0]!.ingress[0]!.peers[0]!.key).toBe('ep:k8s:io.kubernetes.pod.namespace');
  });

  it('reports every issue of one object in one pass, each with its path', () => {
    const bad = cnp('rule1', {
      endpointSelector: { matchLabels: { org: 'empire' } },
      ingress: [
        { fromEndpoint: [{}], toPorts: [{ ports: [{ port: '99999', protocol: 'TCP' }] }] },
        { fromEntities: ['galaxy'], toPorts: [{ ports: [{ port: '80', protocol: 'ICMP' }] }] },
      ],
      egress: [{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] }] }],
    });
    expect(issuesOf(bad)).toEqual([
      { code: 'UNKNOWN_FIELD', path: 'spec.ingress[0].fromEndpoint' },
      { code: 'INVALID_PORT', path: 'spec.ingress[0].toPorts[0].ports[0].port' },
      { code: 'INVALID_PORT', path: 'spec.ingress[1].toPorts[0].ports[0].protocol' },
      { code: 'INVALID_FIELD', path: 'spec.ingress[1].fromEntities[0]' },
      { code: 'INVALID_CIDR', path: 'spec.egress[0].toCIDRSet[0].except[0]' },
    ]);
  });

  it('explains what is wrong and how to fix it', () => {
    const e = errorOf(ingress({ fromEndpoint: [{}] }));
    expect(e.code).toBe('UNKNOWN_FIELD');
    expect(e.message).toMatchInlineSnapshot(
      `"CiliumNetworkPolicy default/rule1: spec.ingress[0].fromEndpoint: unknown field "fromEndpoint"; did you mean "fromEndpoints"?"`,
    );
    expect(errorOf(ingress({ fromEntities: ['galaxy'] })).message).toMatchInlineSnapshot(
      `"CiliumNetworkPolicy default/rule1: spec.ingress[0].fromEntities[0]: unknown entity "galaxy"; supported entities: all, world, world-ipv4, world-ipv6, cluster, cluster-mesh, host, remote-node, kube-apiserver, init, ingress, health, unmanaged, none"`,
    );
  });

  it("refuses the zero-trust post's fromRuntime and toRuntime, saying they are Tetragon's domain, not Cilium fields", () => {
    const e = errorOf(ingress({ fromEndpoints: [{ matchLabels: { app: 'frontend' } }], fromRuntime: [{ binary: '/usr/bin/curl' }] }));
    expect([e.code, e.path]).toEqual(['UNKNOWN_FIELD', 'spec.ingress[0].fromRuntime']);
    expect(e.message).toMatchInlineSnapshot(
      `"CiliumNetworkPolicy default/rule1: spec.ingress[0].fromRuntime: unknown field "fromRuntime": it is not a Cilium policy field in any version: policies select peers by identity (labels), not by the process inside them. Runtime identity is Tetragon's: it observes which process opens each connection (tetra getevents; cilium-sim --tetragon) and enforces with its own TracingPolicy, not with CiliumNetworkPolicy"`,
    );
    const egress = cnp('rule1', { endpointSelector: {}, egress: [{ toEndpoints: [{}], toRuntime: {} }] });
    expect(issuesOf(egress)).toEqual([{ code: 'UNKNOWN_FIELD', path: 'spec.egress[0].toRuntime' }]);
    expect(validatePolicyObject(egress)[0]?.message).toMatch(/^unknown field "toRuntime": it is not a Cilium policy field in any version/);
  });

  it('rejects malformed ports', () => {
    const ports = (...ps: unknown[]) => issuesOf(ingress({ toPorts: [{ ports: ps }] })).map((i) => `${i.code} ${i.path}`);
    expect(ports({ port: 'http', endPort: 90 })).toEqual(['INVALID_PORT spec.ingress[0].toPorts[0].ports[0].endPort']);
    expect(ports({ port: '90', endPort: 80 })).toEqual(['INVALID_PORT spec.ingress[0].toPorts[0].ports[0].endPort']);
    expect(ports({ port: 'Not_A_Name' })).toEqual(['INVALID_PORT spec.ingress[0].toPorts[0].ports[0].port']);
    expect(ports(...Array.from({ length: 41 }, (_, i) => ({ port: String(i + 1) })))).toEqual([
      'INVALID_PORT spec.ingress[0].toPorts[0].ports',
    ]);
  });

  it('rejects selectors with bad expressions or keys', () => {
    const sel = (s: unknown) => issuesOf(ingress({ fromEndpoints: [s] })).map((i) => `${i.code} ${i.path}`);
    expect(sel({ matchExpressions: [{ key: 'app', operator: 'In' }] })).toEqual([
      'INVALID_SELECTOR spec.ingress[0].fromEndpoints[0].matchExpressions[0].values',
    ]);
    expect(sel({ matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] })).toEqual([
      'INVALID_SELECTOR spec.ingress[0].fromEndpoints[0].matchExpressions[0].values',
    ]);
    expect(sel({ matchExpressions: [{ key: 'app', operator: 'Equals', values: ['x'] }] })).toEqual([
      'INVALID_SELECTOR spec.ingress[0].fromEndpoints[0].matchExpressions[0].operator',
    ]);
    expect(sel({ matchLabels: { '-bad key': 'x' } })).toEqual(['INVALID_SELECTOR spec.ingress[0].fromEndpoints[0].matchLabels.-bad key']);
  });

  it('rejects combined peers, L7 and auth on deny rules, deprecated requires and bad auth modes', () => {
    expect(issuesOf(ingress({ fromEndpoints: [{}], fromCIDR: ['1.1.1.1/32'] }))).toEqual([
      { code: 'INVALID_FIELD', path: 'spec.ingress[0]' },
    ]);
    const deny = cnp('d', {
      endpointSelector: {},
      egressDeny: [
        {
          toFQDNs: [{ matchName: 'x.io' }],
          authentication: { mode: 'required' },
          toPorts: [{ ports: [{ port: '80' }], rules: { http: [{}] } }],
        },
      ],
    });
    expect(issuesOf(deny).map((i) => i.path)).toEqual([
      'spec.egressDeny[0].authentication',
      'spec.egressDeny[0].toFQDNs',
      'spec.egressDeny[0].toPorts[0].rules',
    ]);
    expect(errorOf(ingress({ fromRequires: [{}] })).message).toMatch(/fromRequires is not modelled by cilium-sim/);
    expect(issuesOf(ingress({ fromEndpoints: [{}], authentication: { mode: 'optional' } }))).toEqual([
      { code: 'INVALID_FIELD', path: 'spec.ingress[0].authentication.mode' },
    ]);
  });

  it('reads fromRequires/toRequires as the version has them: not modelled, deprecated from 1.17, refused from 1.19', () => {
    const message = (v: string): string => {
      try {
        parsePolicy(ingress({ fromRequires: [{ matchLabels: { env: 'prod' } }] }), parseCiliumVersion(v));
      } catch (e) {
        return isSimError(e) ? e.message : String(e);
      }
      return 'accepted';
    };

    expect(message('1.16')).toMatch(/spec\.ingress\[0\]\.fromRequires: fromRequires is not modelled by cilium-sim/);
    expect(message('1.17')).toMatch(/fromRequires \(deprecated since Cilium 1\.17\) is not modelled by cilium-sim/);
    expect(message('1.19')).toMatch(/spec\.ingress\[0\]\.fromRequires: Too many: 1: must have at most 0 items/);
  });

  it('refuses the fields a version does not have: enableDefaultDeny and CNP endPort before 1.16, kafka from 1.20', () => {
    const issues = (obj: unknown, v: string): { code: string; path: string | undefined }[] =>
      validatePolicyObject(obj, { ciliumVersion: parseCiliumVersion(v) }).map((i) => ({ code: i.code, path: i.path }));
    const defaultDeny = cnp('dd', { endpointSelector: {}, enableDefaultDeny: { ingress: false }, ingress: [{ fromEndpoints: [{}] }] });
    const range = ingress({ toPorts: [{ ports: [{ port: '8000', endPort: 8080, protocol: 'TCP' }] }] });
    const kafka = ingress({ toPorts: [{ ports: [{ port: '9092', protocol: 'TCP' }], rules: { kafka: [{ topic: 't' }] } }] });

    expect(issues(defaultDeny, '1.15')).toEqual([{ code: 'UNKNOWN_FIELD', path: 'spec.enableDefaultDeny' }]);
    expect(issues(defaultDeny, '1.16')).toEqual([]);
    expect(issues(range, '1.15')).toEqual([{ code: 'UNKNOWN_FIELD', path: 'spec.ingress[0].toPorts[0].ports[0].endPort' }]);
    expect(issues(range, '1.16')).toEqual([]);
    expect(issues(kafka, '1.19')).toEqual([{ code: 'INVALID_FIELD', path: 'spec.ingress[0].toPorts[0].rules.kafka' }]);
    expect(issues(kafka, '1.20')).toEqual([{ code: 'UNKNOWN_FIELD', path: 'spec.ingress[0].toPorts[0].rules.kafka' }]);
  });

  it('enforces a NetworkPolicy endPort from 1.16 and only its port before', () => {
    const np = knp('range', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8080, protocol: 'TCP' }] }] });
    const ports = (v: string) => parsePolicy(np, parseCiliumVersion(v)).rules[0]!.ingress[0]!.portRules![0]!.ports;

    expect(ports('1.15')).toEqual([{ protocol: 'TCP', port: 8000 }]);
    expect(ports('1.16')).toEqual([{ protocol: 'TCP', port: 8000, endPort: 8080 }]);
  });

  it('rejects regexes Envoy would refuse', () => {
    const http = (rule: unknown) => issuesOf(ingress({ toPorts: [{ ports: [{ port: '80' }], rules: { http: [rule] } }] }));
    expect(http({ path: '/v1/(' })).toEqual([{ code: 'INVALID_REGEX', path: 'spec.ingress[0].toPorts[0].rules.http[0].path' }]);
    expect(http({ path: '/(?!admin).*' })).toEqual([{ code: 'INVALID_REGEX', path: 'spec.ingress[0].toPorts[0].rules.http[0].path' }]);
    expect(http({ method: 'GET|POST', path: '/v1/.*', headers: ['X-My-Header: true'] })).toEqual([]);
    expect(http({ path: '(?i)/v1/(?P<rest>.*)\\z', host: '\\p{L}+' })).toEqual([]);
    expect(http({ path: '/(x)\\1' })).toEqual([{ code: 'INVALID_REGEX', path: 'spec.ingress[0].toPorts[0].rules.http[0].path' }]);
    expect(http({ method: '(?<=G)ET' })).toEqual([{ code: 'INVALID_REGEX', path: 'spec.ingress[0].toPorts[0].rules.http[0].method' }]);
  });

  it('rejects bad CIDRs, DNS names and selectors on the envelope', () => {
    expect(issuesOf(cnp('c', { endpointSelector: {}, egress: [{ toCIDR: ['10.0.0.0/33'] }] }))).toEqual([
      { code: 'INVALID_CIDR', path: 'spec.egress[0].toCIDR[0]' },
    ]);
    expect(issuesOf(cnp('c', { endpointSelector: {}, egress: [{ toFQDNs: [{ matchPattern: 'a**.io' }] }] }))).toEqual([
      { code: 'INVALID_FIELD', path: 'spec.egress[0].toFQDNs[0].matchPattern' },
    ]);
    expect(issuesOf(cnp('c', { ingress: [] }))).toEqual([{ code: 'INVALID_SELECTOR', path: 'spec.endpointSelector' }]);
    expect(issuesOf(cnp('c', { nodeSelector: {} }))).toEqual([{ code: 'INVALID_SELECTOR', path: 'spec.nodeSelector' }]);
    expect(issuesOf({ ...cnp('c', { endpointSelector: {} }), apiVersion: 'cilium.io/v1' })).toEqual([
      { code: 'INVALID_FIELD', path: 'apiVersion' },
    ]);
    expect(issuesOf({ kind: 'Pod' })).toEqual([{ code: 'UNKNOWN_KIND', path: 'kind' }]);
  });

  it('validates NetworkPolicy peers and policy types', () => {
    expect(issuesOf(knp('k', { ingress: [] }))).toEqual([{ code: 'INVALID_SELECTOR', path: 'spec.podSelector' }]);
    expect(
      issuesOf(
        knp('k', {
          podSelector: {},
          policyTypes: ['Inbound'],
          ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }],
        }),
      ),
    ).toEqual([
      { code: 'INVALID_FIELD', path: 'spec.policyTypes[0]' },
      { code: 'INVALID_FIELD', path: 'spec.ingress[0].from[0]' },
    ]);
  });
});

describe('referencedCidrs', () => {
  it('lists every CIDR and except prefix in canonical form', () => {
    const p = parsePolicy(
      cnp('cidr-rule', {
        endpointSelector: {},
        egress: [{ toCIDR: ['20.1.1.1'] }, { toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }] }],
      }),
    );
    expect(referencedCidrs(p)).toEqual(['10.0.0.0/8', '10.96.0.0/12', '20.1.1.1/32']);
  });
});
