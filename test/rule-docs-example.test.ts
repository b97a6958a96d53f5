import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { alertRule, defaultRulePacks, formatNumber, renderRulePacks, renderRuleTests, ruleGroup, RulePack } from '../alerts';
import { describeWithTool } from './helpers/tools';

/** The "Add an alert" and "Write a rule test" example of docs/alerting.md, kept working. */
function importQueueRulePack(): RulePack {
  return {
    name: 'idkarr-queues',
    source: 'examples/idkarr/alerts.ts',
    groups: [ruleGroup({
      name: 'idkarr-queues.alerts',
      rules: [alertRule({
        name: 'ImportQueueBacklog',
        threshold: 100,
        expr: (t) => `sum by (queue) (queue_depth{job="idkarr-api", state="waiting"}) > ${formatNumber(t)}`,
        for: '10m',
        severity: 'warning',
        summary: 'Queue backlog detected.',
        description: 'Queue {{ $labels.queue }} has {{ $value }} waiting jobs.',
        tests: [{
          name: 'ImportQueueBacklog: 150 jobs waiting',
          series: [{ series: 'queue_depth{job="idkarr-api", queue="imports", state="waiting"}', values: '0x5 150x30' }],
          alerts: [
            { at: '5m', state: 'inactive' },
            { at: '10m', state: 'pending', alerts: [{ labels: { queue: 'imports' } }] },
            { at: '20m', state: 'firing', alerts: [{ labels: { queue: 'imports' }, annotations: { description: 'Queue imports has 150 waiting jobs.' } }] },
          ],
        }],
      })],
    })],
  };
}

describeWithTool('promtool', 'the documented example pack', (promtool) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders as documented and its test passes promtool', () => {
    const packs = defaultRulePacks({ extraPacks: [importQueueRulePack()] });
    const file = renderRulePacks(packs).find((f) => f.name === 'idkarr-queues')!;
    expect(file.content).toContain('expr: sum by (queue) (queue_depth{job="idkarr-api", state="waiting"}) > 100');
    writeFileSync(join(dir, file.fileName), file.content);
    writeFileSync(join(dir, 'idkarr-queues.test.yml'), renderRuleTests(packs.find((p) => p.name === 'idkarr-queues')!)!);
    expect(execFileSync(promtool, ['test', 'rules', 'idkarr-queues.test.yml'], { cwd: dir, encoding: 'utf8' })).toMatch(/SUCCESS/);
  });
});
