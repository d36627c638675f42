// Each tutorial shows the service map of its scenario as Hubble UI would draw it. The pictures
// in docs/tutorials/maps/ are generated from the scenarios themselves; this test keeps them in
// sync (run with UPDATE_MAPS=1 to rewrite them after a deliberate change).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printServiceMap, serviceMap } from '@cilium-sim/core';
import { scenarioNames } from '@cilium-sim/scenarios';
import { runScenario } from '../../src/scenarioRunner.ts';

const MAPS = new URL('../../../../docs/tutorials/maps/', import.meta.url);

describe.each(scenarioNames())('the %s tutorial', (name) => {
  const { simulator } = runScenario(name);
  const map = serviceMap(simulator.cluster);
  const svg = printServiceMap(map, 'svg');
  const file = new URL(`${name}.svg`, MAPS);

  it('shows the service map its scenario produces, dropped edges included', () => {
    if (process.env['UPDATE_MAPS'] === '1' || !existsSync(file)) writeFileSync(file, svg);
    expect(readFileSync(file, 'utf8')).toBe(svg);
    expect(map.edges.some((e) => e.dropped > 0)).toBe(true);
  });

  it('is linked from its tutorial', () => {
    const tutorial = readFileSync(new URL(`../../../../docs/tutorials/${name}.md`, import.meta.url), 'utf8');
    expect(tutorial).toContain(`](maps/${name}.svg)`);
  });
});
