import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // promtool/amtool and synth-heavy tests are slower than unit tests; keep a generous bound.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
