import { describe, expect, it } from 'vitest';
import { buildApp } from '../main';
import { expectDist, synthFiles } from './helpers/golden';
import { readObjects, synthesizedSync } from './helpers/synthesized';
import { readOutput, synthStackInMemory } from './helpers/synth';

/**
 * The default app's full output is the one complete golden copy: the committed dist/ (so this is also
 * `npm run dist:check` inside `npm test`); the examples keep only what they add (test/examples.test.ts).
 * The output comes from the app's own contract, `CDK8S_OUTDIR=<dir> npx tsx main.ts`, synthesized once
 * per test run; `npm run test:update` rewrites dist/ from it.
 */
describe('default app output', () => {
  const files = readOutput(synthesizedSync('default'));

  it('is the committed dist/ (npm run synth or npm run test:update after an intended change)', () => {
    expectDist(files);
  });

  it('is byte-for-byte identical across two synths (the process and buildApp in memory)', () => {
    expect(Object.keys(files).length).toBeGreaterThan(5);
    expect(synthFiles(buildApp)).toEqual(files);
  });

  it('is what a stack with the default configuration writes (tests share it as synthStack())', () => {
    expect(synthStackInMemory()).toEqual(readObjects(synthesizedSync('default')));
  });

  it('numbers the files so the namespaces are applied first', () => {
    const names = Object.keys(files);
    expect(names[0]).toBe('0000-namespaces.k8s.yaml');
    expect(names.every((n) => /^\d{4}-[a-z0-9-]+\.k8s\.yaml$/.test(n))).toBe(true);
  });
});
