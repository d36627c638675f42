import { dirname, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import {
  type ClusterOptions,
  type ConnectivityTestIssue,
  type ConnectivityTestResult,
  parseConnectivityTest,
  runConnectivityTest,
  SimError,
} from '@cilium-sim/core';
import { readHostFile } from '../node/hostFile.ts';
import { type InputFile, readInputFiles, readStdin } from '../node/inputFiles.ts';
import { isConnectivityTest, lineOf, type Malformed, readDocuments, type SourceDocument } from '../ci/sourceDocuments.ts';
import { YamlPositions } from '../ci/yamlPositions.ts';

/**
 * `cilium-sim test` as data: the files named on the command line read, their ConnectivityTests
 * validated and run (each on a fresh cluster), the other objects applied before each test's own
 * manifests. What the command prints and what `runTestFiles` returns to a vitest test.
 */
export interface TestFileResult {
  /** The test file, as named (relative to the working directory). */
  readonly file: string;
  /** 1-based line of the test document, and of each case in `spec.cases`. */
  readonly line: number;
  readonly caseLines: readonly number[];
  readonly result: ConnectivityTestResult;
  /** Where it came from, for `--update`. */
  readonly source: SourceDocument;
}

export interface TestRun {
  /** Input that is malformed (exit status 2): nothing ran when there is any. */
  readonly malformed: readonly Malformed[];
  readonly tests: readonly TestFileResult[];
}

export interface TestRunOptions {
  /** Where relative paths start; default the process's working directory. */
  readonly cwd?: string;
  /** Read directories recursively (`-R`). */
  readonly recursive?: boolean;
  /** Standard input, for `-`. */
  readonly stdin?: () => string;
  /** Cluster options over each test's own (--seed, --nodes, --mutual-auth, --external). */
  readonly cluster?: ClusterOptions;
}

/**
 * Runs the ConnectivityTests of the files and directories named by `paths`.
 *
 * @example (await import('@cilium-sim/cli')).runTestFiles(['tests/']).tests.every((t) => t.result.passed)
 */
export function runTestFiles(paths: readonly string[], opts: TestRunOptions = {}): TestRun {
  const cwd = opts.cwd ?? process.cwd();
  const files = readInputFiles(paths, { cwd, recursive: opts.recursive === true, stdin: opts.stdin ?? readStdin });
  const { docs, malformed } = readDocuments(files);
  if (malformed.length > 0) return { malformed, tests: [] };
  const tests = docs.filter((d) => isConnectivityTest(d.doc.value));
  if (tests.length === 0)
    return {
      malformed: [
        { file: paths.join(' '), line: 1, message: 'no ConnectivityTest (apiVersion: cilium-sim.io/v1alpha1) in the files named' },
      ],
      tests: [],
    };
  const shared = sharedManifests(files, docs);
  const parsed = tests.map((d) => ({ d, parsed: parseConnectivityTest(d.doc.value) }));
  const bad = parsed.flatMap(({ d, parsed: p }) =>
    p.ok ? [] : p.issues.map((i) => ({ file: d.file.path, line: lineOf(d, i.path), message: `${i.path}: ${i.message}` })),
  );
  if (bad.length > 0) return { malformed: bad, tests: [] };
  const out: TestFileResult[] = [];
  const problems: Malformed[] = [];
  for (const { d, parsed: p } of parsed) {
    if (!p.ok) continue;
    const base = d.file.path === '-' ? cwd : dirname(d.file.absolute);
    const read = new Map<string, string>();
    const run = runConnectivityTest(p.test, {
      readManifest: (path) => {
        const text = readHostFile(resolve(base, path));
        if (text === undefined)
          throw new SimError({ code: 'NOT_FOUND', object: path, message: 'no such file (paths are relative to the test file)' });
        read.set(path, text);
        return text;
      },
      shared: shared.map((s) => s.text),
      ...(opts.cluster === undefined ? {} : { cluster: opts.cluster }),
    });
    if (!run.ok) {
      for (const issue of run.issues) problems.push(issueLocation(d, issue, { base, cwd, shared, read }));
      continue;
    }
    out.push({
      file: d.file.path,
      line: d.doc.line,
      caseLines: p.test.spec.cases.map((_, i) => lineOf(d, `spec.cases[${i}]`)),
      result: run.result,
      source: d,
    });
  }
  return problems.length > 0 ? { malformed: problems, tests: [] } : { malformed: [], tests: out };
}

/**
 * The files' objects that are not tests, one text per file, applied before every test's
 * manifests; `docs` when the text is not the file's (the file holds tests too), for their lines.
 */
function sharedManifests(files: readonly InputFile[], docs: readonly SourceDocument[]): SharedManifest[] {
  return files.flatMap((file) => {
    const own = docs.filter((d) => d.file === file);
    const manifests = own.filter((d) => !isConnectivityTest(d.doc.value));
    if (manifests.length === 0) return [];
    // A file of manifests only is applied as written, so its lines stay right in errors.
    if (manifests.length === own.length) return [{ file, text: file.text }];
    return [{ file, text: manifests.map((d) => stringify(d.doc.value)).join('---\n'), docs: manifests }];
  });
}

interface SharedManifest {
  readonly file: InputFile;
  readonly text: string;
  readonly docs?: readonly SourceDocument[];
}

type ManifestIssue = NonNullable<ConnectivityTestIssue['manifest']>;

/** A refused manifest at its own file and line (its field's line when the refusal names one); anything else at the test's field. */
function issueLocation(
  d: SourceDocument,
  issue: ConnectivityTestIssue,
  at: { base: string; cwd: string; shared: readonly SharedManifest[]; read: ReadonlyMap<string, string> },
): Malformed {
  const m = issue.manifest;
  if (m === undefined) return { file: d.file.path, line: lineOf(d, issue.path), message: `${issue.path}: ${issue.message}` };
  if (m.shared === true) {
    const s = at.shared[m.entry];
    if (s === undefined) return { file: d.file.path, line: m.line, message: issue.message };
    // The text applied was re-written from the file's objects: the file's own positions of that object.
    const own = m.field === undefined ? undefined : s.docs?.[m.field.document - 1];
    const line = own === undefined ? (s.docs === undefined ? fieldLine(s.text, m) : m.line) : lineOf(own, m.field?.path ?? '');
    return { file: s.file.path, line, message: issue.message };
  }
  const entry = (d.doc.value as { spec: { manifests: string[] } }).spec.manifests[m.entry] ?? '';
  if (!entry.includes('\n'))
    return { file: relative(at.cwd, resolve(at.base, entry)) || entry, line: fieldLine(at.read.get(entry), m), message: issue.message };
  // An inline manifest: its lines count from the line after `- |` in the test file.
  return { file: d.file.path, line: inlineStart(d, m.entry) + fieldLine(entry, m) - 1, message: `${issue.path}: ${issue.message}` };
}

/** The line of the refused field in the manifest's text, else of its object. */
function fieldLine(text: string | undefined, m: ManifestIssue): number {
  if (text === undefined || m.field === undefined) return m.line;
  return new YamlPositions(text).lineOf(m.field.document, m.field.path, m.field.itemPath);
}

/** The line of the test file where inline manifest `entry` starts: the one after its `- |`. */
function inlineStart(d: SourceDocument, entry: number): number {
  return lineOf(d, `spec.manifests[${entry}]`) + 1;
}
