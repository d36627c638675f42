import { describe, expect, it } from 'vitest';
import { errorOf } from './errorOf.ts';
import { isSimError } from '@cilium-sim/core';
import { isBundledUrl, listScenarios, loadScenario, manifestReferences, parseYamlDocuments, scenarioNames } from '../src/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read parsed YAML of any shape by path.
type YamlDoc = Record<string, any>;

const EXPECTED = [
  'k8s-vs-cilium',
  'mutual-auth-example',
  'policy-tiers',
  'sock-shop-tls',
  'star-wars',
  'star-wars-mutual-auth',
  'traffic-in-and-out',
  'zero-trust-tenants',
];

describe('scenario catalog', () => {
  it('lists every bundled scenario by name, sorted', () => {
    expect(scenarioNames()).toEqual(EXPECTED);
    expect(listScenarios().map((s) => s.name)).toEqual(EXPECTED);
  });

  it.each(EXPECTED)('loads %s with a title, summary, source, options, script and narrative', (name) => {
    const s = loadScenario(name);

    expect(s.name).toBe(name);
    expect(s.title.length).toBeGreaterThan(0);
    expect(s.summary.length).toBeGreaterThan(0);
    expect(s.follows.url).toMatch(/^https:\/\//);
    expect(s.options.nodes).toBeGreaterThanOrEqual(1);
    expect(s.script).toContain('kubectl');
    expect(s.narrative).toMatch(/^# /);
  });

  it.each(EXPECTED)('%s references only manifests that exist in its folder or in the URL bundle', (name) => {
    const s = loadScenario(name);
    const refs = manifestReferences(s.script);

    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const found = ref.isUrl ? isBundledUrl(ref.target) : s.files.has(ref.target);
      expect(found, `line ${ref.line}: ${ref.target}`).toBe(true);
    }
  });

  it.each(EXPECTED)('%s task setup references only manifests of its folder', (name) => {
    const s = loadScenario(name);
    const setup = (s.task?.setup ?? []).join('\n');

    for (const ref of manifestReferences(setup)) expect(s.files.has(ref.target), ref.target).toBe(true);
  });

  it.each(EXPECTED)('every manifest of %s parses as YAML into named API objects', (name) => {
    const s = loadScenario(name);
    const manifests = [...s.files.keys()].filter((p) => p.startsWith('manifests/'));

    expect(manifests.length).toBeGreaterThan(0);
    for (const path of manifests) {
      const docs = parseYamlDocuments(s.files.get(path) as string, path) as Array<YamlDoc>;
      expect(docs.length, path).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(typeof doc['apiVersion'], path).toBe('string');
        expect(typeof doc['kind'], path).toBe('string');
        expect(typeof doc['metadata']?.name, path).toBe('string');
      }
    }
  });

  it('gives lab-mode scenarios a task with a prompt, hints and checks', () => {
    const labs = listScenarios().filter((s) => s.mode === 'lab');

    expect(labs.map((s) => s.name)).toEqual(['mutual-auth-example', 'zero-trust-tenants']);
    for (const { name } of labs) {
      const task = loadScenario(name).task;
      expect(task?.prompt.length).toBeGreaterThan(0);
      expect(task?.hints.length).toBeGreaterThan(0);
      expect(task?.checks.length).toBeGreaterThan(0);
    }
  });

  it('asks the mutual-auth exam to prove authentication on echo ingress from pod-worker', () => {
    const task = loadScenario('mutual-auth-example').task;

    expect(task?.checks[0]).toMatchObject({
      kind: 'policyRequiresAuth',
      namespace: 'exam',
      endpointSelector: { app: 'echo' },
      direction: 'ingress',
      peer: { app: 'pod-worker' },
    });
    expect(task?.setup).toEqual([
      'kubectl create namespace exam',
      'kubectl apply -n exam -f manifests/mutual-auth-example.yaml',
      'kubectl apply -n exam -f manifests/cnp-without-mutual-auth.yaml',
    ]);
  });

  it('carries cluster options from scenario.yaml', () => {
    expect(loadScenario('star-wars-mutual-auth').options).toEqual({
      seed: 1,
      nodes: 3,
      mutualAuth: true,
      encryption: 'none',
      extensions: [],
    });
    expect(loadScenario('sock-shop-tls').options.spire).toEqual({ enabled: true, trustDomain: 'example.org', operatorEntries: false });
    expect(loadScenario('sock-shop-tls').options.extensions).toEqual(['spiffeTlsUpgrade']);
  });

  it('refuses an unknown scenario with NOT_FOUND naming the available ones', () => {
    const err = errorOf(() => loadScenario('death-star-2'));

    expect(isSimError(err) && err.code).toBe('NOT_FOUND');
    expect((err as Error).message).toBe(
      `scenario death-star-2: no bundled scenario is named "death-star-2" (available: ${EXPECTED.join(', ')})`,
    );
  });
});

describe('scenario manifests', () => {
  it('keeps the lab names, labels and ports the Star Wars commands rely on', () => {
    const docs = parseYamlDocuments(loadScenario('star-wars').files.get('manifests/http-sw-app.yaml') as string, 'x') as Array<YamlDoc>;

    expect(docs.map((d) => `${d['kind']}/${d['metadata'].name}`)).toEqual([
      'Service/deathstar',
      'Deployment/deathstar',
      'Pod/tiefighter',
      'Pod/xwing',
    ]);
    expect(docs[0]?.['spec'].ports[0].port).toBe(80);
    expect(docs[1]?.['spec'].template.metadata.labels).toEqual({
      org: 'empire',
      class: 'deathstar',
      'app.kubernetes.io/name': 'deathstar',
    });
  });

  it('writes the tenant exception with k8s: and any: label sources', () => {
    const text = loadScenario('zero-trust-tenants').files.get('manifests/economy-to-business.yaml') as string;
    const docs = parseYamlDocuments(text, 'x') as Array<YamlDoc>;

    expect(docs[0]?.['spec'].egress[0].toEndpoints[0].matchLabels).toEqual({
      'k8s:io.kubernetes.pod.namespace': 'business',
      'any:app': 'backend-service',
    });
    expect(docs[1]?.['spec'].ingress[0].fromEndpoints[0].matchLabels).toEqual({
      'k8s:io.kubernetes.pod.namespace': 'economy',
      'any:app': 'frontend-service',
    });
  });

  it('upgrades front-end -> carts:80 to TLS on 443 with SPIFFE peer IDs', () => {
    const text = loadScenario('sock-shop-tls').files.get('manifests/carts-tls-upgrade.yaml') as string;
    const [origin, termination] = parseYamlDocuments(text, 'x') as Array<YamlDoc>;

    expect(origin?.['spec'].egress[0].toPorts[0].originatingTLS).toEqual({
      spiffe: { peerIDs: ['spiffe://example.org/carts'] },
      dstPort: 443,
    });
    expect(termination?.['spec'].ingress[0].toPorts[0].terminatingTLS).toEqual({
      spiffe: { peerIDs: ['spiffe://example.org/front-end'] },
      dstPort: 80,
    });
  });
});
