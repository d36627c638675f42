import { isSimError, parseCiliumVersion, SimError, type SimIssue } from '@cilium-sim/core';

export type EncryptionMode = 'none' | 'wireguard' | 'ipsec';

/** Features outside upstream Cilium that a scenario may switch on explicitly. */
export const SCENARIO_EXTENSIONS = ['spiffeTlsUpgrade'] as const;
export type ScenarioExtension = (typeof SCENARIO_EXTENSIONS)[number];

/** SPIRE as the scenario needs it, when it differs from Cilium's Helm install. */
export interface SpireOptions {
  readonly enabled: boolean;
  /** `spiffe.cilium` in Cilium's install. */
  readonly trustDomain: string;
  /** Whether the Cilium operator registers one entry per identity (Cilium's behaviour). */
  readonly operatorEntries: boolean;
}

/**
 * How the cluster of a scenario is created: the `cluster:` block of scenario.yaml.
 * Omitted fields take the CLI's defaults (seed 1, 3 nodes, mutual auth on, no encryption).
 */
export interface ScenarioOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly mutualAuth: boolean;
  readonly encryption: EncryptionMode;
  readonly spire?: SpireOptions;
  readonly extensions: readonly ScenarioExtension[];
  /** The Cilium the material was written for (`1.16`, `1.16.0`); default the CLI's. */
  readonly ciliumVersion?: string;
}

const ENCRYPTION_MODES: readonly EncryptionMode[] = ['none', 'wireguard', 'ipsec'];

/** Validates the `cluster:` block in one pass; `object` names the file in errors. */
export function parseScenarioOptions(raw: unknown, object: string): ScenarioOptions {
  const issues: SimIssue[] = [];
  const bad = (path: string, message: string): void =>
    void issues.push({ code: 'INVALID_FIELD', object, path: `cluster.${path}`, message });
  const c = isRecord(raw) ? raw : {};
  const seed = intField(c['seed'], 1, 0, 'seed', bad);
  const nodes = intField(c['nodes'], 3, 1, 'nodes', bad);
  const mutualAuth = c['mutualAuth'] ?? true;
  if (typeof mutualAuth !== 'boolean') bad('mutualAuth', `expected true or false, received ${JSON.stringify(mutualAuth)}`);
  const encryption = c['encryption'] ?? 'none';
  if (!ENCRYPTION_MODES.includes(encryption as EncryptionMode))
    bad('encryption', `expected one of ${ENCRYPTION_MODES.join(', ')}, received ${JSON.stringify(encryption)}`);
  const extensions = (c['extensions'] ?? []) as unknown;
  const known = Array.isArray(extensions) && extensions.every((e) => SCENARIO_EXTENSIONS.includes(e as ScenarioExtension));
  if (!known) bad('extensions', `expected a list drawn from ${SCENARIO_EXTENSIONS.join(', ')}, received ${JSON.stringify(extensions)}`);
  const spire = c['spire'] === undefined ? undefined : spireOptions(c['spire'], bad);
  const ciliumVersion = c['ciliumVersion'] === undefined ? undefined : versionField(c['ciliumVersion'], bad);
  if (issues.length > 0) throw SimError.of(issues);
  const base = {
    seed,
    nodes,
    mutualAuth: mutualAuth as boolean,
    encryption: encryption as EncryptionMode,
    extensions: extensions as ScenarioExtension[],
    ...(ciliumVersion === undefined ? {} : { ciliumVersion }),
  };
  return spire === undefined ? base : { ...base, spire };
}

function spireOptions(raw: unknown, bad: (path: string, message: string) => void): SpireOptions {
  const s = isRecord(raw) ? raw : {};
  const trustDomain = s['trustDomain'] ?? 'spiffe.cilium';
  // A SPIFFE trust domain is lower-case letters, digits, dots, dashes and underscores.
  if (typeof trustDomain !== 'string' || !/^[a-z0-9._-]+$/.test(trustDomain)) {
    bad('spire.trustDomain', `expected a trust domain such as example.org, received ${JSON.stringify(trustDomain)}`);
  }
  const enabled = s['enabled'] ?? true;
  const operatorEntries = s['operatorEntries'] ?? true;
  if (typeof enabled !== 'boolean') bad('spire.enabled', `expected true or false, received ${JSON.stringify(enabled)}`);
  if (typeof operatorEntries !== 'boolean')
    bad('spire.operatorEntries', `expected true or false, received ${JSON.stringify(operatorEntries)}`);
  return { enabled: enabled as boolean, trustDomain: trustDomain as string, operatorEntries: operatorEntries as boolean };
}

/** `ciliumVersion: 1.16` reads as a YAML number; it is taken as the text it was written as. */
function versionField(value: unknown, bad: (path: string, message: string) => void): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string')
    return void bad('ciliumVersion', `expected a Cilium version such as 1.16.0, received ${JSON.stringify(value)}`);
  try {
    return parseCiliumVersion(text).release;
  } catch (e) {
    if (!isSimError(e)) throw e;
    // YAML reads 1.20 as the number 1.2: say how to keep the zero.
    const hint = typeof value === 'number' ? `; YAML reads ${text} as a number, so quote the version ("1.20")` : '';
    return void bad('ciliumVersion', `${e.message}${hint}`);
  }
}

function intField(value: unknown, fallback: number, min: number, path: string, bad: (path: string, message: string) => void): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  bad(path, `expected an integer >= ${min}, received ${JSON.stringify(value)}`);
  return fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
