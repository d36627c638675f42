import { SimError } from '@cilium-sim/core';
import { loadScenario } from './scenarioCatalog.ts';

/**
 * The sandbox has no network. The labs, the posts they follow and the bundled tutorials apply
 * manifests straight from GitHub repositories (cilium/cilium's examples, the tenant app of the
 * zero-trust tenants post, the sock shop) and from a few web pages, so those URLs map to the
 * copies bundled with the scenarios; any other URL is refused the way kubectl reports an
 * unreadable URL. docs/reference/bundled-manifests.md lists them and their sources.
 */

/** Where a file is bundled; `legacy` serves refs of Cilium <= 1.15. */
interface BundledFile {
  readonly scenario: string;
  readonly file: string;
  readonly legacy?: string;
}

/** Files of GitHub repositories, by `owner/repo` (lower case, as GitHub ignores case) and path. */
const GITHUB_FILES: Readonly<Record<string, Readonly<Record<string, BundledFile>>>> = {
  'cilium/cilium': {
    'examples/minikube/http-sw-app.yaml': { scenario: 'star-wars', file: 'manifests/http-sw-app.yaml' },
    'examples/minikube/sw_l3_l4_policy.yaml': { scenario: 'star-wars', file: 'manifests/sw_l3_l4_policy.yaml' },
    'examples/minikube/sw_l3_l4_l7_policy.yaml': { scenario: 'star-wars', file: 'manifests/sw_l3_l4_l7_policy.yaml' },
    // The mutual-auth example moved from port 8080 to 3000 after Cilium 1.15.
    'examples/kubernetes/servicemesh/mutual-auth-example.yaml': servicemesh('mutual-auth-example.yaml'),
    'examples/kubernetes/servicemesh/cnp-without-mutual-auth.yaml': servicemesh('cnp-without-mutual-auth.yaml'),
    'examples/kubernetes/servicemesh/cnp-with-mutual-auth.yaml': servicemesh('cnp-with-mutual-auth.yaml'),
  },
  // The tenant app and base policies the zero-trust tenants post applies per tenant namespace.
  'seanmwinn/cilium-hands-on-lab': {
    'tenant-services.yaml': tenants('tenant-services.yaml'),
    'troubleshooting/tenant-services.yaml': tenants('tenant-services.yaml'),
    'allow-all-within-ns.yaml': tenants('allow-all-within-ns.yaml'),
    'to-dns-only.yaml': tenants('to-dns-only.yaml'),
  },
  // The tutorial the sock-shop walkthrough follows (scenario 03: upgrading connections to mTLS).
  'accuknox/cilium-spire-tutorials': {
    'scenario03/1-http-sw-app.yaml': accuknox('1-http-sw-app.yaml'),
    'scenario03/2-mtls-upgrade.yaml': accuknox('2-mtls-upgrade.yaml'),
  },
  // The sock shop as the mTLS post deploys it, and Weaveworks' own copy of it.
  'kubearmor/kubearmor': { 'examples/sock-shop/sock-shop-deployment.yaml': sockShop() },
  'microservices-demo/microservices-demo': { 'deploy/kubernetes/complete-demo.yaml': sockShop() },
};

/** Files of other web sites, by URL without scheme, query or fragment. */
const WEB_FILES: Readonly<Record<string, BundledFile>> = {
  'docs.isovalent.com/public/tenant-services.yaml': tenants('tenant-services.yaml'),
};

function servicemesh(file: string): BundledFile {
  return { scenario: 'mutual-auth-example', file: `manifests/${file}`, legacy: `manifests/legacy-8080/${file}` };
}

function tenants(file: string): BundledFile {
  return { scenario: 'zero-trust-tenants', file: `manifests/${file}` };
}

function accuknox(file: string): BundledFile {
  return { scenario: 'sock-shop-tls', file: `manifests/accuknox-scenario03/${file}` };
}

function sockShop(): BundledFile {
  return { scenario: 'sock-shop-tls', file: 'manifests/sock-shop.yaml' };
}

/** The two URL shapes GitHub serves raw files under: owner, repo, an optional refs/ prefix, ref, path. */
const URL_SHAPES: readonly RegExp[] = [
  /^https?:\/\/raw\.githubusercontent\.com\/([^/]+)\/([^/]+)\/(refs\/(?:heads|tags)\/)?([^/]+)\/(.+)$/,
  /^https?:\/\/github\.com\/([^/]+)\/([^/]+)\/raw\/(refs\/(?:heads|tags)\/)?([^/]+)\/(.+)$/,
];

