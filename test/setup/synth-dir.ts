import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * vitest globalSetup: one temporary directory per test run, shared by every test file, into which
 * test/helpers/synthesized.ts writes each app's output the first time a test asks for it (so the
 * default app, each example and the variants are synthesized once per run, not once per file).
 * Removed when the run ends.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-synth-'));
  project.provide('vigilSynthDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    vigilSynthDir: string;
  }
}
