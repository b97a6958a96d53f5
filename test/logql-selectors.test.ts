import { describe, expect, it } from 'vitest';
import { ruleGroup } from '../alerts/rule-group';
import { alertRule } from '../alerts/rule';
import { ruleIssues, formatRuleIssue } from '../alerts/validate';
import { DashboardDefinition, logs, row, timeseries } from '../dashboards/model';
import { dashboardJson } from '../dashboards/render';
import { dashboardProblems } from '../dashboards/validate';
import { logqlIssues } from '../lib/logql';

/**
 * Loki refuses a stream selector none of whose matchers needs a non-empty value ("queries require at
 * least one regexp or equality matcher that does not have an empty-compatible value"): in rules, in
 * panels, and in a dashboard's default state, where "All" of a Loki variable is substituted.
 */
describe('LogQL stream selectors as Loki checks them', () => {
  const refused = ['{app!="x"}', '{app=~".*"}', '{app!~"api"}', '{app=""}', '{app=~"(?i)x*"}', '{a!="x", b=~".*"}'];
  for (const sel of refused) {
    it(`refuses ${sel}`, () => {
      const issues = logqlIssues(`sum(count_over_time(${sel} [5m])) > 1`);
      expect(issues.map((i) => i.message).join('\n')).toMatch(/Loki refuses the selector .*at least one matcher that cannot match an empty value/);
    });
  }
  const accepted = ['{app="x"}', '{app=~".+"}', '{app!=""}', '{app!~".*"}', '{a!="x", b=~"api|web"}', '{app=~"(?i)api"}', '{namespace=~".+"}'];
  for (const sel of accepted) {
    it(`accepts ${sel}`, () => expect(logqlIssues(`sum(count_over_time(${sel} [5m])) > 1`)).toEqual([]));
  }

  it('refuses it in a Loki alert rule, naming the rule', () => {
    const pack = {
      name: 'app-logs', target: 'loki' as const, source: 'main.ts',
      groups: [ruleGroup({ name: 'app-logs.alerts', rules: [alertRule({ name: 'AppErrors', expr: 'sum(count_over_time({app!="debug"} |= "error" [5m])) > 1', severity: 'warning', summary: 'Errors.', description: 'Errors.' })] })],
    };
    expect(ruleIssues([pack]).map(formatRuleIssue).join('\n')).toMatch(/alert 'AppErrors'.* › expr: LogQL error at 1:21: Loki refuses the selector \{app!="debug"\}/);
  });

  const dash = (expr: string, variables: DashboardDefinition['variables'] = []): DashboardDefinition => ({
    title: 'Logs', variables, rows: [row('Logs', [logs({ title: 'Lines', queries: [{ expr }] }), timeseries({ title: 'Rate', datasource: 'loki', queries: [{ expr: `sum(count_over_time(${expr} [$__auto]))` }] })])],
  });

  it('refuses it in log and metric panels', () => {
    const p = dashboardProblems(dash('{app!="debug"}'));
    expect(p).toHaveLength(2);
    for (const m of p) expect(m).toMatch(/Loki refuses the selector \{app!="debug"\}/);
    expect(dashboardProblems(dash('{app="api"}'))).toEqual([]);
  });

  it('a Loki variable\'s "All" is .+ by default, and an explicit .* is refused', () => {
    const ns = { kind: 'query' as const, name: 'namespace', datasource: 'loki' as const, query: 'label_values(namespace)' };
    const json = JSON.parse(dashboardJson(dash('{namespace=~"$namespace"}', [ns])));
    expect(json.templating.list[0].allValue).toBe('.+');
    const prom = JSON.parse(dashboardJson({ title: 'P', variables: [{ kind: 'query', name: 'job', query: 'label_values(up, job)' }], rows: [row('R', [timeseries({ title: 'Up', queries: [{ expr: 'up{job=~"$job"}' }] })])] }));
    expect(prom.templating.list[0].allValue).toBe('.*');
    expect(dashboardProblems(dash('{namespace=~"$namespace"}', [{ ...ns, allValue: '.*' }])).join('\n'))
      .toMatch(/variable 'namespace': allValue "\.\*" matches the empty string.*use "\.\+"/);
  });
});
