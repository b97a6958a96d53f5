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
    // The end-to-end suite runs real servers: `npm run test:e2e`.
    exclude: ['test/e2e/**', 'node_modules/**'],
    // promtool/amtool and synth-heavy tests are slower than unit tests; keep a generous bound.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
