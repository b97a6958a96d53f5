import { describe, expect, it } from 'vitest';
import { EXAMPLES, exampleObjects } from './helpers/examples';
import { kubeSchemaErrors } from './helpers/kube-schema';
import { Manifest, synthStack } from './helpers/synth';
import { productionConfig } from './fixtures/configs';

describe('Kubernetes schema validation', () => {
  const cases: Array<[string, Manifest[]]> = [
    ['default (homelab)', synthStack()],
    ['production with every exporter', synthStack(productionConfig)],
    ...EXAMPLES.map((e): [string, Manifest[]] => [`example ${e.name}`, exampleObjects(e)]),
  ];
  for (const [name, objects] of cases) {
    it(`every object of the ${name} stack is valid`, async () => {
      expect(objects.length).toBeGreaterThan(20);
      const errors = (await Promise.all(objects.map(kubeSchemaErrors))).flat();
      expect(errors).toEqual([]);
    });
  }

  it('rejects an object that breaks the schema (the validator is live)', async () => {
    const [sts] = synthStack().filter((o) => o.kind === 'StatefulSet');
    const broken = structuredClone(sts);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'ninety';
    delete broken.spec.selector;
    const errors = await kubeSchemaErrors(broken);
    expect(errors.join('\n')).toMatch(/containerPort|selector/);
  });
});
