import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One temporary directory per run for the apps test/helpers/synthesized.ts synthesizes once.
    globalSetup: ['test/setup/synth-dir.ts'],
    include: ['test/**/*.test.ts'],
    // The end-to-end suite runs real servers: `npm run test:e2e`.
    exclude: ['test/e2e/**', 'node_modules/**'],
    // promtool/amtool and synth-heavy tests are slower than unit tests; keep a generous bound.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
