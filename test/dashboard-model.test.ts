import { describe, expect, it } from 'vitest';
import { NODE_EXPORTER, PROMETHEUS_SYNTHETIC } from '../alerts/metric-catalogue';
import { DashboardDefinition, logs, row, stat, table, timeseries } from '../dashboards/model';
import { dashboardExists, dashboardSetProblems, dashboardUids, provisionDashboards } from '../dashboards/provisioning';
import { dashboardQueryProblems, substituteVariables } from '../dashboards/queries';
import { dashboardJson, renderDashboard } from '../dashboards/render';
import { dashboardUid, slugify } from '../dashboards/uid';
import { dashboardProblems } from '../dashboards/validate';
import { standardVariables } from '../dashboards/variables';

const base: DashboardDefinition = {
  title: 'Test Board',
  variables: standardVariables(),
  rows: [row('Overview', [
    timeseries({ title: 'Requests', queries: [{ expr: 'sum by (job) (rate(up{namespace=~"$namespace", job=~"$job"}[$__rate_interval]))', legend: '{{ job }}' }] }),
    stat({ title: 'Targets up', queries: [{ expr: 'sum(up{instance=~"${instance}"})' }] }),
  ])],
};

const withPanel = (p: ReturnType<typeof timeseries> | ReturnType<typeof logs> | ReturnType<typeof stat>, extra: Partial<DashboardDefinition> = {}): DashboardDefinition =>
  ({ ...base, ...extra, rows: [row('Broken', [p])] });

describe('dashboard uids', () => {
  it('derives the uid from the title, or takes the explicit one', () => {
    expect(slugify('idkarr Overview')).toBe('idkarr-overview');
    expect(slugify('API Performance (p95)')).toBe('api-performance-p95');
    expect(dashboardUid({ title: 'Node overview' })).toBe('node-overview');
    expect(dashboardUid({ title: 'x', uid: 'stack-prometheus' })).toBe('stack-prometheus');
    expect(dashboardUid({ title: 'A very long dashboard title that goes on and on past the limit' })).toHaveLength(40);
  });

  it('rejects a uid that cannot name a ConfigMap or a Grafana dashboard', () => {
    expect(() => dashboardUid({ title: 'x', uid: 'Has Spaces' })).toThrow(/uid "Has Spaces" is not a valid dashboard uid; write lower-case.*uid: "has-spaces"/);
    expect(() => dashboardUid({ title: '!!!' })).toThrow(/give the dashboard an explicit uid/);
  });
});

describe('dashboard queries', () => {
  it('substitutes Grafana variables before parsing', () => {
    const s = substituteVariables('rate(x{a=~"$a", b="${b:csv}", c="[[c]]"}[$__rate_interval]) * $__range_s', new Set(['a', 'b', 'c']));
    expect(s.text).toBe('rate(x{a=~"vigil_var", b="vigil_var", c="vigil_var"}[5m]) * 21600');
    expect(s.undefinedVariables).toEqual([]);
    expect(substituteVariables('up{job="$jb"}', new Set(['job'])).undefinedVariables).toEqual(['jb']);
  });

  it('accepts the query kinds each panel needs', () => {
    const none = new Set<string>();
    expect(dashboardQueryProblems('histogram_quantile(0.95, sum by (le) (rate(x_bucket[$__rate_interval])))', 'promql', none)).toEqual([]);
    expect(dashboardQueryProblems('{namespace="apps"} | json | level="error"', 'logql-log', none)).toEqual([]);
    expect(dashboardQueryProblems('sum by (level) (count_over_time({namespace="apps"} | json [$__auto]))', 'logql-metric', none)).toEqual([]);
    expect(dashboardQueryProblems('{namespace="apps"}', 'logql-metric', none)[0]).toMatch(/a graph needs a LogQL metric query/);
    expect(dashboardQueryProblems('sum(count_over_time({a="b"}[5m]))', 'logql-log', none)[0]).toMatch(/a logs panel shows log lines/);
    expect(dashboardQueryProblems('{namespace="apps" |= "x"', 'logql-log', none)[0]).toMatch(/LogQL does not parse/);
  });
});

