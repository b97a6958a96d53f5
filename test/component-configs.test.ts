import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { productionConfig } from './fixtures/configs';
import { forInstalledAmtool } from './helpers/amtool-compat';
import { EXAMPLES, exampleObjects } from './helpers/examples';
import { forInstalledPromtool } from './helpers/prometheus-compat';
import { run } from './helpers/run';
import { Manifest, objectOf, synthStack } from './helpers/synth';
import { describeWithTool } from './helpers/tools';

function writeConfig(objects: Manifest[], configMap: string, key: string, transform = (s: string) => s): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const file = join(dir, key);
  writeFileSync(file, transform(objectOf(objects, 'ConfigMap', configMap).data[key]));
  return file;
}

// The default and production stacks, and each seed system's example (examples/<name>/main.ts).
const stacks: Array<[string, Manifest[]]> = [
  ['default', synthStack()],
  ['production', synthStack(productionConfig)],
  ...EXAMPLES.map((e): [string, Manifest[]] => [`example ${e.name}`, exampleObjects(e)]),
];

describeWithTool('promtool', 'prometheus.yml passes promtool check config', (promtool) => {
  for (const [name, objects] of stacks) {
    it(`${name} stack`, () => {
      const file = writeConfig(objects, 'prometheus-config', 'prometheus.yml', forInstalledPromtool);
      // The secret files remote_write reads exist only in the cluster; promtool checks that they exist.
      const r = run(promtool, ['check', 'config', '--syntax-only', file]);
      expect(r.output).toContain('SUCCESS');
      expect(r.status, r.output).toBe(0);
    });
  }

  it('rejects a broken relabel regex (the check is live)', () => {
    const broken = stacks[0][1].map((o) => structuredClone(o));
    const cm = objectOf(broken, 'ConfigMap', 'prometheus-config');
    cm.data['prometheus.yml'] = cm.data['prometheus.yml'].replace('regex: (https?)', 'regex: (https?');
    const r = run(promtool, ['check', 'config', '--syntax-only', writeConfig(broken, 'prometheus-config', 'prometheus.yml', forInstalledPromtool)]);
    expect(r.status).not.toBe(0);
  });
});

describeWithTool('amtool', 'alertmanager.yml passes amtool check-config', (amtool) => {
  for (const [name, objects] of stacks) {
    it(`${name} stack`, () => {
      const r = run(amtool, ['check-config', writeConfig(objects, 'alertmanager-config', 'alertmanager.yml', forInstalledAmtool)]);
      expect(r.status, r.output).toBe(0);
      expect(r.output).toContain('SUCCESS');
    });
  }
});

describeWithTool('prometheus-blackbox-exporter', 'blackbox.yml passes blackbox-exporter --config.check', (blackbox) => {
  for (const [name, objects] of stacks) {
    it(`${name} stack`, () => {
      const r = run(blackbox, ['--config.check', `--config.file=${writeConfig(objects, 'blackbox-exporter-config', 'blackbox.yml')}`]);
      expect(r.status, r.output).toBe(0);
      expect(r.output).toContain('Config file is ok');
    });
  }
});
