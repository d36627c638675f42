export {
  listScenarios,
  loadScenario,
  loadScenarioDir,
  scenarioNames,
  type Scenario,
  type ScenarioSummary,
  type ScenarioSource,
} from './scenarioCatalog.ts';
export {
  parseScenarioOptions,
  SCENARIO_EXTENSIONS,
  type ScenarioOptions,
  type SpireOptions,
  type EncryptionMode,
  type ScenarioExtension,
} from './scenarioOptions.ts';
export {
  parseTask,
  type ScenarioTask,
  type TaskCheck,
  type PolicyRequiresAuthCheck,
  type ConnectivityCheck,
  type FlowObservedCheck,
  type DnsCheck,
} from './scenarioTask.ts';
export { gradeTask, formatTaskReport, type TaskReport, type CheckResult } from './taskGrader.ts';
export { PROBE_CONNECT_TIMEOUT_MS } from './checks/trafficChecks.ts';
export { resolveBundledUrl, isBundledUrl, bundledUrls, type BundledManifest } from './bundledUrls.ts';
export { scriptCommands, manifestReferences, splitWords, type ScriptCommand, type ManifestReference } from './scriptReferences.ts';
export { parseYaml, parseYamlDocuments } from './yamlReader.ts';