/** HEAD, branches main/master, release branches and tags (v1.14, v1.15.3, 1.16.x, v1.17.0-rc.1), commits. */
const KNOWN_REF = /^(HEAD|main|master|v?\d+\.\d+(\.(\d+|x))?(-[0-9A-Za-z.]+)?|[0-9a-f]{7,40})$/;

export interface BundledManifest {
  readonly url: string;
  /** The repository (`cilium/cilium`) or web site the file comes from. */
  readonly source: string;
  /** Path inside the repository or site, e.g. `examples/minikube/http-sw-app.yaml`. */
  readonly upstreamPath: string;
  /** The Git ref the URL names; empty for a web page. */
  readonly ref: string;
  /** Where the text comes from: `<scenario>/<file>` inside the bundle. */
  readonly bundledAs: string;
  readonly text: string;
}

/** The canonical URL of every bundled manifest (GitHub files at HEAD), sorted. */
export function bundledUrls(): string[] {
  const github = Object.entries(GITHUB_FILES).flatMap(([repo, files]) =>
    Object.keys(files).map((path) => `https://raw.githubusercontent.com/${CANONICAL_REPO[repo] ?? repo}/HEAD/${path}`),
  );
  const web = Object.keys(WEB_FILES).map((address) => `https://${address}`);
  return [...github, ...web].sort();
}

/** Repositories whose names GitHub spells with capitals. */
const CANONICAL_REPO: Readonly<Record<string, string>> = { 'kubearmor/kubearmor': 'kubearmor/KubeArmor' };

/** True when `resolveBundledUrl` would succeed. */
export function isBundledUrl(url: string): boolean {
  return match(url) !== undefined;
}

/**
 * The bundled text for a lab URL. HEAD, main, master, version tags and commits all
 * resolve; refs of Cilium 1.15 and older get the variant of that era where it differs.
 * Anything else throws SimError NO_NETWORK; the CLI prints it after kubectl's `error: `.
 *
 * @example resolveBundledUrl('https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/http-sw-app.yaml').text
 */
export function resolveBundledUrl(url: string): BundledManifest {
  const found = match(url);
  if (found === undefined) {
    throw new SimError({
      code: 'NO_NETWORK',
      message: `unable to read URL "${url}": no network in the sandbox (only the bundled lab manifests are available: ${bundledUrls().join(', ')})`,
    });
  }
  const { source, ref, upstreamPath, bundled } = found;
  const file = bundled.legacy !== undefined && isLegacyRef(ref) ? bundled.legacy : bundled.file;
  const text = loadScenario(bundled.scenario).files.get(file);
  if (text === undefined) throw new Error(`invariant violated: bundled file ${bundled.scenario}/${file} is missing`);
  return { url, source, upstreamPath, ref, bundledAs: `${bundled.scenario}/${file}`, text };
}

function match(url: string): { source: string; ref: string; upstreamPath: string; bundled: BundledFile } | undefined {
  const clean = url.replace(/[?#].*$/, '');
  for (const shape of URL_SHAPES) {
    const m = shape.exec(clean);
    if (m === null) continue;
    const repo = `${m[1]}/${m[2]}`.toLowerCase();
    const ref = m[4] as string;
    const upstreamPath = m[5] as string;
    const bundled = GITHUB_FILES[repo]?.[upstreamPath];
    if (bundled !== undefined && KNOWN_REF.test(ref)) return { source: CANONICAL_REPO[repo] ?? repo, ref, upstreamPath, bundled };
  }
  const web = /^https?:\/\/([^/]+)\/(.+)$/.exec(clean);
  const bundled = web === null ? undefined : WEB_FILES[`${web[1]!.toLowerCase()}/${web[2]}`];
  if (web !== null && bundled !== undefined) return { source: web[1]!.toLowerCase(), ref: '', upstreamPath: web[2]!, bundled };
  return undefined;
}

/** Release refs up to 1.15 (`v1.14`, `1.15.x`, `v1.15.3`); branches, HEAD and commits are current. */
function isLegacyRef(ref: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(ref);
  if (m === null) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major < 1 || (major === 1 && minor <= 15);
}
