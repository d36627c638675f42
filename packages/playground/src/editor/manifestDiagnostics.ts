import { errorLine } from '@cilium-sim/cli/browser';
import { k8s, type ObjectResult, type SimIssue } from '@cilium-sim/core';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';

/** A problem of the editor's manifest, at a 1-based line. */
export interface ManifestDiagnostic {
  readonly line: number;
  readonly message: string;
}

/**
 * What the YAML reader refuses, each at its line: what `kubectl apply` would refuse before
 * applying anything. Read with the options core's manifest reader uses.
 */
export function syntaxDiagnostics(text: string): ManifestDiagnostic[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  return (Array.isArray(docs) ? docs : []).flatMap((doc) =>
    doc.errors.map((err) => ({ line: lineCounter.linePos(err.pos[0]).line, message: err.message.split('\n')[0] ?? err.message })),
  );
}

/**
 * The objects `kubectl apply -f FILE` refused, each issue at the line of the field it names
 * (its document's first line when it names none), worded as kubectl printed it. `results` are
 * apply's, one per object of `text` in order.
 */
export function applyDiagnostics(file: string, text: string, results: readonly ObjectResult[]): ManifestDiagnostic[] {
  let objects: k8s.ManifestDocument[];
  try {
    objects = k8s.parseManifest(text);
  } catch {
    return syntaxDiagnostics(text);
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const yamlDocs = Array.isArray(docs) ? docs : [];
  return results.flatMap((r, i) => {
    const object = objects[i];
    if (r.ok || object === undefined) return [];
    const doc = yamlDocs[object.index - 1];
    return r.error.issues.map((issue, k) => ({
      line:
        doc === undefined
          ? object.line
          : fieldLine(doc, lineCounter, [...segments(object.itemPath), ...segments(issue.path ?? '')], object.line),
      message: k === 0 ? errorLine(r.error, file) : issueText(issue),
    }));
  });
}

function issueText(issue: SimIssue): string {
  return [issue.object, issue.path, issue.message].filter((s) => s !== undefined && s !== '').join(': ');
}

/**
 * `spec.ingress[0].toPorts[0]` as keys and indexes; a key in brackets
 * (`metadata.labels[app.kubernetes.io/name]`) is one key, dots and all.
 */
function segments(path: string): (string | number)[] {
  return [...path.matchAll(/\[(\d+)\]|\[([^\]]*)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3] ?? '')));
}

/**
 * The line of the deepest node of `path` that the document has: a map key's own line, a list
 * item's first line. A key with dots in it (a label) is tried joined with the segments after it.
 */
function fieldLine(doc: Document.Parsed, lines: LineCounter, path: readonly (string | number)[], fallback: number): number {
  let node: unknown = doc.contents;
  let line = fallback;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (typeof seg === 'number' && isSeq(node)) {
      const item = node.items[seg] as { range?: [number, number, number] } | undefined;
      if (item?.range === undefined) break;
      line = lines.linePos(item.range[0]).line;
      node = item;
      continue;
    }
    if (!isMap(node)) break;
    let found = false;
    for (let j = i, key = String(seg); j < path.length; key += `.${String(path[++j] ?? '')}`) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair !== undefined && isScalar(pair.key) && pair.key.range != null) {
        line = lines.linePos(pair.key.range[0]).line;
        node = pair.value;
        i = j;
        found = true;
        break;
      }
      if (typeof path[j + 1] !== 'string') break;
    }
    if (!found) break;
  }
  return line;
}
