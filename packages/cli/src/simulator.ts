import { Cluster, type ClusterOptions } from '@cilium-sim/core';
import { normalizePath } from './shell/redirect.ts';
import { ShellSession } from './shell/session.ts';
import { createDispatch } from './dispatcher.ts';
import { NO_HOST_FILES, type HostFiles } from './hostFiles.ts';
import type { ApplyObserver } from './commands/cliContext.ts';

export interface Simulator {
  readonly cluster: Cluster;
  readonly session: ShellSession;
}

/**
 * A cluster and a shell session wired to it: what `cilium-sim run`, `repl` and `scenario` use,
 * and the browser playground. Files named on command lines are the files the session wrote
 * with `>`, then in-memory `files` (a scenario's), then the host's (Node: the script's folder).
 * `onApplied` hears what each `kubectl apply|create -f` did, object by object.
 */
export function createSimulator(
  options: ClusterOptions,
  host: HostFiles = NO_HOST_FILES,
  files: ReadonlyMap<string, string> = new Map(),
  onApplied?: ApplyObserver,
): Simulator {
  const cluster = Cluster.create(options);
  let session: ShellSession | undefined;
  const readFile = (path: string): string | undefined => {
    const written = session?.files.get(path.replace(/^\.\//, ''));
    if (written !== undefined) return written;
    const bundled = files.get(path.replace(/^\.\//, ''));
    if (bundled !== undefined) return bundled;
    return host.read(path);
  };
  const listDir = host.listDir?.bind(host);
  const writeFile = (path: string, data: string): void => void session?.files.set(normalizePath(path), data);
  session = new ShellSession({
    dispatch: createDispatch({
      cluster,
      readFile,
      writeFile,
      ...(listDir === undefined ? {} : { listDir }),
      ...(onApplied === undefined ? {} : { onApplied }),
    }),
    env: { HOME: '/root', PWD: '/root' },
    readFile,
  });
  return { cluster, session };
}
