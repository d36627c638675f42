import type { Cluster, ObjectResult } from '@cilium-sim/core';
import type { CommandIo, CommandResult } from '../shell/command.ts';

/** What every emulated command gets: the cluster and the file access of the session. */
export interface CliContext {
  readonly cluster: Cluster;
  /** Reads a manifest or file named on the command line (relative to the script's folder). */
  readFile(path: string): string | undefined;
  /** Told what `kubectl apply|create -f FILE` did to each object of FILE (the page marks refusals at their line). */
  readonly onApplied?: ApplyObserver;
  /** The manifest files (.yaml, .yml, .json) of a directory, as paths readFile takes; undefined when `path` is no directory. */
  listDir?(path: string): readonly string[] | undefined;
  /**
   * Writes a file where the session keeps what `> FILE` writes (`tcpdump -w`); binary content
   * one character per byte. Absent where a command may write no file.
   */
  readonly writeFile?: (path: string, data: string) => void;
}

export type ApplyObserver = (file: string, text: string, results: readonly ObjectResult[]) => void;

/** One emulated program (`kubectl`, `hubble`, ...): argv without the program name. */
export type CommandHandler = (ctx: CliContext, args: readonly string[], io: CommandIo) => CommandResult;
