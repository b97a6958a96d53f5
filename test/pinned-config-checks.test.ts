import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { forInstalledAmtool } from './helpers/amtool-compat';
import { stageFileReferences, writeUnder } from './helpers/config-files';
import { forInstalledPromtool } from './helpers/prometheus-compat';
import { run } from './helpers/run';
import type { Manifest } from './helpers/synth';
import { OUTPUTS, configMapData, readObjects, synthesized } from './helpers/synthesized';
import { describeWithPinned, describeWithTool, isPinned } from './helpers/tools';

/**
 * Each app's generated configuration, as generated, checked by the program that reads it at the
 * version lib/images.ts pins (built from tools/ by scripts/install-tools.sh): the default app
 * (main.ts), every example (examples/<name>/main.ts) and the variants of
 * test/fixtures/variants/main.ts (S3 for Loki, Elasticsearch for Jaeger, Alloy, each collector
 * sampling mode, every receiver type). Output comes only from running those apps.
 *
 * Where a real program rejects generated output, the case is listed in KNOWN_REJECTIONS with the
 * defect, and marked `it.fails` so the suite stays green until the generator is fixed; a fixed
 * generator then fails that test, which says to remove the entry.
 */
const KNOWN_REJECTIONS: Record<string, string> = {};

let dirs: Record<string, string> = {};
const objects: Record<string, Manifest[]> = {};
beforeAll(async () => {
  dirs = await synthesized(OUTPUTS);
  for (const o of OUTPUTS) objects[o] = readObjects(dirs[o]);
}, 240_000);

