import { describe, expect, it } from 'vitest';
import { errorOf } from './errorOf.ts';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { isSimError } from '@cilium-sim/core';
import { bundledUrls, isBundledUrl, loadScenario, resolveBundledUrl } from '../src/index.ts';

const RAW = 'https://raw.githubusercontent.com/cilium/cilium';
const SW_APP = 'examples/minikube/http-sw-app.yaml';
const ECHO = 'examples/kubernetes/servicemesh/mutual-auth-example.yaml';

describe('bundled lab URLs', () => {
  it('serves the Star Wars app from the star-wars scenario', () => {
    const m = resolveBundledUrl(`${RAW}/HEAD/${SW_APP}`);

    expect(m.bundledAs).toBe('star-wars/manifests/http-sw-app.yaml');
    expect(m.text).toBe(loadScenario('star-wars').files.get('manifests/http-sw-app.yaml'));
  });

  it("lists the six cilium/cilium lab manifests by their HEAD URL, and the posts' manifests", () => {
    expect(bundledUrls().filter((u) => u.startsWith(`${RAW}/`))).toHaveLength(6);
    expect(bundledUrls()).toContain(`${RAW}/HEAD/examples/kubernetes/servicemesh/cnp-with-mutual-auth.yaml`);
    expect(bundledUrls()).toEqual([
      'https://docs.isovalent.com/public/tenant-services.yaml',
      'https://raw.githubusercontent.com/accuknox/cilium-spire-tutorials/HEAD/scenario03/1-http-sw-app.yaml',
      'https://raw.githubusercontent.com/accuknox/cilium-spire-tutorials/HEAD/scenario03/2-mtls-upgrade.yaml',
      'https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/kubernetes/servicemesh/cnp-with-mutual-auth.yaml',
      'https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/kubernetes/servicemesh/cnp-without-mutual-auth.yaml',
      'https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/kubernetes/servicemesh/mutual-auth-example.yaml',
      'https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/http-sw-app.yaml',
      'https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/sw_l3_l4_l7_policy.yaml',
      'https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/sw_l3_l4_policy.yaml',
      'https://raw.githubusercontent.com/kubearmor/KubeArmor/HEAD/examples/sock-shop/sock-shop-deployment.yaml',
      'https://raw.githubusercontent.com/microservices-demo/microservices-demo/HEAD/deploy/kubernetes/complete-demo.yaml',
      'https://raw.githubusercontent.com/seanmwinn/cilium-hands-on-lab/HEAD/allow-all-within-ns.yaml',
      'https://raw.githubusercontent.com/seanmwinn/cilium-hands-on-lab/HEAD/tenant-services.yaml',
      'https://raw.githubusercontent.com/seanmwinn/cilium-hands-on-lab/HEAD/to-dns-only.yaml',
      'https://raw.githubusercontent.com/seanmwinn/cilium-hands-on-lab/HEAD/troubleshooting/tenant-services.yaml',
    ]);
  });

  it("serves the posts' manifests by the URLs the posts use, with the names, ports and labels they use", () => {
    const tenants = resolveBundledUrl('https://raw.githubusercontent.com/seanmwinn/cilium-hands-on-lab/master/tenant-services.yaml');
    expect(tenants.bundledAs).toBe('zero-trust-tenants/manifests/tenant-services.yaml');
    expect(tenants.source).toBe('seanmwinn/cilium-hands-on-lab');
    expect(resolveBundledUrl('https://docs.isovalent.com/public/tenant-services.yaml').text).toBe(tenants.text);
    const docs = parseAllDocuments(tenants.text).map((d) => d.toJS() as { kind: string; metadata: { name: string; labels?: unknown } });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Service/frontend-service',
      'Pod/frontend-service',
      'Service/backend-service',
      'Pod/backend-service',
    ]);
    expect(tenants.text).not.toContain('namespace:');
    const shop = resolveBundledUrl(
      'https://raw.githubusercontent.com/kubearmor/KubeArmor/main/examples/sock-shop/sock-shop-deployment.yaml',
    );
    expect(shop.bundledAs).toBe('sock-shop-tls/manifests/sock-shop.yaml');
    const names = parseAllDocuments(shop.text)
      .map((d) => d.toJS() as { kind: string; metadata: { name: string } })
      .filter((d) => d.kind === 'Deployment')
      .map((d) => d.metadata.name)
      .sort();
    expect(names).toEqual([
      'carts',
      'carts-db',
      'catalogue',
      'catalogue-db',
      'front-end',
      'orders',
      'orders-db',
      'payment',
      'queue-master',
      'rabbitmq',
      'shipping',
      'user',
      'user-db',
    ]);
    expect(
      resolveBundledUrl('https://github.com/microservices-demo/microservices-demo/raw/master/deploy/kubernetes/complete-demo.yaml').text,
    ).toBe(shop.text);
  });

  it('resolves HEAD, main, master, refs/heads/main, tags and the github.com raw form alike', () => {
    const forms = ['HEAD', 'main', 'master', 'refs/heads/main', 'v1.16', 'v1.17.2', '1.16.x', 'v1.18.0-rc.1'].map(
      (ref) => `${RAW}/${ref}/${SW_APP}`,
    );
    forms.push(
      `https://github.com/cilium/cilium/raw/main/${SW_APP}`,
      `http://raw.githubusercontent.com/cilium/cilium/main/${SW_APP}?raw=true`,
    );

    for (const url of forms) expect(resolveBundledUrl(url).bundledAs, url).toBe('star-wars/manifests/http-sw-app.yaml');
  });

  it('serves the port-8080 mutual-auth example to refs of Cilium 1.15 and older, port 3000 otherwise', () => {
    expect(resolveBundledUrl(`${RAW}/v1.14/${ECHO}`).text).toContain('containerPort: 8080');
    expect(resolveBundledUrl(`${RAW}/refs/tags/v1.15.6/${ECHO}`).text).toContain('containerPort: 8080');
    expect(resolveBundledUrl(`${RAW}/v1.16.0/${ECHO}`).text).toContain('containerPort: 3000');
    expect(resolveBundledUrl(`${RAW}/main/${ECHO}`).text).toContain('containerPort: 3000');
  });

  it('resolves any version tag of any bundled file', () => {
    const paths = bundledUrls()
      .filter((u) => u.startsWith(`${RAW}/HEAD/`))
      .map((u) => u.slice(`${RAW}/HEAD/`.length));
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.nat(30), fc.nat(99), fc.boolean(), (path, minor, patch, v) => {
        const url = `${RAW}/${v ? 'v' : ''}1.${minor}.${patch}/${path}`;
        expect(resolveBundledUrl(url).upstreamPath).toBe(path);
      }),
    );
  });

  it('refuses an unknown URL with NO_NETWORK and names what is available', () => {
    const url = 'https://example.com/policy.yaml';
    const err = errorOf(() => resolveBundledUrl(url));

    expect(isSimError(err) && err.code).toBe('NO_NETWORK');
    expect((err as Error).message).toBe(
      `unable to read URL "${url}": no network in the sandbox (only the bundled lab manifests are available: ${bundledUrls().join(', ')})`,
    );
  });

  it('refuses other files and other repositories of GitHub', () => {
    expect(isBundledUrl(`${RAW}/HEAD/examples/minikube/other.yaml`)).toBe(false);
    expect(isBundledUrl(`https://raw.githubusercontent.com/someone/cilium/HEAD/${SW_APP}`)).toBe(false);
    expect(isBundledUrl(`https://github.com/cilium/cilium/blob/main/${SW_APP}`)).toBe(false);
  });

  it('refuses every URL outside the bundle', () => {
    fc.assert(
      fc.property(fc.webUrl(), (url) => {
        fc.pre(!url.includes('raw.githubusercontent.com/cilium/cilium') && !url.includes('github.com/cilium/cilium'));
        const err = errorOf(() => resolveBundledUrl(url));
        expect(isSimError(err) && err.code).toBe('NO_NETWORK');
      }),
    );
  });
});
