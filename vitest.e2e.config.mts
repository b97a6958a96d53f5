import { defineConfig } from 'vitest/config';

// The end-to-end suite runs the real binaries; one file at a time keeps ports and CPU predictable.
export default defineConfig({
  test: {
    // One temporary directory per run for the apps test/helpers/synthesized.ts synthesizes once.
    globalSetup: ['test/setup/synth-dir.ts'],
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
