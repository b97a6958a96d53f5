import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One temporary directory per run for the apps test/helpers/synthesized.ts synthesizes once.
    globalSetup: ['test/setup/synth-dir.ts'],
    include: ['test/**/*.test.ts'],
    // Test files share each worker's module cache: importing cdk8s, zod and the stack once per worker
    // instead of once per file is most of the suite's time. Tests keep no state in modules (apps are
    // built per test, synthesized output is shared through the run's temporary directory).
    isolate: false,
    // Every core: vitest leaves one free by default, which on a 2-core machine runs the files one at
    // a time (80 s instead of 50 s); much of the suite waits on promtool, amtool and the apps' synth.
    maxWorkers: availableParallelism(),
    // The end-to-end suite runs real servers: `npm run test:e2e`.
    exclude: ['test/e2e/**', 'node_modules/**'],
    // promtool/amtool and synth-heavy tests are slower than unit tests; keep a generous bound.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
