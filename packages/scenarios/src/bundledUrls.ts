import { SimError } from '@cilium-sim/core';
import { loadScenario } from './scenarioCatalog.ts';

/**
 * The sandbox has no network. The labs apply a handful of manifests straight from the
 * cilium/cilium repository, so those URLs map to the copies bundled with the scenarios;
 * any other URL is refused the way kubectl reports an unreadable URL.
 */

/** Where an upstream file is bundled; `legacy` serves refs of Cilium <= 1.15. */
interface BundledFile {
  readonly scenario: string;
  readonly file: string;
  readonly legacy?: string;
}

const UPSTREAM_FILES: Readonly<Record<string, BundledFile>> = {
  'examples/minikube/http-sw-app.yaml': { scenario: 'star-wars', file: 'manifests/http-sw-app.yaml' },
  'examples/minikube/sw_l3_l4_policy.yaml': { scenario: 'star-wars', file: 'manifests/sw_l3_l4_policy.yaml' },
  'examples/minikube/sw_l3_l4_l7_policy.yaml': { scenario: 'star-wars', file: 'manifests/sw_l3_l4_l7_policy.yaml' },
  // The mutual-auth example moved from port 8080 to 3000 after Cilium 1.15.
  'examples/kubernetes/servicemesh/mutual-auth-example.yaml': servicemesh('mutual-auth-example.yaml'),
  'examples/kubernetes/servicemesh/cnp-without-mutual-auth.yaml': servicemesh('cnp-without-mutual-auth.yaml'),
  'examples/kubernetes/servicemesh/cnp-with-mutual-auth.yaml': servicemesh('cnp-with-mutual-auth.yaml'),
};

function servicemesh(file: string): BundledFile {
  return { scenario: 'mutual-auth-example', file: `manifests/${file}`, legacy: `manifests/legacy-8080/${file}` };
}

/** The two URL shapes GitHub serves raw files under, for cilium/cilium. */
const URL_SHAPES: readonly RegExp[] = [
  /^https?:\/\/raw\.githubusercontent\.com\/cilium\/cilium\/(refs\/(?:heads|tags)\/)?([^/]+)\/(.+)$/,
  /^https?:\/\/github\.com\/cilium\/cilium\/raw\/(refs\/(?:heads|tags)\/)?([^/]+)\/(.+)$/,
];

/** HEAD, branches main/master, release branches and tags (v1.14, v1.15.3, 1.16.x, v1.17.0-rc.1), commits. */
const KNOWN_REF = /^(HEAD|main|master|v?\d+\.\d+(\.(\d+|x))?(-[0-9A-Za-z.]+)?|[0-9a-f]{7,40})$/;

export interface BundledManifest {
  readonly url: string;
  /** Path inside cilium/cilium, e.g. `examples/minikube/http-sw-app.yaml`. */
  readonly upstreamPath: string;
  readonly ref: string;
  /** Where the text comes from: `<scenario>/<file>` inside the bundle. */
  readonly bundledAs: string;
  readonly text: string;
}

/** The canonical (HEAD) URL of every bundled upstream manifest, sorted. */
export function bundledUrls(): string[] {
  return Object.keys(UPSTREAM_FILES)
    .map((path) => `https://raw.githubusercontent.com/cilium/cilium/HEAD/${path}`)
    .sort();
}

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
  const { ref, upstreamPath, bundled } = found;
  const file = bundled.legacy !== undefined && isLegacyRef(ref) ? bundled.legacy : bundled.file;
  const text = loadScenario(bundled.scenario).files.get(file);
  if (text === undefined) throw new Error(`invariant violated: bundled file ${bundled.scenario}/${file} is missing`);
  return { url, upstreamPath, ref, bundledAs: `${bundled.scenario}/${file}`, text };
}

function match(url: string): { ref: string; upstreamPath: string; bundled: BundledFile } | undefined {
  const clean = url.replace(/[?#].*$/, '');
  for (const shape of URL_SHAPES) {
    const m = shape.exec(clean);
    if (m === null) continue;
    const ref = m[2] as string;
    const upstreamPath = m[3] as string;
    const bundled = UPSTREAM_FILES[upstreamPath];
    if (bundled !== undefined && KNOWN_REF.test(ref)) return { ref, upstreamPath, bundled };
  }
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
