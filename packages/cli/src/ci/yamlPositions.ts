import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';

/**
 * Where a field of a YAML file is: the line of `spec.cases[3].expect` in document 2. Core names
 * fields by path; the CLI turns a path into the line a user (or a GitHub annotation) points at,
 * with yaml's own positions (LineCounter).
 */
export class YamlPositions {
  readonly #docs: Document.Parsed[];
  readonly #lines = new LineCounter();

  constructor(text: string) {
    this.#docs = parseAllDocuments(text, { lineCounter: this.#lines, prettyErrors: false }) as Document.Parsed[];
  }

  /** 1-based line of a text offset. */
  line(offset: number): number {
    return this.#lines.linePos(offset).line;
  }

  /**
   * 1-based line of `path` (`spec.egress[0].toPorts`) in document `index` (1-based), through
   * `itemPath` (`items[2]`) for an object of a `kind: List`. A field the document lacks points
   * at its nearest present parent; the document's first line when nothing matches.
   */
  lineOf(index: number, path: string, itemPath = ''): number {
    const doc = this.#docs[index - 1];
    if (doc?.contents === null || doc?.contents === undefined) return 1;
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node).range?.[0] ?? 0;
    for (const seg of [...parsePath(itemPath), ...parsePath(path)]) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair === undefined) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined || item === null) break;
        offset = (item as Node).range?.[0] ?? offset;
        node = item;
      } else break;
    }
    return this.line(offset);
  }
}

/** `spec.egress[0].toPorts`, `metadata.labels[app.kubernetes.io/name]` -> its keys and indexes. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}
