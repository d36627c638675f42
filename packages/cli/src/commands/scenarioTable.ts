import { listScenarios } from '@cilium-sim/scenarios';
import { tabwrite } from '@cilium-sim/core';

/** `NAME  MODE  TITLE` for every bundled scenario. */
export function scenarioTable(): string {
  return tabwrite([['NAME', 'MODE', 'TITLE'], ...listScenarios().map((s) => [s.name, s.mode, s.title])], { padding: 3 });
}
