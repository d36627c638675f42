import { behaviourIn, type CiliumMinor, type CiliumVersion } from './ciliumVersion.ts';

/**
 * What a Cilium install of each minor runs besides the agent and the operator (whose images are
 * the release's own): the versions its Helm chart pins for Envoy, Hubble UI and SPIRE, the Go
 * release the agent is built with, and the cilium-cli of the same time. A cluster asked for
 * another patch of a minor (`1.16.5`) runs that release's agent and operator with these
 * components of the modelled one. Images are printed by tag; the digests a Helm install adds
 * are left out.
 */
export interface CiliumComponents {
  /** `quay.io/cilium/cilium-envoy` tag; absent when the version runs Envoy inside the agent by default. */
  readonly envoy?: string;
  /** `quay.io/cilium/hubble-ui` and `hubble-ui-backend` tag. */
  readonly hubbleUi: string;
  /** `ghcr.io/spiffe/spire-server` and `spire-agent` tag. */
  readonly spire: string;
  /** `docker.io/library/busybox` tag of the SPIRE server's init container. */
  readonly busybox: string;
  /** The Go release the agent is built with, as `cilium-dbg version` prints it. */
  readonly go: string;
  /** The cilium-cli a user of this version runs on the host: its version, its Go, its default image. */
  readonly cli: { readonly version: string; readonly go: string; readonly defaultImage: string };
}

/**
 * By minor, for its modelled release (CILIUM_RELEASES). docs/reference/versions.md prints this
 * table and says which entries are read from release material and which are chosen.
 */
export const CILIUM_COMPONENTS: Readonly<Record<CiliumMinor, CiliumComponents>> = {
  '1.14': {
    hubbleUi: 'v0.13.1',
    spire: '1.6.3',
    busybox: '1.35.0',
    go: 'go1.22.5',
    cli: { version: 'v0.15.18', go: 'go1.21.5', defaultImage: 'v1.14.4' },
  },
  '1.15': {
    hubbleUi: 'v0.13.1',
    spire: '1.8.5',
    busybox: '1.36.1',
    go: 'go1.21.11',
    cli: { version: 'v0.16.10', go: 'go1.22.4', defaultImage: 'v1.15.5' },
  },
  '1.16': {
    envoy: 'v1.29.7-39a2a56bbd5b3a591f69dbca51d3e30ef97e0e51',
    hubbleUi: 'v0.13.1',
    spire: '1.9.6',
    busybox: '1.36.1',
    go: 'go1.22.5',
    cli: { version: 'v0.16.13', go: 'go1.22.5', defaultImage: 'v1.16.0' },
  },
  '1.17': {
    envoy: 'v1.33.4-1752151664-7c2edb0b44cf95f326d628b837fcdd845102ba68',
    hubbleUi: 'v0.13.2',
    spire: '1.9.6',
    busybox: '1.37.0',
    go: 'go1.24.5',
    cli: { version: 'v0.18.5', go: 'go1.24.4', defaultImage: 'v1.17.5' },
  },
  '1.18': {
    envoy: 'v1.34.7-1757592137-1a52bb680a956879722f48c591a2ca90f7791324',
    hubbleUi: 'v0.13.3',
    spire: '1.12.4',
    busybox: '1.37.0',
    go: 'go1.24.7',
    cli: { version: 'v0.18.8', go: 'go1.25.3', defaultImage: 'v1.18.2' },
  },
  '1.19': {
    envoy: 'v1.35.9-1770979049-232ed4a26881e4ab4f766f251f258ed424fff663',
    hubbleUi: 'v0.13.3',
    spire: '1.12.4',
    busybox: '1.37.0',
    go: 'go1.25.6',
    cli: { version: 'v0.19.2', go: 'go1.25.5', defaultImage: 'v1.19.1' },
  },
  '1.20': {
    envoy: 'v1.37.5-1782911245-7cffc778c923f68a77954a53b1a98d6b5353f004',
    hubbleUi: 'v0.13.5',
    spire: '1.12.4',
    busybox: '1.37.0',
    go: 'go1.26.2',
    cli: { version: 'v0.20.1', go: 'go1.27.1', defaultImage: 'v1.20.1' },
  },
};

/** The components of a cluster's version. */
export function componentsOf(version: CiliumVersion): CiliumComponents {
  return CILIUM_COMPONENTS[version.minor];
}

/** The images of a version's Cilium workloads, by container: what the install and `cilium status` show. */
export interface CiliumImages {
  readonly agent: string;
  readonly operator: string;
  readonly hubbleRelay: string;
  readonly hubbleUi: string;
  readonly hubbleUiBackend: string;
  /** Absent when Envoy runs inside the agent. */
  readonly envoy?: string;
  readonly spireServer: string;
  readonly spireAgent: string;
  readonly busybox: string;
}

export function ciliumImages(version: CiliumVersion): CiliumImages {
  const c = componentsOf(version);
  const v = `v${version.release}`;
  const envoy = behaviourIn(version, 'envoy-daemonset') && c.envoy !== undefined ? `quay.io/cilium/cilium-envoy:${c.envoy}` : undefined;
  return {
    agent: `quay.io/cilium/cilium:${v}`,
    operator: `quay.io/cilium/operator-generic:${v}`,
    hubbleRelay: `quay.io/cilium/hubble-relay:${v}`,
    hubbleUi: `quay.io/cilium/hubble-ui:${c.hubbleUi}`,
    hubbleUiBackend: `quay.io/cilium/hubble-ui-backend:${c.hubbleUi}`,
    ...(envoy === undefined ? {} : { envoy }),
    spireServer: `ghcr.io/spiffe/spire-server:${c.spire}`,
    spireAgent: `ghcr.io/spiffe/spire-agent:${c.spire}`,
    busybox: `docker.io/library/busybox:${c.busybox}`,
  };
}

/**
 * The agent build as `cilium-dbg version` and the agent's start-up banner print it:
 * `1.16.0 go version go1.22.5 linux/amd64` (the build's commit and date are left out).
 */
export function agentBuild(version: CiliumVersion): string {
  return `${version.release} go version ${componentsOf(version).go} linux/amd64`;
}
