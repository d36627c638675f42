/**
 * What the commands that build a cluster (or read a repository, for the CI commands) load when
 * they run: one module, so that `main.ts` imports it with one dynamic `import()` and the bundle
 * (`buildBundle.mjs`) compiles it as one script with a V8 code cache beside it, which spares
 * every later start the parsing and compiling of the simulator. `scenario list` never loads it.
 */
export * as core from '@cilium-sim/core';
export { loadScenario } from '@cilium-sim/scenarios';
export { runCiCommand } from './ciCommands.ts';
export { startRepl } from './repl.ts';
export { completer, helpText } from './replHelp.ts';
export { runScenario, scenarioClusterOptions } from './scenarioRunner.ts';
export { parseScript, runScript } from './shell/script.ts';
export { createSimulator } from './simulator.ts';
export { readHostFile, readStandardInput } from './node/hostFile.ts';
export { labCommand } from './node/labCommand.ts';
export { nodeHostFiles, scriptDir } from './node/nodeHostFiles.ts';
