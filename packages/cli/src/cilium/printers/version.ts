import { agentBuild, CILIUM_COMPONENTS, type CiliumVersion } from '@cilium-sim/core';

/**
 * `cilium version` on the host: the cilium-cli of the cluster's Cilium era, the Cilium version
 * it installs by default, the latest stable it knows (taken as its default: the simulator has
 * no network to ask), and the version running in the cluster. `--client` leaves the last out.
 */
export function formatCliVersion(version: CiliumVersion, client: boolean): string {
  const cli = CILIUM_COMPONENTS[version.minor].cli;
  const lines = [
    `cilium-cli: ${cli.version} compiled with ${cli.go} on linux/amd64`,
    `cilium image (default): ${cli.defaultImage}`,
    `cilium image (stable): ${cli.defaultImage}`,
    ...(client ? [] : [`cilium image (running): ${version.release}`]),
  ];
  return `${lines.join('\n')}\n`;
}

/** `cilium-dbg version` in an agent pod: the CLI's build and the agent's, the same image. */
export function formatAgentVersion(version: CiliumVersion): string {
  const build = agentBuild(version);
  return `Client: ${build}\nDaemon: ${build}\n`;
}
