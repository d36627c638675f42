import { isSimError, k8s } from '@cilium-sim/core';
import type { InputFile } from '../node/inputFiles.ts';
import { YamlPositions } from './yamlPositions.ts';

/** One object of a file named on the command line, with what it takes to point at its lines. */
export interface SourceDocument {
  readonly file: InputFile;
  readonly positions: YamlPositions;
  readonly doc: k8s.ManifestDocument;
}

/** Input that is not what it should be, said with its file and line (exit status 2). */
export interface Malformed {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** `path:line: message`, the line a malformed input is reported with. */
export function malformedLine(m: Malformed): string {
  return `${m.file}:${m.line}: ${m.message}\n`;
}

/**
 * The objects of each file, read as `kubectl apply -f` reads them (documents, `kind: List`
 * items, empty documents skipped). A file that is not YAML is malformed, named with the line
 * yaml reports; an object without `kind` too.
 */
export function readDocuments(files: readonly InputFile[]): { docs: SourceDocument[]; malformed: Malformed[] } {
  const docs: SourceDocument[] = [];
  const malformed: Malformed[] = [];
  for (const file of files) {
    const positions = new YamlPositions(file.text);
    let parsed: k8s.ManifestDocument[];
    try {
      parsed = k8s.parseManifest(file.text);
    } catch (e) {
      if (!isSimError(e)) throw e;
      for (const issue of e.issues) {
        const line = Number(/line (\d+)/.exec(issue.message)?.[1] ?? '1');
        malformed.push({ file: file.path, line, message: issue.message });
      }
      continue;
    }
    for (const doc of parsed) {
      const value = doc.value;
      const kind =
        typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)['kind'] : undefined;
      if (typeof kind !== 'string' || kind === '') {
        malformed.push({
          file: file.path,
          line: doc.line,
          message: `document ${doc.index}${doc.itemPath === '' ? '' : ` ${doc.itemPath}`}: Object 'Kind' is missing; every document needs \`kind:\` (e.g. kind: Pod)`,
        });
        continue;
      }
      docs.push({ file, positions, doc });
    }
  }
  return { docs, malformed };
}

/** True for a cilium-sim test file's document (`apiVersion: cilium-sim.io/v1alpha1`, `kind: ConnectivityTest`). */
export function isConnectivityTest(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v['kind'] === 'ConnectivityTest' && typeof v['apiVersion'] === 'string' && v['apiVersion'].startsWith('cilium-sim.io/');
}

/** The line of a field of a document: `spec.egress[0]` of the object. */
export function lineOf(d: SourceDocument, path: string): number {
  return d.positions.lineOf(d.doc.index, path, d.doc.itemPath);
}
