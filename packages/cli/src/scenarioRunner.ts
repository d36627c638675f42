import { loadScenario, type Scenario } from '@cilium-sim/scenarios';
import type { ClusterOptions } from '@cilium-sim/core';
import { runScript, type ScriptResult } from './shell/script.ts';
import { createSimulator, type Simulator } from './simulator.ts';
import { NO_HOST_FILES, type HostFiles } from './hostFiles.ts';

/** The cluster a scenario asks for, overridden by the command line's global options. */
export function scenarioClusterOptions(s: Scenario, overrides: ClusterOptions = {}): ClusterOptions {
  return {
    seed: s.options.seed,
    nodes: s.options.nodes,
    mutualAuth: s.options.mutualAuth,
    encryption: s.options.encryption === 'none' ? 'disabled' : s.options.encryption,
    ...(s.options.spire === undefined
      ? {}
      : {
          trustDomain: s.options.spire.trustDomain,
          spire: { enabled: s.options.spire.enabled, operatorEntries: s.options.spire.operatorEntries },
        }),
    ...(s.options.extensions.length === 0 ? {} : { extensions: s.options.extensions }),
    ...(s.options.ciliumVersion === undefined ? {} : { ciliumVersion: s.options.ciliumVersion }),
    ...overrides,
  };
}

/**
 * Runs a bundled scenario's walkthrough on a fresh cluster and returns its transcript. A file the
 * scenario does not bundle is read from `host` (the CLI's: the working folder).
 */
export function runScenario(
  name: string,
  overrides: ClusterOptions = {},
  host: HostFiles = NO_HOST_FILES,
): ScriptResult & { simulator: Simulator; scenario: Scenario } {
  const scenario = loadScenario(name);
  const simulator = createSimulator(scenarioClusterOptions(scenario, overrides), host, scenario.files);
  const result = runScript(scenario.script, simulator.session, { name: `${name}/walkthrough.sh` });
  return { ...result, simulator, scenario };
}
