import { describe, expect, it } from 'vitest';
import { DashboardDefinition, row, timeseries } from '../dashboards/model';
import { dashboardJson } from '../dashboards/render';
import { dashboardProblems } from '../dashboards/validate';
import { NODE_EXPORTER } from '../alerts/metric-catalogue';

/**
 * Grafana queries that are valid but were refused or reported with the internal placeholder: a range
 * variable, a metric-name variable, Grafana's global variables; a LogQL query on a Prometheus panel
 * gets a hint; custom values with a comma stay one option.
 */
const dash = (expr: string, extra: Partial<DashboardDefinition> = {}): DashboardDefinition => ({
  title: 'Q',
  variables: [
    { kind: 'custom', name: 'window', values: ['5m', '1h'] },
    { kind: 'custom', name: 'metric', values: ['node_load1', 'node_load5'] },
  ],
  rows: [row('R', [timeseries({ title: 'T', queries: [{ expr }] })])],
  ...extra,
});

describe('dashboard query variables', () => {
  it('a variable as a range, a subquery step or an offset', () => {
    expect(dashboardProblems(dash('rate(node_cpu_seconds_total[$window])'))).toEqual([]);
    expect(dashboardProblems(dash('max_over_time(node_load1[1h:$window])'))).toEqual([]);
    expect(dashboardProblems(dash('node_load1 offset $window'))).toEqual([]);
  });

  it('a metric-name variable is not reported as a catalogue miss with the placeholder', () => {
    const problems = dashboardProblems(dash('$metric{job="node-exporter"}', { metrics: [NODE_EXPORTER] }));
    expect(problems).toEqual([]);
  });

  it("Grafana's global variables ($__org, ${__user.login}, $__dashboard)", () => {
    expect(dashboardProblems(dash('up{org="$__org", user="${__user.login}", dashboard="$__dashboard"}'))).toEqual([]);
  });

  it('a LogQL query on a Prometheus panel says to set the datasource', () => {
    expect(dashboardProblems(dash('sum(count_over_time({app="api"} |= "error" [5m]))')).join('\n')).toMatch(/this is a LogQL query: set the panel's datasource: 'loki'/);
    expect(dashboardProblems(dash('{app="api"} |= "error"')).join('\n')).toMatch(/set the panel's datasource: 'loki'/);
  });

  it('custom values containing a comma stay one option', () => {
    const json = JSON.parse(dashboardJson(dash('up', { variables: [{ kind: 'custom', name: 'codes', values: ['500,502', '404'] }] })));
    const v = json.templating.list[0];
    expect(v.query).toBe('500\\,502,404');
    expect(v.options.map((o: { value: string }) => o.value)).toEqual(['500,502', '404']);
  });
});
