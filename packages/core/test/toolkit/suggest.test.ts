import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { suggestPolicies } from '../../src/toolkit/suggest.ts';
import { exhaustPort, land, manifest, starWars } from './starWars.ts';

describe('suggestPolicies (least privilege from observed flows)', () => {
  it('round-trips: the suggestion keeps observed traffic working and denies the unobserved xwing', () => {
    const cluster = starWars();
    expect(land(cluster, 'tiefighter')).toBe(200);

    const suggestion = suggestPolicies(cluster, { namespace: 'default' });
    expect(suggestion.policies.map((p) => p.name)).toEqual(['deathstar-ingress-suggested']);
    for (const p of cluster.list('CiliumNetworkPolicy'))
      cluster.delete({ kind: 'CiliumNetworkPolicy', namespace: p.metadata.namespace!, name: p.metadata.name });
    expect(cluster.apply(suggestion.yaml).map((r) => r.ok && `${r.ref.kind}/${r.ref.name} ${r.verb}`)).toEqual([
      'CiliumNetworkPolicy/deathstar-ingress-suggested created',
    ]);

    expect(land(cluster, 'tiefighter')).toBe(200);
    expect(cluster.flows({ whitelist: [{ verdict: ['DROPPED'], sourcePod: ['default/tiefighter'] }] })).toEqual([]);
    expect(land(cluster, 'xwing')).toBe('timeout');
  });

  it('writes the YAML a person would: Deployment selector, source labels, exact port', () => {
    const cluster = starWars();
    land(cluster, 'tiefighter');

    const { yaml } = suggestPolicies(cluster, { namespace: 'default' });

    expect(yaml).toMatchInlineSnapshot(`
      "# Suggested by cilium-sim from Hubble flows: review before applying.

      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata:
        name: deathstar-ingress-suggested
        namespace: default
      spec:
        description: Least-privilege ingress for default/deathstar, suggested from 1 observed connection
        endpointSelector:
          matchLabels:
            class: deathstar
            org: empire
        ingress:
          - fromEndpoints:
              - matchLabels:
                  app.kubernetes.io/name: tiefighter
                  class: tiefighter
                  org: empire
            toPorts:
              - ports:
                  - port: "80"
                    protocol: TCP
      "
    `);
  });

  it('narrows to the HTTP requests the proxy let through when L7 was visible', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_l7_policy.yaml'));
    expect(land(cluster, 'tiefighter')).toBe(200);
    expect(exhaustPort(cluster, 'tiefighter')).toBe(403);

    const [policy] = suggestPolicies(cluster, { namespace: 'default' }).policies;
    const spec = parse(policy!.yaml).spec as { ingress: { toPorts: { rules?: unknown }[] }[] };

    expect(spec.ingress).toHaveLength(1);
    expect(spec.ingress[0]!.toPorts[0]!.rules).toEqual({ http: [{ method: 'POST', path: '/v1/request-landing' }] });
  });

  it('leaves out traffic that policy dropped', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_policy.yaml'));
    land(cluster, 'xwing');

    expect(suggestPolicies(cluster, { namespace: 'default' }).policies).toEqual([]);
  });

  it('names a source of another namespace with its namespace label', () => {
    const cluster = starWars();
    cluster.apply(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: rebels\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ywing\n  namespace: rebels\n  labels:\n    class: ywing\nspec:\n  containers:\n  - name: c\n    image: nginx\n',
    );
    cluster.advance('10s');
    cluster.exec('rebels/ywing').curl({ url: 'http://deathstar.default.svc.cluster.local/v1/request-landing', method: 'POST' });

    const [policy] = suggestPolicies(cluster, { namespace: 'default' }).policies;
    const peer = (parse(policy!.yaml).spec as { ingress: { fromEndpoints: { matchLabels: Record<string, string> }[] }[] }).ingress[0]!
      .fromEndpoints[0]!;

    expect(peer.matchLabels).toEqual({ class: 'ywing', 'k8s:io.kubernetes.pod.namespace': 'rebels' });
    cluster.apply(policy!.yaml);
    expect(
      cluster.exec('rebels/ywing').curl({ url: 'http://deathstar.default.svc.cluster.local/v1/request-landing', method: 'POST' }).kind,
    ).toBe('response');
    expect(land(cluster, 'tiefighter')).toBe('timeout');
  });

  it('suggests one policy per destination workload across namespaces when none is given', () => {
    const cluster = starWars();
    land(cluster, 'tiefighter');

    const names = suggestPolicies(cluster).policies.map((p) => `${p.namespace}/${p.name}`);

    expect(names).toEqual(['default/deathstar-ingress-suggested', 'kube-system/coredns-ingress-suggested']);
  });
});
