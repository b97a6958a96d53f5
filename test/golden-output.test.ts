import { describe, expect, it } from 'vitest';
import { buildApp } from '../main';
import { expectGolden, synthFiles } from './helpers/golden';

describe('default app output', () => {
  it('matches the golden copy in test/golden/default', () => {
    expectGolden('default', synthFiles(buildApp));
  });

  it('is byte-for-byte identical across two synths', () => {
    const first = synthFiles(buildApp);
    const second = synthFiles(buildApp);
    expect(Object.keys(first).length).toBeGreaterThan(5);
    expect(second).toEqual(first);
  });

  it('numbers the files so the namespaces are applied first', () => {
    const names = Object.keys(synthFiles(buildApp));
    expect(names[0]).toBe('0000-namespaces.k8s.yaml');
    expect(names.every((n) => /^\d{4}-[a-z0-9-]+\.k8s\.yaml$/.test(n))).toBe(true);
  });
});
