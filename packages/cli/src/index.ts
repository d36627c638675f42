/**
 * The CLI as a library for Node: build the simulator the `cilium-sim` binary uses and drive it
 * from code, e.g. to run a walkthrough script in a test and compare its transcript. A browser
 * page imports `@cilium-sim/cli/browser` instead: the same shell without Node.
 *
 * @example runScript('kubectl get pods\n', createSimulator({ seed: 1 }, nodeHostFiles(process.cwd())).session).transcript
 */
export { createSimulator, type Simulator } from './simulator.ts';
export { NO_HOST_FILES, type HostFiles } from './hostFiles.ts';
export { nodeHostFiles } from './node/nodeHostFiles.ts';
export { runScript, parseScript, type ScriptResult, type ScriptOptions } from './shell/script.ts';
export { ShellSession, type RunResult } from './shell/session.ts';
export { runScenario, scenarioClusterOptions } from './scenarioRunner.ts';
export { startRepl, type ReplOptions } from './repl.ts';
export { createLab, labNames, type Lab } from './lab/labSession.ts';
export { runTestFiles, type TestRun, type TestRunOptions, type TestFileResult } from './policyTest/testRun.ts';
