import { describe, expect, it } from 'vitest';
import { SimError, type SimIssue } from '../../src/errors.ts';
import { parseManifest } from '../../src/k8s/manifest.ts';
import { validateDocument, type ValidateOptions } from '../../src/k8s/validate.ts';
import { ECHO, STAR_WARS } from './fixtures.ts';

function issuesOf(yaml: string, opts: ValidateOptions = {}): SimIssue[] {
  const [doc] = parseManifest(yaml);
  try {
    validateDocument(doc!, opts);
  } catch (e) {
    if (e instanceof SimError) return [...e.issues];
    throw e;
  }
  return [];
}

const POD = (spec: string, meta = 'name: xwing'): string => `apiVersion: v1
kind: Pod
metadata:
  ${meta}
spec:
${spec}`;

describe('validateDocument', () => {
  it('accepts the Star Wars and echo manifests', () => {
    for (const doc of [...parseManifest(STAR_WARS), ...parseManifest(ECHO)]) {
      expect(() => validateDocument(doc)).not.toThrow();
    }
  });

  it('names the object, the field path and the received value of a bad container port', () => {
    const yaml = ECHO.split('---\n')[1]!.replace('containerPort: 8080', 'containerPort: 70000');

    const [issue] = issuesOf(yaml);

    expect(issue).toMatchObject({
      code: 'INVALID_PORT',
      object: 'Deployment default/echo',
      path: 'spec.template.spec.containers[0].ports[0].containerPort',
    });
    expect(issue!.message).toBe('Invalid value: 70000: must be between 1 and 65535, inclusive');
  });

  it('refuses a container name used twice in a pod and a port name used twice in one container, as the API server words it, and allows a port name in two containers', () => {
    const ports = (name: string) =>
      `    image: nginx\n    ports:\n    - { name: http, containerPort: 80 }\n    - { name: ${name}, containerPort: 8080 }`;

    const [issue] = issuesOf(POD(`  containers:\n  - name: web\n${ports('http')}`));
    const twoContainers = issuesOf(
      POD(
        `  containers:\n  - name: a\n    image: nginx\n    ports: [{ name: http, containerPort: 80 }]\n  - name: b\n    image: nginx\n    ports: [{ name: http, containerPort: 81 }]`,
      ),
    );

    expect(issue).toMatchObject({ object: 'Pod default/xwing', path: 'spec.containers[0].ports[1].name' });
    expect(issue!.message).toBe('Duplicate value: "http"');
    expect(issuesOf(POD(`  containers:\n  - name: web\n${ports('alt')}`))).toEqual([]);
    expect(twoContainers).toEqual([]);
    expect(issuesOf(POD('  containers:\n  - { name: web, image: nginx }\n  - { name: web, image: nginx }'))).toMatchObject([
      { path: 'spec.containers[1].name', message: 'Duplicate value: "web"' },
    ]);
  });

  it('reports every issue of a document in one pass', () => {
    const yaml = POD(`  containers:
  - name: Spaceship
    image: x
    ports:
    - containerPort: 0
      protocol: tcp
  colour: red`);

    const issues = issuesOf(yaml);

    expect(issues.map((i) => `${i.code} ${i.path}`).sort()).toEqual([
      'INVALID_FIELD spec.containers[0].name',
      'INVALID_FIELD spec.containers[0].ports[0].protocol',
      'INVALID_PORT spec.containers[0].ports[0].containerPort',
      'UNKNOWN_FIELD spec.colour',
    ]);
  });

  it('rejects an unknown field as kubectl strict validation does', () => {
    const [issue] = issuesOf(POD('  containers: [{ name: a, image: b }]\n  restartPolicyy: Never'));

    expect(issue).toMatchObject({ code: 'UNKNOWN_FIELD', path: 'spec.restartPolicyy' });
    expect(issue!.message).toMatch(/^unknown field "spec.restartPolicyy"/);
  });

  it('lists the supported kinds for an unknown kind', () => {
    const [issue] = issuesOf('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');

    expect(issue!.code).toBe('UNKNOWN_KIND');
    expect(issue!.message).toContain('no matches for kind "ConfigMap"');
    expect(issue!.message).toContain('CiliumNetworkPolicy');
  });

  it('names an object of an unknown kind as written, with the version nothing serves it at', () => {
    const [issue] = issuesOf('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');

    expect(issue!.ref).toEqual({ kind: 'ConfigMap', name: 'x', namespace: '', apiVersion: 'v1' });
    expect(issue!.message).toContain('no matches for kind "ConfigMap" in version "v1"');
  });

  it('rejects an apiVersion the kind is not served at', () => {
    const [issue] = issuesOf(ECHO.split('---\n')[1]!.replace('apps/v1', 'extensions/v1beta1'));

    expect(issue).toMatchObject({ code: 'INVALID_FIELD', path: 'apiVersion' });
    expect(issue!.message).toContain('no matches for kind "Deployment" in version "extensions/v1beta1"');
  });

  it('rejects names that are not DNS-1123', () => {
    const [issue] = issuesOf(POD('  containers: [{ name: a, image: b }]', 'name: X_Wing'));

    expect(issue).toMatchObject({ code: 'INVALID_FIELD', object: 'Pod default/X_Wing', path: 'metadata.name' });
  });

  it('rejects bad label keys and unquoted non-string label values', () => {
    const issues = issuesOf(POD('  containers: [{ name: a, image: b }]', 'name: x\n  labels: { "bad key": a, version: 1 }'));

    expect(issues.map((i) => i.path).sort()).toEqual(['metadata.labels.version', 'metadata.labels[bad key]']);
    expect(issues.find((i) => i.path === 'metadata.labels.version')!.message).toContain('quote');
  });

  it('rejects a Deployment whose selector does not match its template labels', () => {
    const yaml = ECHO.split('---\n')[1]!.replace('      labels:\n        app: echo', '      labels:\n        app: other');

    const [issue] = issuesOf(yaml);

    expect(issue).toMatchObject({ code: 'INVALID_FIELD', path: 'spec.template.metadata.labels' });
    expect(issue!.message).toContain('`selector` does not match template `labels`');
  });

  it('requires port names on a multi-port Service and a nodePort only on NodePort services', () => {
    const yaml = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports:
  - { port: 80, nodePort: 30080 }
  - { port: 443 }`;

    const issues = issuesOf(yaml);

    expect(issues.map((i) => i.path).sort()).toEqual(['spec.ports[0].name', 'spec.ports[0].nodePort', 'spec.ports[1].name']);
  });

  it('accepts a named targetPort and rejects a numeric string', () => {
    const svc = (t: string): string =>
      `apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  ports: [{ port: 80, targetPort: ${t} }]\n`;

    expect(issuesOf(svc('http'))).toEqual([]);
    expect(issuesOf(svc('"8080"'))[0]).toMatchObject({ code: 'INVALID_PORT', path: 'spec.ports[0].targetPort' });
  });

  it('validates only the envelope of a CiliumNetworkPolicy: exactly one of spec and specs', () => {
    const cnp = (body: string): string => `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: rule1 }\n${body}`;

    expect(issuesOf(cnp('spec: { endpointSelector: {}, anything: [1] }'))).toEqual([]);
    expect(issuesOf(cnp('specs: [{ endpointSelector: {} }]'))).toEqual([]);
    expect(issuesOf(cnp('spec: {}\nspecs: []'))[0]).toMatchObject({ object: 'CiliumNetworkPolicy default/rule1', path: 'spec' });
    expect(issuesOf(cnp(''))[0]!.message).toContain('Required value');
  });

  it('accepts and prunes a top-level description on a CiliumNetworkPolicy', () => {
    const [doc] = parseManifest(
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\ndescription: "L3-L4"\nmetadata: { name: rule1 }\nspec: {}\n',
    );

    expect(validateDocument(doc!).manifest).not.toHaveProperty('description');
  });

  it('gives a CiliumClusterwideNetworkPolicy no namespace', () => {
    const [doc] = parseManifest(
      'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: lock, namespace: x }\nspec: {}\n',
    );

    expect(validateDocument(doc!).ref).toEqual({ kind: 'CiliumClusterwideNetworkPolicy', name: 'lock' });
  });

  it('refuses an object of another namespace than an explicit -n', () => {
    const yaml = POD('  containers: [{ name: a, image: b }]', 'name: x\n  namespace: team-a');

    const [issue] = issuesOf(yaml, { namespace: 'team-b', namespaceExplicit: true });

    expect(issue!.message).toContain(`You must pass '--namespace=team-a'`);
  });

  it('puts objects without a namespace in the -n namespace, else default', () => {
    const [doc] = parseManifest(POD('  containers: [{ name: a, image: b }]'));

    expect(validateDocument(doc!).ref.namespace).toBe('default');
    expect(validateDocument(doc!, { namespace: 'team-a' }).ref.namespace).toBe('team-a');
  });

  it('reports a document that is not a mapping', () => {
    const [doc] = parseManifest('- just\n- a list\n');

    expect(() => validateDocument(doc!)).toThrowError(expect.objectContaining({ code: 'INVALID_OBJECT' }));
  });
});
