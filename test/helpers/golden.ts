import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { expect } from 'vitest';
import { readOutput } from './synth';

/** Synthesizes an app into a fresh temporary directory and returns its files. */
export function synthFiles(build: (outdir: string) => App): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-golden-'));
  try {
    build(dir).synth();
    return readOutput(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Compares synthesized files with the golden copy under test/golden/<name>/. `UPDATE_GOLDEN=1`
 * rewrites the copy (review the diff before committing it); otherwise any difference fails, file by
 * file, so the failure shows which component changed.
 */
export function expectGolden(name: string, files: Record<string, string>): void {
  const dir = join(__dirname, '..', 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content);
    return;
  }
  const golden = readOutput(dir);
  expect(Object.keys(files), `files of ${name} (run "npm run test:update" after an intended change)`).toEqual(Object.keys(golden));
  for (const [f, content] of Object.entries(files)) expect(content, `${name}/${f} differs from the golden copy`).toBe(golden[f]);
  expect(readdirSync(dir).length).toBeGreaterThan(0);
}
