import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App } from 'cdk8s';
import { VigilStack } from '../charts/vigil-stack';
import { STACK_LABEL } from '../lib/labels';
import { NEVER_PRUNED, PRUNE_SELECTOR, allowListKinds, pruneCommandArgs, pruneSelector } from '../scripts/review/prune';
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

  it('selects by labels every object of every app carries, the stack label naming its monitoring namespace', () => {
    for (const output of OUTPUTS) {
      const objects = synthesizedObjects(output);
      const monitoring = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus-config')?.metadata.namespace ?? 'monitoring';
      const selector = pruneSelector(monitoring).split(',').map((kv) => kv.split('='));
      expect(selector.map(([k]) => k)).toEqual(['app.kubernetes.io/part-of', STACK_LABEL]);
      expect(objects.filter((o) => selector.some(([k, v]) => o.metadata.labels?.[k] !== v)).map((o) => `${o.kind}/${o.metadata.name}`), output).toEqual([]);
    }
    expect(PRUNE_SELECTOR).toBe('app.kubernetes.io/part-of=vigil,vigil.dev/stack=monitoring');
  });

  it('tells two stacks apart by their monitoring namespace, and never puts the stack label in a selector', () => {
    const app = new App();
    new VigilStack(app, 'vigil', { config: { namespaces: { monitoring: 'observability', agents: 'observability-agents' } } });
    const docs = app.charts.flatMap((c) => c.toJson());
    expect(new Set(docs.map((d) => d.metadata.labels?.[STACK_LABEL]))).toEqual(new Set(['observability']));
    // Selectors are immutable; a label added to one would orphan running pods on upgrade.
    const selectors = docs.flatMap((d) => [d.spec?.selector, d.spec?.template?.metadata?.labels, d.spec?.podSelector]).filter(Boolean);
    expect(selectors.length).toBeGreaterThan(10);
    expect(JSON.stringify(selectors)).not.toContain(STACK_LABEL);
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
