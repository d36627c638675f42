import fc from 'fast-check';

// A run can be replayed with the seed it printed: FC_SEED=123 pnpm test.
const seed = process.env['FC_SEED'] === undefined ? undefined : Number(process.env['FC_SEED']);
fc.configureGlobal({ numRuns: Number(process.env['FC_NUM_RUNS'] ?? 100), ...(seed === undefined ? {} : { seed }) });
