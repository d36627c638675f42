/**
 * Files of the machine the shell runs on: what `kubectl apply -f FILE`, `< FILE` and `cat FILE`
 * read when neither the session (`> FILE`) nor the scenario holds the path. The Node entry
 * reads the disk (node/nodeHostFiles.ts); a browser page has no such files.
 */
export interface HostFiles {
  /** The text at `path` (relative to the host's working folder); undefined when nothing is there. */
  read(path: string): string | undefined;
  /** The manifest files (.yaml, .yml, .json) of a folder, as paths `read` takes; undefined when `path` is no folder. */
  listDir?(path: string): readonly string[] | undefined;
}

/** A host without files: a page, or a session that reads only what it wrote and bundled. */
export const NO_HOST_FILES: HostFiles = { read: () => undefined };
