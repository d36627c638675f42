import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { k8s } from '@cilium-sim/core';
import { validateJsonPath } from '../../src/shell/jsonpath.ts';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// kubectl learns about kinds from core's registry (k8s/kinds.ts) and nowhere else: these checks
// hold for every entry, so a kind added by docs/architecture.md's recipe is held to them without
// a change here.
const ROOT = new URL('../../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

describe('kubectl and the kind registry', () => {
  it('prints every kind with the columns its entry declares', () => {
    const sim = createSimulator({}, nodeHostFiles(process.cwd()));
    for (const type of k8s.API_KINDS) {
      const out = sim.session.run(`kubectl get ${type.plural} -A -o wide`);
      const header = type.columns.map((c) => c.name.toUpperCase());
      if (out.stdout === '') {
        expect(out.stderr).toBe('No resources found\n');
        continue;
      }
      const first = out.stdout.split('\n')[0]!.split(/ {2,}/);
      expect({ kind: type.kind, header: first }).toEqual({
        kind: type.kind,
        header: [...(type.namespaced ? ['NAMESPACE'] : []), ...header],
      });
    }
  });

  it('reads every column a kind declares as a CRD does with kubectl JSONPath', () => {
    const paths = k8s.API_KINDS.flatMap((t) => t.columns.flatMap((c) => ('jsonPath' in c ? [c.jsonPath] : [])));

    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(() => validateJsonPath(`{${path}}`)).not.toThrow();
  });

  it('names no kind where it resolves, validates, admits or prints objects: the registry says it all', () => {
    const generic = [
      'packages/cli/src/kubectl/printers/get.ts',
      'packages/cli/src/kubectl/printers/table.ts',
      'packages/cli/src/kubectl/printers/serialize.ts',
      'packages/cli/src/kubectl/printers/columnCell.ts',
      'packages/cli/src/kubectl/resources.ts',
      'packages/cli/src/kubectl/resultLines.ts',
      'packages/cli/src/kubectl/fieldSelector.ts',
      'packages/cli/src/kubectl/getArgs.ts',
      'packages/cli/src/kubectl/changeArgs.ts',
      'packages/core/src/k8s/validate.ts',
      'packages/core/src/k8s/admission.ts',
    ];
    const names = k8s.API_KINDS.flatMap((t) => [t.kind, t.plural]);
    const found = generic.flatMap((file) =>
      [...read(file).matchAll(/'([A-Za-z]+)'/g)].flatMap((m) => (names.includes(m[1]!) ? [`${file}: '${m[1]}'`] : [])),
    );

    expect(found).toEqual([]);
  });

  it('lists every kind in the command reference, with its names and the columns it prints', () => {
    const doc = read('docs/reference/commands.md');
    const table = doc.slice(doc.indexOf('<!-- kinds -->')).split('\n\n')[0]!.split('\n').slice(3);
    const rows = table.map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim())
        .slice(1, -1),
    );

    expect(rows.map((r) => r.join(' | '))).toEqual(
      k8s.API_KINDS.map((t) =>
        [
          t.kind,
          [...new Set([t.plural, ...t.shortNames])].map((n) => `\`${n}\``).join(', '),
          t.namespaced ? 'yes' : 'no',
          t.applicable ? 'yes' : 'no',
          t.columns.map((c) => ((c.priority ?? 0) > 0 ? `[${c.name.toUpperCase()}]` : c.name.toUpperCase())).join(', '),
        ].join(' | '),
      ),
    );
  });
});
