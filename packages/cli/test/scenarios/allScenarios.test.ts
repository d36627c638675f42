// Every bundled scenario runs to its end on a fresh cluster, with no shell or internal error,
// and prints the same bytes twice: the determinism DESIGN.md promises.
import { describe, expect, it } from 'vitest';
import { listScenarios, scenarioNames, scriptCommands } from '@cilium-sim/scenarios';
import { runScenario } from '../../src/scenarioRunner.ts';
import { scenarioTable } from '../../src/commands/scenarioTable.ts';

const BROKEN = /command not found|builtin not supported|internal error|unsupported shell syntax|unterminated|invariant violated/;

describe('the bundled scenarios', () => {
  it('include at least the six labs of the issue', () => {
    const names = scenarioNames();
    for (const name of [
      'star-wars',
      'star-wars-mutual-auth',
      'mutual-auth-example',
      'sock-shop-tls',
      'zero-trust-tenants',
      'k8s-vs-cilium',
    ]) {
      expect(names).toContain(name);
    }
    const table = scenarioTable().split('\n');
    expect(table[0]).toMatch(/^NAME +MODE +TITLE$/);
    expect(table.length - 2).toBe(listScenarios().length);
  });

  it.each(scenarioNames())('%s runs to the end, deterministically', (name) => {
    const first = runScenario(name);
    const second = runScenario(name);

    expect(first.ok, first.transcript).toBe(true);
    expect(first.transcript).not.toMatch(BROKEN);
    // Every command of the script was echoed: the script ran to its last line.
    const echoed = first.transcript.split('\n').filter((l) => l.startsWith('$ ')).length;
    expect(echoed).toBe(scriptCommands(first.scenario.script).length);
    expect(second.transcript).toBe(first.transcript);
  });
});
