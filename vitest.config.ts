import { defineConfig } from 'vitest/config';

// Inside the workspace, packages resolve to their TypeScript sources through the "source"
// export condition; tests run in Vite's server (SSR) environment, which takes its own list.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
  },
});
