import { describe } from 'vitest';
import { corpus, matrix } from './corpusHarness.ts';
describe('smoke', () => {
  corpus([
    { name: 'no policy', cite: 'x', steps: [{ probes: [
      ...matrix(80, 'TCP', () => true, ['x/a']),
      ...matrix(81, 'UDP', () => true, ['x/a']),
      ...matrix(80, 'SCTP', () => true, ['x/a']),
      { from: 'x/a', to: 'x/b', port: 82, expect: 'refused' },
      { from: 'host:kind-worker', to: 'x/a', port: 80, expect: 'ok' },
      { from: 'outside:192.0.2.10', to: 'x/a', port: 80, expect: 'ok' },
      { from: 'x/a', to: '192.0.2.10', port: 80, expect: 'ok' },
    ] }] },
  ]);
});
