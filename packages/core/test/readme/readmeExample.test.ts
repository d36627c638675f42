// Runs the library example of the README as written, so the README never drifts from the API.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const README = new URL('../../../../README.md', import.meta.url);

describe('the README library example', () => {
  it('runs and prints what its comments promise', async () => {
    const text = readFileSync(README, 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(text)?.[1];
    expect(block).toBeDefined();
    const logged: unknown[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
    const core = await import('@cilium-sim/core');
    const body = block!.replace(/^import .*$/m, '');
    new Function('Cluster', body)(core.Cluster);
    spy.mockRestore();
    expect(logged).toEqual(['curl exit 28', 'true']);
  });
});
