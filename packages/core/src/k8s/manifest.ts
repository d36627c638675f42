import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { SimError, type SimIssue } from '../errors.ts';

/** One object read from a manifest, before validation. */
export interface ManifestDocument {
  /** 1-based position of the YAML document in the file, as a reader counts them. */
  readonly index: number;
  /** 1-based line where the document (or the `kind: List` item) starts. */
  readonly line: number;
  /** `items[2]` when the object came from a `kind: List`; '' otherwise. */
  readonly itemPath: string;
  readonly value: unknown;
}

/** Longer manifests (in characters) are refused before parsing: no lab needs one, and it bounds the work. */
export const MAX_MANIFEST_CHARS = 4 * 1024 * 1024;
/**
 * More objects than this in one file is refused: each is admitted and reconciled in turn, so the
 * bound keeps one apply to about a minute. The benchmark's 50,000-pod cluster is 7,100 objects.
 */
export const MAX_MANIFEST_OBJECTS = 10_000;

/**
 * Splits a multi-document YAML text into objects: empty documents are skipped and the items of
 * a `kind: List` are expanded, as kubectl does. Pure.
 *
 * Throws a SimError INVALID_YAML (naming every broken document and line) when the text is not
 * YAML, before anything is applied: a file kubectl cannot read changes nothing. A text over
 * MAX_MANIFEST_CHARS or MAX_MANIFEST_OBJECTS is refused (LIMIT_EXCEEDED) the same way.
 *
 * @example parseManifest('kind: Pod\n---\n---\nkind: Service').length // 2
 */
export function parseManifest(text: string): ManifestDocument[] {
  if (typeof text !== 'string') {
    throw new SimError({
      code: 'INVALID_YAML',
      message: `expected the manifest as YAML text (a string), received ${typeof text === 'object' ? JSON.stringify(text) : String(text)}`,
    });
  }
  if (text.length > MAX_MANIFEST_CHARS) {
    throw new SimError({
      code: 'LIMIT_EXCEEDED',
      message: `the manifest is ${megabytes(text.length)} MB; cilium-sim reads at most ${megabytes(MAX_MANIFEST_CHARS)} MB at once: split it into several files`,
    });
  }
  const out = jsonDocuments(text) ?? yamlDocuments(text);
  if (out.length > MAX_MANIFEST_OBJECTS) {
    throw new SimError({
      code: 'LIMIT_EXCEEDED',
      message: `the manifest holds ${out.length} objects; cilium-sim applies at most ${MAX_MANIFEST_OBJECTS} at once: split it into several files`,
    });
  }
  return out;
}

/**
 * A manifest made by a program is often JSON documents between `---` lines (JSON is YAML). When
 * every document is JSON exactly as `JSON.stringify` writes it, JSON.parse reads the same values
 * as the YAML reader would (a duplicate key, an escape or a number written otherwise does not
 * survive the round trip, and such a text goes to the YAML reader), at a small part of the cost.
 * Undefined when the text is not of that form.
 */
function jsonDocuments(text: string): ManifestDocument[] | undefined {
  if (!text.startsWith('{')) return undefined;
  const out: ManifestDocument[] = [];
  let line = 1;
  let index = 0;
  for (const piece of text.split(/\n---\n/)) {
    index++;
    const body = piece.endsWith('\n') ? piece.slice(0, -1) : piece;
    if (!body.startsWith('{') || !body.endsWith('}')) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(body);
      if (JSON.stringify(value) !== body) return undefined;
    } catch {
      // Not JSON, or nested too deeply for it: the YAML reader words the problem.
      return undefined;
    }
    out.push(...expandList(index, line, value));
    // The piece's lines, then the `---` line.
    line += lineCount(piece) + 1;
  }
  return out;
}

function lineCount(piece: string): number {
  let n = 1;
  for (let i = piece.indexOf('\n'); i !== -1; i = piece.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The characters go-yaml's reader refuses before parsing: C0 controls other than tab, LF and CR,
 * DEL, C1 controls other than NEL, lone surrogates and U+FFFE/U+FFFF. The yaml library reads
 * most of them into strings, so they are looked for here, as kubectl's reader does.
 */
const YAML_FORBIDDEN = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function refuseControlCharacters(text: string): void {
  const found = YAML_FORBIDDEN.exec(text);
  if (found === null) return;
  const before = text.slice(0, found.index);
  // Documents as the reader numbers them: each `---` line starts one, the file's first line aside.
  const index = (before.match(/^---/gm)?.length ?? 0) + (before.startsWith('---') ? 0 : 1);
  throw new SimError({
    code: 'INVALID_YAML',
    object: `document ${index}`,
    message: `yaml: line ${lineCount(before)}: control characters are not allowed`,
  });
}

function yamlDocuments(text: string): ManifestDocument[] {
  refuseControlCharacters(text);
  const lineCounter = new LineCounter();
  // kubectl's YAML (go-yaml) takes merge keys: `<<: *base` copies the anchored mapping's keys.
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const list = Array.isArray(docs) ? docs : [];
  const issues: SimIssue[] = [];
  const out: ManifestDocument[] = [];
  list.forEach((doc, i) => {
    const index = i + 1;
    for (const err of doc.errors) {
      const pos = lineCounter.linePos(err.pos[0]);
      issues.push({
        code: 'INVALID_YAML',
        object: `document ${index}`,
        message: `yaml: line ${pos.line}, column ${pos.col}: ${readerProblem(err.message) ?? `${firstLine(err.message)}; check the indentation and quoting there`}`,
      });
    }
    if (doc.errors.length > 0 || doc.contents === null) return;
    const value = documentValue(doc, index, issues);
    // A document holding only comments parses to null; kubectl skips it like an empty one.
    if (value === null || value === undefined) return;
    const line = lineCounter.linePos(doc.contents.range[0]).line;
    out.push(...expandList(index, line, value));
  });
  if (issues.length > 0) throw SimError.of(issues);
  return out;
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}

/** A resource limit the reader hit, said in the user's terms instead of the engine's. */
function readerProblem(message: string): string | undefined {
  return /call stack|too much recursion/i.test(message) ? 'nested too deeply to read; flatten the lists and mappings' : undefined;
}

/**
 * The document as plain data. The yaml library reports a few problems only here, by throwing
 * (an alias to an anchor never set, `*x`; aliases expanding past the limit): they become issues.
 */
function documentValue(doc: Document.Parsed, index: number, issues: SimIssue[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const message = readerProblem(reason) ?? `${firstLine(reason)}; define each anchor (&name) before its alias (*name)`;
    issues.push({ code: 'INVALID_YAML', object: `document ${index}`, message: `yaml: ${message}` });
    return undefined;
  }
}

function expandList(index: number, line: number, value: unknown): ManifestDocument[] {
  if (!isRecord(value) || value['kind'] !== 'List' || !Array.isArray(value['items'])) {
    return [{ index, line, itemPath: '', value }];
  }
  return value['items'].map((item, i) => ({ index, line, itemPath: `items[${i}]`, value: item }));
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
