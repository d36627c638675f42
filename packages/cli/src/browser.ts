/**
 * The CLI's shell for a browser page (the playground): the same session, tools, printers, labs
 * and REPL loop as `cilium-sim`, with nothing of Node. Nothing here imports `node:` modules,
 * `process` or Buffer (test/architecture/layers.test.ts checks it); the Node entry (main.ts,
 * repl.ts, node/) binds the same modules to the disk and to readline.
 */
export { createSimulator, type Simulator } from './simulator.ts';
export { NO_HOST_FILES, type HostFiles } from './hostFiles.ts';
export { ShellSession, type RunResult } from './shell/session.ts';
export { scenarioClusterOptions } from './scenarioRunner.ts';
export { parseScript, type ScriptCommand } from './shell/script.ts';
export { createLab, labNames, type Lab } from './lab/labSession.ts';
export { labRepl, type LabRepl } from './lab/labRepl.ts';
export { completer, helpText } from './replHelp.ts';
export { ReplLoop, type ReplLoopOptions, type ReplTerminal } from './terminal/replLoop.ts';
export { LineEditor, type LineEditorOptions, type LineEvent } from './terminal/lineEditor.ts';
export { makeCompleter } from './terminal/makeCompleter.ts';
export { replPrompt, PROMPT } from './terminal/replPrompt.ts';
export { DEFAULT_PRINT_OPTIONS, type PrintOptions } from './hubble/printers/printOptions.ts';
export { compactCells, compactLine, type CompactCells } from './hubble/printers/compact.ts';
export { successLine, errorLine } from './kubectl/resultLines.ts';
export type { ApplyObserver } from './commands/cliContext.ts';
