import { describe, expect, it } from 'vitest';
import { renderRulePacks } from '../alerts/render-rules';
import { alertRule, normalizeExpr, recordingRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import type { RulePack } from '../alerts/rule-pack';
import { promtoolPackChecks } from './helpers/promtool-rules';
import { describeWithTool } from './helpers/tools';

/**
 * Expressions and texts indented with tabs, as a template literal in a tab-indented file writes them.
 * A YAML block line that starts with a tab is refused by Prometheus' YAML parser ("found a tab character
 * where an indentation space is expected"), so indentation tabs are expanded at render time.
 */
const tabbed: RulePack = {
  name: 'tabbed',
  source: 'test/rule-tabs.test.ts',
  groups: [ruleGroup({
    name: 'tabbed.rules',
    rules: [recordingRule({ record: 'job:up:sum', expr: '\n\tsum by (job) (\n\t\tup\n\t)\n' })],
  }), ruleGroup({
    name: 'tabbed.alerts',
    rules: [alertRule({
      name: 'TabbedJobDown',
      expr: `
\t\tsum by (job) (
\t\t\tup{job="api"}
\t\t) == 0
\t`,
      severity: 'warning',
      summary: 'A job is down.',
      description: `Job {{ $labels.job }} is down.
\tNo target of it answers.`,
      annotations: { details: 'one\n\ttwo' },
      tests: [{
        name: 'TabbedJobDown fires with the tab-indented text',
        series: [{ series: 'up{job="api", instance="a"}', values: '0x10' }],
        alerts: [{ at: '5m', state: 'firing', alerts: [{ labels: { job: 'api' }, annotations: { description: 'Job api is down.\n  No target of it answers.', details: 'one\n  two' } }] }],
      }],
    })],
  })],
};

describe('tabs in rule text', () => {
  it('indentation tabs become spaces; the rendered file has no tab', () => {
    expect(normalizeExpr('\n\tsum(\n\t\tup\n\t)\n')).toBe('sum(\n  up\n)');
    const [file] = renderRulePacks([tabbed]);
    expect(file.content).not.toContain('\t');
  });
});

describeWithTool('promtool', 'tab-indented rules under promtool', (promtool) => {
  promtoolPackChecks(promtool, [tabbed]);
});
