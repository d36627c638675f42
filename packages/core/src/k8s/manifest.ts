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

/**
 * Splits a multi-document YAML text into objects: empty documents are skipped and the items of
 * a `kind: List` are expanded, as kubectl does. Pure.
 *
 * Throws a SimError INVALID_YAML (naming every broken document and line) when the text is not
 * YAML, before anything is applied: a file kubectl cannot read changes nothing.
 *
 * @example parseManifest('kind: Pod\n---\n---\nkind: Service').length // 2
 */
export function parseManifest(text: string): ManifestDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
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
        message: `yaml: line ${pos.line}, column ${pos.col}: ${firstLine(err.message)}; check the indentation and quoting there`,
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

/**
 * The document as plain data. The yaml library reports a few problems only here, by throwing
 * (an alias to an anchor never set, `*x`; aliases expanding past the limit): they become issues.
 */
function documentValue(doc: Document.Parsed, index: number, issues: SimIssue[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    issues.push({ code: 'INVALID_YAML', object: `document ${index}`, message: `yaml: ${firstLine(reason)}; define each anchor (&name) before its alias (*name)` });
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
