import type { ClusterExtension, ClusterOptions } from '@cilium-sim/core';

/** Core, loaded by the caller only when an option needs it (`--cilium-version`), so a start stays light. */
type Core = typeof import('@cilium-sim/core');

/** The global options as node:util's parseArgs reads them (main.ts, and ciCommands.ts to find the command after them). */
export const GLOBAL_OPTIONS = {
  seed: { type: 'string' },
  nodes: { type: 'string' },
  'mutual-auth': { type: 'string' },
  external: { type: 'string', multiple: true },
  encryption: { type: 'string' },
  'cilium-version': { type: 'string' },
  tetragon: { type: 'boolean' },
  extension: { type: 'string', multiple: true },
  'trust-domain': { type: 'string' },
} as const;

/**
 * The global options of `cilium-sim` (`--seed`, `--nodes`, `--mutual-auth`, `--external`,
 * `--encryption`, `--cilium-version`, `--tetragon`, `--extension`, `--trust-domain`) as the cluster options they stand for; a bad
 * value is a CliUsage error the binary prints with its usage (exit 2).
 */
export function clusterOptions(
  values: {
    seed?: string;
    nodes?: string;
    'mutual-auth'?: string;
    external?: string[];
    encryption?: string;
    extension?: string[];
    'trust-domain'?: string;
    'cilium-version'?: string;
    tetragon?: boolean;
  },
  core?: Core,
): ClusterOptions {
  const num = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
      throw new CliUsage(`--${flag} must be a whole number (at most ${Number.MAX_SAFE_INTEGER}), received "${v}"`);
    return Number(v);
  };
  const externals: Record<string, string> = {};
  for (const e of values.external ?? []) {
    const [host, ip] = e.split('=');
    if (host === undefined || ip === undefined || host === '' || ip === '') throw new CliUsage(`--external takes NAME=IP, received "${e}"`);
    externals[host] = ip;
  }
  const mutual = values['mutual-auth'];
  if (mutual !== undefined && mutual !== 'true' && mutual !== 'false')
    throw new CliUsage(`--mutual-auth takes true or false, received "${mutual}"`);
  const seed = num('seed', values.seed);
  const nodes = num('nodes', values.nodes);
  const extensions = (values.extension ?? []).map((name) => {
    const id = EXTENSIONS[name];
    if (id === undefined) throw new CliUsage(`--extension: unknown extension "${name}"; supported: ${Object.keys(EXTENSIONS).join(', ')}`);
    return id;
  });
  const trustDomain = values['trust-domain'];
  return {
    ...(extensions.length === 0 ? {} : { extensions }),
    ...(trustDomain === undefined ? {} : { trustDomain }),
    ...(seed === undefined ? {} : { seed }),
    ...(nodes === undefined ? {} : { nodes }),
    ...(mutual === undefined ? {} : { mutualAuth: mutual === 'true' }),
    ...(Object.keys(externals).length === 0 ? {} : { externalHosts: externals }),
    ...(values.encryption === undefined ? {} : { encryption: values.encryption as 'disabled' }),
    ...(values['cilium-version'] === undefined ? {} : { ciliumVersion: ciliumVersion(values['cilium-version'], core) }),
    ...(values.tetragon === true ? { tetragon: true } : {}),
  };
}

/** `--cilium-version 1.18`: checked here, so a bad version names the flag. */
function ciliumVersion(text: string, core: Core | undefined): string {
  if (core === undefined) throw new Error('clusterOptions: --cilium-version needs core loaded');
  try {
    return core.parseCiliumVersion(text).release;
  } catch (e) {
    if (!core.isSimError(e)) throw e;
    throw new CliUsage(`--cilium-version: ${e.issues[0]?.message ?? e.message}`);
  }
}

/** The extensions by the names the command line gives them. */
const EXTENSIONS: Readonly<Record<string, ClusterExtension>> = { 'spiffe-tls-upgrade': 'spiffeTlsUpgrade' };

export class CliUsage extends Error {}