const work = mkdtempSync(join(tmpdir(), 'vigil-pinned-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let counter = 0;
const scratch = (name: string) => join(work, `${name.replace(/[^a-zA-Z0-9]+/g, '-')}-${counter++}`);

/** `it`, or `it.fails` for a case listed in KNOWN_REJECTIONS. */
function check(output: string, program: string, title: string, fn: (ctx: { skip: (note?: string) => void }) => void): void {
  const defect = KNOWN_REJECTIONS[`${output} ${program}`];
  if (defect) it.fails(`${title} — KNOWN DEFECT: ${defect}`, fn);
  else it(title, fn);
}

/** The container argument `--<flag>=<value>` of a workload's first container. */
function containerArg(objs: Manifest[], workload: string, flag: string): string | undefined {
  const w = objs.find((o) => ['StatefulSet', 'Deployment', 'DaemonSet'].includes(o.kind) && o.metadata.name === workload);
  const args: string[] = w?.spec.template.spec.containers[0].args ?? [];
  return args.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
}

describeWithTool('promtool', 'prometheus.yml, rule files included: promtool check config', (promtool) => {
  const pinned = isPinned(promtool);
  if (!pinned) console.warn('\n*** promtool is Debian\'s, not the pinned 3.14: prometheus.yml is checked with kubernetes_sd_configs rewritten away (tools/ not built) ***\n');
  for (const output of OUTPUTS) {
    check(output, 'promtool', `${output}: promtool check config`, () => {
      const root = scratch(output);
      const objs = objects[output];
      const config = configMapData(objs, 'prometheus-config')!['prometheus.yml'];
      // The rule files: every prometheus-rules-* ConfigMap, where the rule_files glob looks.
      const glob: string = YAML.parse(config).rule_files[0];
      for (const cm of objs.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('prometheus-rules-'))) {
        for (const [key, text] of Object.entries(cm.data as Record<string, string>)) writeUnder(root, join(dirname(glob), key), text);
      }
      const file = writeUnder(root, '/prometheus.yml', stageFileReferences(forInstalledPromtool(config), root).text);
      const r = run(promtool, ['check', 'config', '--lint=all', '--lint-fatal', file]);
      expect(r.output).toContain('SUCCESS');
      expect(r.output).not.toMatch(/FAILED|WARNING/);
      expect(r.status, r.output).toBe(0);
    });
  }

  it('the check is live: an unknown field in a Kubernetes discovery block is rejected', () => {
    const root = scratch('broken');
    const config = configMapData(objects.default, 'prometheus-config')!['prometheus.yml'].replace('role: pod', 'role: pod\n        no_such_field: 1');
    const file = writeUnder(root, '/prometheus.yml', stageFileReferences(config, root).text);
    expect(run(promtool, ['check', 'config', '--syntax-only', file]).status).not.toBe(0);
  });
});

describeWithTool('amtool', 'alertmanager.yml: amtool check-config', (amtool) => {
  if (!isPinned(amtool)) console.warn('\n*** amtool is Debian\'s 0.25, not the pinned 0.34: alertmanager.yml is checked with the 0.25 rewrites (tools/ not built) ***\n');
  for (const output of OUTPUTS) {
    check(output, 'amtool', `${output}: amtool check-config`, () => {
      const root = scratch(output);
      const objs = objects[output];
      const data = configMapData(objs, 'alertmanager-config')!;
      // The ConfigMap is mounted where --config.file points; templates sit beside alertmanager.yml.
      const configPath = containerArg(objs, 'alertmanager', 'config.file') ?? '/etc/alertmanager/config/alertmanager.yml';
      for (const [key, text] of Object.entries(data)) if (key !== 'alertmanager.yml') writeUnder(root, join(dirname(configPath), key), text);
      const file = writeUnder(root, configPath, stageFileReferences(forInstalledAmtool(data['alertmanager.yml']), root).text);
      const r = run(amtool, ['check-config', file]);
      expect(r.output).toContain('SUCCESS');
      expect(r.status, r.output).toBe(0);
    });
  }
});

describeWithPinned(['otelcol-vigil'], 'the collector config: otelcol validate (collector 0.158.0, Vigil\'s components)', ({ 'otelcol-vigil': otelcol }) => {
  for (const output of OUTPUTS) {
    check(output, 'otelcol', `${output}: otelcol-vigil validate`, (ctx) => {
      const data = configMapData(objects[output], 'otel-collector-config');
      if (!data) return ctx.skip('this output deploys no collector');
      const file = writeUnder(scratch(output), '/relay.yaml', data['relay.yaml']);
      const r = run(otelcol, ['validate', `--config=file:${file}`]);
      expect(r.status, r.output).toBe(0);
    });
  }

  it('the variants deploy a collector in each sampling mode (so the loop above checked something)', () => {
    const modes = ['everything', 'homelab', 'metricsOnly'].map((v) => configMapData(objects[`variants/${v}`], 'otel-collector-config')?.['relay.yaml'] ?? '');
    expect(modes[0]).toContain('tail_sampling:');
    expect(modes[1]).toContain('probabilistic_sampler:');
    expect(modes[2]).not.toMatch(/tail_sampling:|probabilistic_sampler:/);
  });

  it('the apps\' metrics pass the k8sattributes and transform processors, and validate parses their statements', () => {
    const relay = configMapData(objects['variants/everything'], 'otel-collector-config')!['relay.yaml'];
    expect(YAML.parse(relay).service.pipelines.metrics.processors).toEqual(['memory_limiter', 'k8sattributes', 'transform/k8s-labels', 'batch']);
    const file = writeUnder(scratch('broken-ottl'), '/relay.yaml', relay.replace('set(datapoint.attributes["namespace"]', 'no_such_function(datapoint.attributes["namespace"]'));
    expect(run(otelcol, ['validate', `--config=file:${file}`]).status).not.toBe(0);
  });

  it('the check is live: an unknown processor is rejected', () => {
    const file = writeUnder(scratch('broken'), '/relay.yaml', configMapData(objects['variants/everything'], 'otel-collector-config')!['relay.yaml'].replace('\nprocessors:\n', '\nprocessors:\n  no_such_processor: {}\n'));
    expect(run(otelcol, ['validate', `--config=file:${file}`]).status).not.toBe(0);
  });
});

// Jaeger 2.20.0 cannot be built: the module proxy refuses the tag's commit as a pseudo-version (see
// tools/jaeger/go.mod). tools/ builds v1.76.0, the commit tagged v2.13.0, as the nearest stand-in, so
// a rejection here may also be a difference between 2.13 and 2.20: read the message before fixing.
describeWithPinned(['jaeger'], 'the Jaeger config: jaeger validate (stand-in 2.13.0 for the pinned 2.20.0)', ({ jaeger }) => {
  for (const output of OUTPUTS) {
    check(output, 'jaeger', `${output}: jaeger validate`, (ctx) => {
      const data = configMapData(objects[output], 'jaeger-config');
      if (!data) return ctx.skip('Jaeger is disabled in this output');
      const root = scratch(output);
      for (const [key, text] of Object.entries(data)) writeUnder(root, `/etc/jaeger/config/${key}`, text);
      const file = writeUnder(root, '/etc/jaeger/config/config.yaml', stageFileReferences(data['config.yaml'], root).text);
      const r = run(jaeger, ['validate', `--config=file:${file}`]);
      expect(r.status, r.output).toBe(0);
    });
  }
});

describeWithPinned(['alloy-syntax-check'], 'the Alloy config: Alloy v1.18.1\'s parser, and every component reference resolves', ({ 'alloy-syntax-check': alloy }) => {
  for (const output of OUTPUTS) {
    check(output, 'alloy', `${output}: alloy-syntax-check`, (ctx) => {
      const data = configMapData(objects[output], 'alloy-config');
      if (!data) return ctx.skip('this output runs Promtail or no log agent');
      const file = writeUnder(scratch(output), '/config.alloy', data['config.alloy']);
      const r = run(alloy, [file]);
      expect(r.status, r.output).toBe(0);
      const [summary] = JSON.parse(r.output) as Array<{ components: string[]; references: string[] }>;
      // A reference such as loki.process.pods.receiver must name a declared component (its export
      // follows); sys.env and the other standard-library calls are not components.
      const namespaces = new Set(summary.components.map((c) => c.split('.')[0]));
      const dangling = summary.references.filter((ref) => namespaces.has(ref.split('.')[0]) && !summary.components.some((c) => ref.startsWith(`${c}.`)));
      expect(dangling).toEqual([]);
    });
  }

  it('the everything variant runs Alloy (so the loop above checked something)', () => {
    expect(configMapData(objects['variants/everything'], 'alloy-config')).toBeDefined();
  });

  it('the check is live: a syntax error is reported with its position', () => {
    const file = writeUnder(scratch('broken'), '/config.alloy', 'loki.write "default" {\n  endpoint { url = }\n}\n');
    const r = run(alloy, [file]);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/config\.alloy:2:/);
  });
});

