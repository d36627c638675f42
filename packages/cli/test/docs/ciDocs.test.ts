import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectivityTestJsonSchema, LINT_RULES, lintRuleVersions } from '@cilium-sim/core';

// The references of the policies-as-code commands say what the code does: every lint rule with
// its severity and versions, every field of a test file.
const docs = (path: string): string => readFileSync(new URL(`../../../../docs/${path}`, import.meta.url), 'utf8');

describe('the policies-as-code references', () => {
  it('list every lint rule with its severity and the versions it runs for', () => {
    const rows = docs('reference/lint-rules.md')
      .split('\n')
      .filter((l) => /^\| `[a-z0-9-]+` /.test(l))
      .map((l) => l.split('|').map((c) => c.trim()));
    const range = (m: readonly string[]): string => (m.length === 7 ? 'all' : m.length === 1 ? m[0]! : `${m[0]} to ${m.at(-1)}`);

    expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual(
      LINT_RULES.map((r) => [
        `\`${r.code}\``,
        r.severity,
        `${range(lintRuleVersions(r))}${r.versionGated ? ' (with `--cilium-version`)' : ''}`,
      ]),
    );
  });

  it('document every field of a test file', () => {
    const reference = docs('reference/connectivity-test.md');
    const schema = connectivityTestJsonSchema() as {
      properties: { spec: { properties: Record<string, { items?: { properties: Record<string, unknown> } }> } };
    };
    const spec = schema.properties.spec.properties;
    const fields = [...Object.keys(spec).map((k) => `spec.${k}`), ...Object.keys(spec['cases']!.items!.properties)];

    expect(fields.filter((f) => !reference.includes(`| \`${f}`) && !reference.includes(`\`${f}.`))).toEqual([]);
  });
});
