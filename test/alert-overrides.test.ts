import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { applyOverrides } from '../alerts/overrides';
import { kubernetesRulePack, nodeRulePack, shippedRulePacks } from '../alerts/packs';
import { renderRuleTests } from '../alerts/render-rule-tests';
import { renderRulePacks } from '../alerts/render-rules';
import { packAlerts, packTests } from '../alerts/rule-pack';

function rule(content: string, name: string) {
  const doc = YAML.parse(content);
  return doc.groups.flatMap((g: { rules: Array<Record<string, any>> }) => g.rules).find((r: Record<string, unknown>) => r.alert === name);
}

function changedLines(a: string, b: string): Array<[string, string]> {
  const x = a.split('\n');
  const y = b.split('\n');
  expect(y.length).toBe(x.length);
  return x.map((l, i) => [l, y[i]] as [string, string]).filter(([l, m]) => l !== m);
}

describe('alert overrides', () => {
  it('a threshold override rebuilds the expression and the text built from it, and nothing else', () => {
    const [before] = renderRulePacks([nodeRulePack()]);
    const [after] = renderRulePacks(applyOverrides([nodeRulePack()], { NodeHighCpuUsage: { threshold: 0.95 } }));
    expect(changedLines(before.content, after.content)).toEqual([
      ['        expr: instance:node_cpu_utilisation:rate5m{job="node-exporter"} > 0.9', '        expr: instance:node_cpu_utilisation:rate5m{job="node-exporter"} > 0.95'],
      ['          summary: Node CPU usage is above 90%.', '          summary: Node CPU usage is above 95%.'],
    ]);
  });

  it('changes for, severity and labels, and replaces expressions', () => {
    const packs = applyOverrides(shippedRulePacks(), {
      TargetDown: { severity: 'critical', for: '30m', labels: { team: 'platform' } },
      // A string expression replaces the threshold, so the text built from it is replaced too.
      'node/NodeHighMemoryUsage': { expr: 'instance:node_memory_utilisation:ratio{job="node-exporter"} > 0.8', summary: 'Node memory usage is above 80%.' },
      KubeJobFailed: { for: '1h', keepFiringFor: '10m' },
      NodeExporterDown: { for: '0s' },
    });
    const files = Object.fromEntries(renderRulePacks(packs).map((f) => [f.name, f.content]));
    expect(rule(files.stack, 'TargetDown')).toMatchObject({ for: '30m', labels: { severity: 'critical', team: 'platform' } });
    expect(rule(files.node, 'NodeHighMemoryUsage').expr).toBe('instance:node_memory_utilisation:ratio{job="node-exporter"} > 0.8');
    expect(rule(files.kubernetes, 'KubeJobFailed')).toMatchObject({ for: '1h', keep_firing_for: '10m' });
    expect(rule(files.node, 'NodeExporterDown').for).toBeUndefined();
  });

  it('disables alerts and drops groups left empty', () => {
    const names = packAlerts(kubernetesRulePack()).filter((a) => a.name !== 'KubeJobFailed').map((a) => a.name);
    const off = Object.fromEntries(names.map((n) => [n, { enabled: false }]));
    const [pack] = applyOverrides([kubernetesRulePack()], off);
    expect(packAlerts(pack).map((a) => a.name)).toEqual(['KubeJobFailed']);
    expect(pack.groups.map((g) => g.name)).toEqual(['kubernetes.workloads']);
  });

  it('rejects unknown alert names, listing the closest known ones', () => {
    expect(() => applyOverrides(shippedRulePacks(), { HighNodeCpu: { threshold: 0.9 } })).toThrow(
      /override 'HighNodeCpu': no shipped alert has this name; did you mean 'NodeHighCpuUsage'/,
    );
    expect(() => applyOverrides(shippedRulePacks(), { 'stack/NodeHighCpuUsage': { threshold: 0.9 } })).toThrow(/did you mean 'node\/NodeHighCpuUsage'/);
  });

  it('rejects malformed overrides and thresholds on alerts without one', () => {
    expect(() => applyOverrides(shippedRulePacks(), { TargetDown: { treshold: 0.2 } as never })).toThrow(/override 'TargetDown': Unrecognized key: "treshold"/);
    expect(() => applyOverrides(shippedRulePacks(), { TargetDown: { for: '10 minutes' } })).toThrow(/override 'TargetDown' › for: expected a Prometheus duration/);
    expect(() => applyOverrides(shippedRulePacks(), { KubeJobFailed: { threshold: 2 } })).toThrow(/alert 'KubeJobFailed' has no threshold to change; replace its expression instead/);
  });

  it('drops the shipped tests of overridden alerts and keeps the others', () => {
    const [pack] = applyOverrides([nodeRulePack()], { NodeHighCpuUsage: { threshold: 0.5 }, NodeFilesystemReadOnly: { enabled: false } });
    const tested = new Set(packTests(pack).flatMap((t) => t.alerts.map((c) => c.alert)));
    expect(tested.has('NodeHighCpuUsage')).toBe(false);
    expect(tested.has('NodeFilesystemReadOnly')).toBe(false);
    expect(tested.has('NodeHighMemoryUsage')).toBe(true);
    expect(renderRuleTests(pack)).not.toContain('NodeHighCpuUsage');
  });

  it('does not change the packs it is given', () => {
    const packs = shippedRulePacks();
    const before = renderRulePacks(packs);
    applyOverrides(packs, { NodeHighCpuUsage: { threshold: 0.5 }, Watchdog: { enabled: false } });
    expect(renderRulePacks(packs)).toEqual(before);
  });
});
