import { describe, expect, it } from 'vitest';
import { alertRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import { formatRuleIssue, ruleIssues } from '../alerts/validate';

/** A 'pending' check is proven through the ALERTS series, which has no annotations: annotations there were silently ignored. */
describe("annotations in a 'pending' rule-test check", () => {
  const pack = (annotations?: Record<string, string>) => ({
    name: 'app', groups: [ruleGroup({ name: 'app.alerts', rules: [alertRule({
      name: 'ApiDown', expr: 'up{job="api"} == 0', for: '5m', severity: 'critical', summary: 'API down.', description: '{{ $labels.instance }} is down.',
      tests: [{ name: 'down', series: [{ series: 'up{job="api", instance="a"}', values: '0x10' }], alerts: [{ at: '2m', state: 'pending' as const, alerts: [{ labels: { instance: 'a', job: 'api' }, annotations }] }] }],
    })] })],
  });
  it('are refused, saying why', () => {
    expect(ruleIssues([pack({ description: 'a is down.' })]).map(formatRuleIssue)).toEqual([
      expect.stringMatching(/test 'down' of alert 'ApiDown' › alerts\[0\]\.alerts: a 'pending' check compares labels only/),
    ]);
    expect(ruleIssues([pack()])).toEqual([]);
  });
});
