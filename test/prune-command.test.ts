import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEVER_PRUNED, PRUNE_SELECTOR, allowListKinds, pruneCommandArgs } from '../scripts/review/prune';
import { OUTPUTS, synthesizedObjects } from './helpers/synthesized';

/**
 * The README's apply command prunes with a label selector and an allow-list (scripts/review/prune.ts
 * says why, from kubectl's source); test/e2e/prune.e2e.test.ts runs it on a real API server.
 */
describe('the apply command with pruning', () => {
  it('is the README\'s command, word for word', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Changing a running stack'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const line = block.replace(/\\\n\s*/g, '').split('\n').find((l) => l.startsWith('kubectl apply'));
    expect(line?.trim().split(/\s+/)).toEqual(pruneCommandArgs());
  });

  it('covers every kind any app emits: each is allow-listed or never pruned on purpose', () => {
    const known = new Set([...allowListKinds(), ...NEVER_PRUNED]);
    const missing = new Set<string>();
    for (const output of OUTPUTS) for (const o of synthesizedObjects(output)) if (!known.has(o.kind)) missing.add(`${o.kind} (${output})`);
    expect([...missing]).toEqual([]);
  });

  it('selects by a label every object of every app carries', () => {
    const [k, v] = PRUNE_SELECTOR.split('=');
    for (const output of OUTPUTS) {
      expect(synthesizedObjects(output).filter((o) => o.metadata.labels?.[k] !== v).map((o) => `${o.kind}/${o.metadata.name}`), output).toEqual([]);
    }
  });

  it('fits a client-side apply: every object, as the last-applied annotation, stays under the API\'s 256 KiB annotation limit', () => {
    // TotalAnnotationSizeLimitB in k8s.io/apimachinery pkg/api/validation/objectmeta.go (v0.37.2); the
    // annotation holds the object as JSON, so leave room for the object's other annotations.
    const tooBig: string[] = [];
    for (const output of OUTPUTS) {
      for (const o of synthesizedObjects(output)) if (JSON.stringify(o).length > 200 * 1024) tooBig.push(`${o.kind}/${o.metadata.name} (${output})`);
    }
    expect(tooBig).toEqual([]);
  });
});
