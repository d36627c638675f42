import { dirname, basename, extname, join } from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { TestFileResult } from './testRun.ts';

/**
 * `--update`: the test file again with the `expect` of each failing case set to what the cluster
 * did, as a new file beside it, `NAME.baseline.yaml`: a baseline of today's cluster to review and
 * commit. Only the expectations' text changes (comments and layout stay byte for byte), and an
 * expectation that already passes is kept (`allow` stays `allow` when the server said 200), so
 * `changed` counts the verdicts that differ. A case whose name did not resolve keeps its own.
 */
export function baselineFiles(tests: readonly TestFileResult[]): { path: string; text: string; cases: number; changed: number }[] {
  const byFile = new Map<string, TestFileResult[]>();
  for (const t of tests) byFile.set(t.source.file.absolute, [...(byFile.get(t.source.file.absolute) ?? []), t]);
  return [...byFile.values()].map((group) => {
    const file = group[0]!.source.file;
    const docs = parseAllDocuments(file.text);
    const list = Array.isArray(docs) ? docs : [];
    const edits: { from: number; to: number; text: string }[] = [];
    let cases = 0;
    for (const t of group) {
      const seq = list[t.source.doc.index - 1]?.getIn(['spec', 'cases'], true);
      if (!isSeq(seq)) continue;
      t.result.cases.forEach((c, i) => {
        const item = seq.items[i];
        if (!isMap(item) || c.observed === 'unresolved') return;
        cases++;
        const value = item.get('expect', true);
        if (c.expectMet || !isScalar(value) || value.range == null) return;
        edits.push({ from: value.range[0], to: value.range[1], text: String(c.observed) });
      });
    }
    let text = file.text;
    for (const e of edits.sort((a, b) => b.from - a.from)) text = text.slice(0, e.from) + e.text + text.slice(e.to);
    const dir = file.path === '-' ? '.' : dirname(file.path);
    const stem = basename(file.path, extname(file.path));
    return { path: join(dir, `${stem}.baseline.yaml`), text, cases, changed: edits.length };
  });
}
