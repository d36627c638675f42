/** The shell layer of `cilium-sim run` and `cilium-sim repl`: lines in, commands dispatched, output back. */
export { ok, fail, type CommandResult, type CommandIo, type Dispatch, type Builtin, type BuiltinIo } from './command.ts';
export { ShellSyntaxError } from './shellSyntaxError.ts';
export { tokenize, type Token, type Word, type WordPart } from './tokenize.ts';
export {
  parse,
  type Program,
  type AndOrList,
  type Pipeline,
  type SimpleCommand,
  type ParsedWord,
  type Redirection,
  type Assignment,
} from './parse.ts';
export { expandWord, expandWordToString, type ExpandContext } from './expand.ts';
export { quoteArg, quoteArgs } from './quote.ts';
export { ShellSession, MAX_LINE_BYTES, type ShellSessionOptions, type RunResult } from './session.ts';
export { runScript, parseScript, MAX_SCRIPT_COMMANDS, type ScriptOptions, type ScriptResult, type ScriptCommand } from './script.ts';
export { evaluateJsonPath, validateJsonPath } from './jsonpath.ts';
export { parseDotPath, evaluateDotPath } from './dotPath.ts';
export { BUILTINS, builtinNames } from './builtins.ts';
