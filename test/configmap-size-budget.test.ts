import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DashboardDefinition, row, timeseries } from '../dashboards/model';
import { CONFIGMAP_DATA_BUDGET_BYTES, splitGroupsDocument } from '../lib/configmap-budget';
import { generatedRules } from '../scripts/generated-rules';
import { Manifest, objectOf, objectsOf, synthStackInMemory } from './helpers/synth';

/**
 * Objects too large to apply (issue 17 item 10): client-side `kubectl apply` (the README's command)
 * stores every object as JSON in an annotation limited to 256 KiB, so the largest object of the
 * output must stay below it however many alerts and panels there are.
 */
const ANNOTATION_ROOM = 200 * 1024;
const largest = (objects: Manifest[]) => objects.map((o) => ({ name: `${o.kind}/${o.metadata.name}`, bytes: Buffer.byteLength(JSON.stringify(o)) }))
  .sort((a, b) => b.bytes - a.bytes)[0];


describe('rule files are split across ConfigMaps under the budget', () => {
  const objects = synthStackInMemory({}, { rulePacks: [generatedRules(10_000)] });
  const parts = objectsOf(objects, 'ConfigMap').filter((c) => c.metadata.name.startsWith('prometheus-rules-generated'));

  it('keeps every object of a 10,000-alert stack under the annotation limit', () => {
    expect(largest(objects).bytes, largest(objects).name).toBeLessThan(ANNOTATION_ROOM);
    expect(parts.length).toBeGreaterThan(1);
  });

  it('cuts between groups: every part a groups: document, every group once, in order', () => {
    expect(parts.map((c) => c.metadata.name)).toEqual(['prometheus-rules-generated', ...parts.slice(1).map((_, i) => `prometheus-rules-generated-${i + 2}`)]);
    const files = parts.flatMap((c) => Object.entries(c.data as Record<string, string>));
    expect(files.map(([f]) => f)).toEqual(['generated.yml', ...files.slice(1).map((_, i) => `generated-${i + 2}.yml`)]);
    const groups = files.flatMap(([, text]) => (YAML.parse(text).groups as Array<{ name: string; rules: unknown[] }>));
    expect(groups.map((g) => g.name)).toEqual(Array.from({ length: 200 }, (_, g) => `generated-${g}.alerts`));
    expect(groups.reduce((n, g) => n + g.rules.length, 0)).toBe(10_000);
    for (const c of parts) expect(c.metadata.labels?.['vigil.dev/rule-file']).toBe('true');
  });

  it('mounts every part where Prometheus globs its rule files', () => {
    const sources = objectOf(objects, 'StatefulSet', 'prometheus').spec.template.spec.volumes.find((v: any) => v.name === 'rules').projected.sources
      .map((s: any) => s.configMap.name);
    for (const c of parts) expect(sources).toContain(c.metadata.name);
  });

  it('leaves a file that fits alone, and refuses a single group too large to fit', () => {
    const small = 'groups:\n  - name: a\n    rules: []\n';
    expect(splitGroupsDocument(small, () => 'a.yml')).toEqual([small]);
    const huge = `groups:\n  - name: big\n    rules:\n${'      - record: x\n        expr: vector(1)\n'.repeat(20_000)}`;
    expect(() => splitGroupsDocument(huge, (n) => `f-${n}.yml`, CONFIGMAP_DATA_BUDGET_BYTES, 'rule file f.yml')).toThrow(/group big alone takes more than 192 KiB.*split it into several groups/);
  });
});

describe('a 150-panel dashboard fits one ConfigMap', () => {
  const big: DashboardDefinition = {
    title: 'Big board',
    rows: Array.from({ length: 15 }, (_, r) => row(`Row ${r}`, Array.from({ length: 10 }, (_, p) => timeseries({
      title: `Requests ${r}-${p}`, unit: 'reqps', description: 'Requests per second of one service, by status code.',
      queries: [{ expr: `sum by (status_code) (rate(http_requests_total{job="svc-${r}-${p}"}[$__rate_interval]))`, legend: '{{ status_code }}' }],
      thresholds: { steps: [{ value: 100, color: 'orange' }, { value: 500, color: 'red' }] },
    })))),
  };
  const objects = synthStackInMemory({}, { dashboards: [big] });
  const cm = objectOf(objects, 'ConfigMap', 'grafana-dashboard-big-board');

  it('keeps every object under the annotation limit, the dashboard unindented but the same JSON', () => {
    expect(largest(objects).bytes, largest(objects).name).toBeLessThan(ANNOTATION_ROOM);
    const json: string = cm.data['big-board.json'];
    const panels = JSON.parse(json).panels.filter((p: { type: string }) => p.type !== 'row');
    expect(panels).toHaveLength(150);
    expect(json.split('\n').length).toBe(2); // one line and the final newline
  });

  it('keeps a dashboard that fits pretty-printed', () => {
    const small = synthStackInMemory({}, { dashboards: [{ ...big, title: 'Small board', rows: big.rows.slice(0, 1) }] });
    expect((objectOf(small, 'ConfigMap', 'grafana-dashboard-small-board').data['small-board.json'] as string).split('\n').length).toBeGreaterThan(100);
  });
});