describe('dashboard validation', () => {
  it('accepts a valid dashboard', () => {
    expect(dashboardProblems(base)).toEqual([]);
  });

  it('fails on a broken query, naming the dashboard, the panel and the position', () => {
    const d = withPanel(timeseries({ title: 'Error rate', queries: [{ expr: 'sum(rate(http_requests_total[5m]) by (status)' }] }));
    const problems = dashboardProblems(d);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^dashboard 'Test Board' \(uid test-board\): panel 'Error rate' \(row 'Broken', #1\), query A: PromQL does not parse at 1:\d+: .*add the missing '\)'/);
    expect(() => renderDashboard(d)).toThrow(/panel 'Error rate'.*PromQL does not parse/);
  });

  it('fails on an undefined variable', () => {
    expect(dashboardProblems(withPanel(stat({ title: 'Up', queries: [{ expr: 'up{job="$service"}' }] })))[0]).toMatch(/query A: uses undefined variable\(s\) \$service/);
  });

  it('fails on a metric that is not in the declared catalogues, suggesting the right one', () => {
    const d = withPanel(timeseries({ title: 'CPU', queries: [{ expr: 'rate(node_cpu_second_total[5m])' }] }), { metrics: [NODE_EXPORTER, PROMETHEUS_SYNTHETIC] });
    expect(dashboardProblems(d)[0]).toMatch(/panel 'CPU'.*reads metric "node_cpu_second_total", which is in none of the dashboard's metric catalogues \(node-exporter, prometheus-synthetic\); did you mean "node_cpu_seconds_total"/);
    const ok = withPanel(timeseries({ title: 'CPU', queries: [{ expr: 'rate(node_cpu_seconds_total[5m])' }] }), { metrics: [NODE_EXPORTER, PROMETHEUS_SYNTHETIC] });
    expect(dashboardProblems(ok)).toEqual([]);
  });

  it('checks sizes, thresholds and queries of every panel', () => {
    const problems = dashboardProblems(withPanel(stat({ title: 'Bad', width: 25, queries: [], thresholds: { steps: [{ value: 5, color: 'red' }, { value: 1, color: 'orange' }] } })));
    expect(problems.join('\n')).toMatch(/width 25 must be a whole number of grid columns from 1 to 24/);
    expect(problems.join('\n')).toMatch(/has no queries/);
    expect(problems.join('\n')).toMatch(/threshold steps must increase \(5 then 1\)/);
  });
});

describe('dashboard rendering', () => {
  const json = renderDashboard({
    ...base,
    rows: [
      row('Wide', [1, 2, 3].map((i) => timeseries({ title: `t${i}`, width: 10, queries: [{ expr: 'up' }] }))),
      row('Logs', [logs({ title: 'Errors', queries: [{ expr: '{namespace="apps"} |= "error"' }] })], { collapsed: true }),
      row(undefined, [table({ title: 'Targets', queries: [{ expr: 'up' }] })]),
    ],
  });
  const panels = json.panels as any[];

  it('wraps panels before they overflow the 24 columns and stacks rows', () => {
    expect(panels.map((p) => [p.type, p.gridPos.x, p.gridPos.y, p.gridPos.w])).toEqual([
      ['row', 0, 0, 24], ['timeseries', 0, 1, 10], ['timeseries', 10, 1, 10], ['timeseries', 0, 9, 10],
      ['row', 0, 17, 24], ['table', 0, 18, 24],
    ]);
    expect(panels[4].panels.map((p: any) => [p.type, p.gridPos.y])).toEqual([['logs', 18]]);
  });

  it('numbers panels in reading order and queries A, B, ...', () => {
    expect(panels.map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(panels[4].panels[0].id).toBe(6);
    expect(panels[1].targets[0].refId).toBe('A');
  });

  it('points Prometheus panels at the datasource variable and Loki panels at the provisioned Loki', () => {
    expect(panels[1].datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    expect(panels[4].panels[0].datasource).toEqual({ type: 'loki', uid: 'loki' });
    expect(json.templating.list?.[0]).toMatchObject({ type: 'datasource', query: 'prometheus', current: { value: 'prometheus' } });
  });

  it('emits sorted keys, two-space indentation and a final newline, identically each time', () => {
    const text = dashboardJson(base);
    expect(text).toBe(dashboardJson(base));
    expect(text.endsWith('}\n')).toBe(true);
    const keys = Object.keys(JSON.parse(text));
    expect(keys).toEqual([...keys].sort());
    expect(text.split('\n')[1]).toMatch(/^ {2}"/);
  });
});

describe('dashboard sets', () => {
  const other: DashboardDefinition = { ...base, title: 'Other', links: [{ title: 'Back', uid: 'test-board' }] };

  it('resolves links and tells which uids exist', () => {
    expect(dashboardSetProblems([base, other])).toEqual([]);
    expect(dashboardUids([other, base])).toEqual(['other', 'test-board']);
    expect(dashboardExists('test-board', [base, other])).toBe(true);
    expect(dashboardExists('test-bord', [base, other])).toBe(false);
  });

  it('fails on a link to a dashboard that is not provisioned', () => {
    expect(dashboardSetProblems([other])[0]).toMatch(/dashboard 'Other': link 'Back' points to uid "test-board", which is not provisioned/);
  });

  it('fails on two dashboards with one uid', () => {
    expect(dashboardSetProblems([base, { ...base }])[0]).toMatch(/dashboards 'Test Board' and 'Test Board' have the same uid "test-board"/);
  });

  it('fails on a dashboard that queries a datasource that is not deployed', () => {
    const withLogs: DashboardDefinition = { ...base, title: 'Logs', rows: [row('L', [logs({ title: 'All', queries: [{ expr: '{a="b"}' }] })])] };
    expect(dashboardSetProblems([withLogs], { datasources: ['prometheus', 'alertmanager'] })).toEqual([
      "dashboard 'Logs' queries loki, which is not deployed: enable it or leave the dashboard out",
    ]);
  });

  it('groups dashboards into folders with one ConfigMap each', () => {
    const folders = provisionDashboards([{ ...base, folder: 'Apps' }, other]);
    expect(folders.map((f) => [f.title, f.uid, f.dashboards.map((d) => d.configMapName)])).toEqual([
      ['Apps', 'apps', ['grafana-dashboard-test-board']],
      ['Vigil', 'vigil', ['grafana-dashboard-other']],
    ]);
    expect(JSON.parse(folders[0].dashboards[0].json).uid).toBe('test-board');
  });
});