describe('the pinned programs are the pinned versions', () => {
  // What lib/images.ts pins (kubectl/kube-apiserver/etcd are the test cluster, not an image).
  const EXPECTED: Array<[string, string[], RegExp]> = [
    ['promtool', ['--version'], /promtool, version 3\.14\.0\b/],
    ['prometheus', ['--version'], /prometheus, version 3\.14\.0\b/],
    ['amtool', ['--version'], /amtool, version 0\.34\.0\b/],
    ['otelcol-vigil', ['--version'], /version 0\.158\.0\b/],
    ['kube-apiserver', ['--version'], /Kubernetes v1\.37\.2\b/],
    ['kubectl', ['version', '--client'], /Client Version: v1\.37\.2\b/],
    ['etcd', ['--version'], /etcd Version: 3\.7\.0\b/],
  ];
  for (const [name, args, expected] of EXPECTED) {
    describeWithPinned([name], name, (paths) => {
      it(`${name} reports ${expected.source.replace(/\\/g, '')}`, () => {
        const r = run(paths[name], args);
        expect(r.output).toMatch(expected);
      });
    });
  }
});

describe('Loki and Promtail', () => {
  // Not built: the Go module github.com/grafana/loki/v3 is AGPL-3.0 licensed and this project's
  // package policy lists it as not to be used; Promtail is a command of the same module. Their
  // checks (`loki -verify-config`, `promtail -check-syntax`) stay open in docs/testing.md.
  it.todo('loki -verify-config on loki-config (filesystem and S3 variants)');
  it.todo('promtail -check-syntax on promtail-config');
});
