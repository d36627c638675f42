import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CILIUM_COMPONENTS } from '../../src/version/ciliumComponents.ts';
import {
  behaviourIn,
  CILIUM_MINORS,
  CILIUM_RELEASES,
  parseCiliumVersion,
  VERSIONED_BEHAVIOURS,
  type VersionedBehaviourName,
} from '../../src/version/ciliumVersion.ts';
import { SIMULATED_BEHAVIOURS } from '../../src/version/simulatedBehaviours.ts';

// docs/reference/versions.md prints the version tables between markers; this test renders them
// from the tables and compares cell by cell (Biome aligns the page's columns), so the docs and the
// simulator never drift apart. On a change, paste the expected section the failure shows into the
// page and let `npx biome check --write .` align it.
const DOC = join(import.meta.dirname, '../../../../docs/reference/versions.md');

function section(text: string, name: string): string {
  const start = text.indexOf(`<!-- generated:${name} -->\n`);
  const end = text.indexOf(`<!-- /generated:${name} -->`);
  expect(start, `marker generated:${name}`).toBeGreaterThanOrEqual(0);
  return text.slice(start + `<!-- generated:${name} -->\n`.length, end);
}

function releasesTable(): string {
  const rows = CILIUM_MINORS.map((m) => {
    const c = CILIUM_COMPONENTS[m];
    return `| ${m} | ${CILIUM_RELEASES[m]} | ${c.cli.version} | ${c.envoy === undefined ? 'embedded' : `\`${c.envoy}\``} | ${c.hubbleUi} | ${c.spire} | ${c.go} |`;
  });
  return [
    '| Minor | Release | cilium-cli | Envoy (cilium-envoy) | Hubble UI | SPIRE | Agent Go |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function inForce(name: VersionedBehaviourName): string {
  const minors = CILIUM_MINORS.filter((m) => behaviourIn(parseCiliumVersion(m), name));
  return minors.length === 1 ? minors[0]! : `${minors[0]} to ${minors.at(-1)}`;
}

function behavioursTable(): string {
  const names = Object.keys(VERSIONED_BEHAVIOURS) as VersionedBehaviourName[];
  const rows = names.map(
    (n) =>
      `| \`${n}\` | ${inForce(n)} | ${VERSIONED_BEHAVIOURS[n].summary} | ${SIMULATED_BEHAVIOURS[n]} | ${VERSIONED_BEHAVIOURS[n].source} |`,
  );
  return ['| Behaviour | In force | What changes | In cilium-sim | Source |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/** A Markdown table's rows as lines of trimmed cells, however its columns are padded. */
function cells(table: string): string {
  return table
    .trim()
    .split('\n')
    .map((row) =>
      row
        .split('|')
        .slice(1, -1)
        .map((c) => (/^\s*-+\s*$/.test(c) ? '---' : c.trim()))
        .join(' | '),
    )
    .join('\n');
}

describe('docs/reference/versions.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  it('lists every modelled release with its components, as the table has them', () => {
    expect(cells(section(doc, 'releases'))).toBe(cells(releasesTable()));
  });

  it('lists every version-dependent behaviour, when it is in force and what cilium-sim does with it', () => {
    expect(cells(section(doc, 'behaviours'))).toBe(cells(behavioursTable()));
  });
});

describe('the components table', () => {
  it('has an Envoy image exactly for the versions that run the Envoy DaemonSet', () => {
    const withEnvoy = CILIUM_MINORS.filter((m) => CILIUM_COMPONENTS[m].envoy !== undefined);

    expect(withEnvoy).toEqual(CILIUM_MINORS.filter((m) => behaviourIn(parseCiliumVersion(m), 'envoy-daemonset')));
  });

  it('pairs each version with a cilium-cli whose default image is of the same minor', () => {
    for (const m of CILIUM_MINORS) expect(CILIUM_COMPONENTS[m].cli.defaultImage.startsWith(`v${m}.`), m).toBe(true);
  });
});
