import { dirname, basename, extname, join } from 'node:path';
import { isMap, isSeq, parseAllDocuments } from 'yaml';
import type { TestFileResult } from './testRun.ts';

/**
 * `--update`: the test file again with each case's `expect` set to what the cluster did (comments
 * and layout kept), as a new file beside it, `NAME.baseline.yaml`: a baseline of today's
 * cluster to review and commit. A case whose name did not resolve keeps its expectation.
 */
export function baselineFiles(tests: readonly TestFileResult[]): { path: string; text: string; cases: number; changed: number }[] {
  const byFile = new Map<string, TestFileResult[]>();
  for (const t of tests) byFile.set(t.source.file.absolute, [...(byFile.get(t.source.file.absolute) ?? []), t]);
  return [...byFile.values()].map((group) => {
    const file = group[0]!.source.file;
    const docs = parseAllDocuments(file.text);
    const list = Array.isArray(docs) ? docs : [];
    let cases = 0;
    let changed = 0;
    for (const t of group) {
      const doc = list[t.source.doc.index - 1];
      const seq = doc?.getIn(['spec', 'cases'], true);
      if (!isSeq(seq)) continue;
      t.result.cases.forEach((c, i) => {
        const item = seq.items[i];
        if (!isMap(item) || c.observed === 'unresolved') return;
        cases++;
        if (String(c.observed) !== String(c.expected)) changed++;
        item.set('expect', c.observed);
      });
    }
    const dir = file.path === '-' ? '.' : dirname(file.path);
    const stem = basename(file.path, extname(file.path));
    return { path: join(dir, `${stem}.baseline.yaml`), text: list.map((d) => d.toString()).join(''), cases, changed };
  });
}
