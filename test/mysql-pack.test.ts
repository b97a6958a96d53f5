import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { uncataloguedMetrics } from '../alerts/catalogue-check';
import { mysqlDownAlert, mysqlRulePack, MYSQLD_EXPORTER } from '../alerts/packs/mysql';
import { renderRulePacks } from '../alerts/render-rules';
import { resolveAlert } from '../alerts/rule';
import { packAlerts, packTests } from '../alerts/rule-pack';
import { ruleIssues } from '../alerts/validate';
import { renderDashboard } from '../dashboards/render';
import { MYSQL_DASHBOARD_UID, mysqlDashboard } from '../dashboards/stack/mysql';
import { dashboardProblems } from '../dashboards/validate';
import { MYSQLD_EXPORTER_IMAGE } from '../charts/mysqld-exporter';
import { promtoolPackChecks, ruleTestCoverageProblems } from './helpers/promtool-rules';
import { describeWithTool } from './helpers/tools';

const pack = mysqlRulePack();
const ALERTS = ['MysqlDown', 'MysqlTooManyConnections', 'MysqlSlowQueries', 'MysqlReplicationLag', 'MysqlReplicationStopped'];

type RenderedRule = { alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
function renderedRules(p = pack): Map<string, RenderedRule> {
  const doc = YAML.parse(renderRulePacks([p])[0].content) as { groups: Array<{ name: string; rules: RenderedRule[] }> };
  return new Map(doc.groups.flatMap((g) => g.rules).map((r) => [r.alert!, r]));
}

describe('mysql rule pack', () => {
  it('validates, renders and reads only catalogued metrics', () => {
    expect(ruleIssues([pack])).toEqual([]);
    expect(uncataloguedMetrics(pack)).toEqual([]);
    expect(renderRulePacks([pack]).map((f) => f.fileName)).toEqual(['mysql.yml']);
    expect(pack.catalogues).toEqual([MYSQLD_EXPORTER]);
  });

  it('has the five alerts, MysqlDown alone in mysql.availability', () => {
    expect(packAlerts(pack).map((a) => a.name)).toEqual(ALERTS);
    expect(pack.groups.map((g) => [g.name, g.rules.length])).toEqual([['mysql.availability', 1], ['mysql.alerts', 4]]);
    const down = resolveAlert(packAlerts(pack)[0]);
    expect(down).toMatchObject({ expr: 'mysql_up{job="mysqld-exporter"} == 0', for: '1m', severity: 'critical' });
  });

  it('proves every alert firing, not firing and (with a for) pending', () => {
    expect(ruleTestCoverageProblems(pack)).toEqual([]);
  });

  it('options change the thresholds, the selector and the prose', () => {
    const custom = mysqlRulePack({ selector: 'job="db", env="prod"', connectionsRatio: 0.95, slowQueriesPerSecond: 1, replicationLagSeconds: 30 });
    expect(ruleIssues([custom])).toEqual([]);
    const rules = renderedRules(custom);
    expect(rules.get('MysqlDown')!.expr).toBe('mysql_up{job="db", env="prod"} == 0');
    expect(rules.get('MysqlTooManyConnections')!.expr).toMatch(/mysql_global_variables_max_connections\{job="db", env="prod"\}\) > 0\.95$/);
    expect(rules.get('MysqlTooManyConnections')!.annotations!.summary).toBe('MySQL uses more than 95% of its connections.');
    expect(rules.get('MysqlSlowQueries')!.expr).toBe('rate(mysql_global_status_slow_queries{job="db", env="prod"}[5m]) > 1');
    expect(rules.get('MysqlReplicationLag')!.expr).toMatch(/\) > 30$/);
    expect(rules.get('MysqlReplicationLag')!.annotations!.summary).toBe('A MySQL replica is more than 30 seconds behind its primary.');
    for (const r of rules.values()) expect(r.expr).not.toContain('mysqld-exporter');
    // The promtool cases are written for the defaults: custom values drop them instead of failing.
    expect(packTests(custom)).toEqual([]);
    // A single changed threshold keeps the other alerts' cases.
    const one = mysqlRulePack({ replicationLagSeconds: 60 });
    expect(new Set(packTests(one).flatMap((t) => t.alerts.map((c) => c.alert)))).toEqual(new Set(ALERTS.filter((a) => a !== 'MysqlReplicationLag')));
  });

  it('defaults are the documented ones', () => {
    const rules = renderedRules();
    expect(rules.get('MysqlTooManyConnections')!.expr).toMatch(/ > 0\.8$/);
    expect(rules.get('MysqlSlowQueries')!.expr).toMatch(/ > 0\.05$/);
    expect(rules.get('MysqlReplicationLag')!.expr).toMatch(/ > 300$/);
    expect(rules.get('MysqlReplicationStopped')!.labels).toEqual({ severity: 'critical' });
  });

  it('mysqlDownAlert takes its own selector', () => {
    expect(resolveAlert(mysqlDownAlert('job="mysql-a"')).expr).toBe('mysql_up{job="mysql-a"} == 0');
    expect(mysqlDownAlert('job="mysql-a"').tests).toBeUndefined();
  });

  it('the exporter image is pinned at the version the catalogue was taken from', () => {
    const tag = MYSQLD_EXPORTER_IMAGE.image.split(':').pop();
    expect(MYSQLD_EXPORTER.source).toContain(tag);
  });
});

describeWithTool('promtool', 'mysql rule pack under promtool', (promtool) => {
  promtoolPackChecks(promtool, [pack]);
});

describe('MySQL dashboard', () => {
  const d = mysqlDashboard({ namespace: 'monitoring', deployed: [{ uid: 'vigil-prometheus', title: 'Prometheus' }, { uid: 'vigil-alertmanager', title: 'Alertmanager' }] });

  it('validates: queries parse, the variable is defined, every metric is catalogued', () => {
    expect(dashboardProblems(d)).toEqual([]);
  });

  it('refuses a metric outside its catalogues', () => {
    const typo = { ...d, rows: [...d.rows, { title: 'Typo', panels: [{ ...d.rows[0].panels[0], queries: [{ expr: 'mysql_global_status_threads_conected' }] }] }] };
    expect(dashboardProblems(typo).join('\n')).toMatch(/mysql_global_status_threads_conected.*did you mean "mysql_global_status_threads_connected"/);
  });

  it('renders with its uid, folder, database variable and links to the deployed stack dashboards', () => {
    const json = renderDashboard(d) as unknown as { uid: string; title: string; templating: { list: Array<{ name: string; query?: unknown }> }; links?: Array<{ url?: string; title?: string }> };
    expect(json.uid).toBe(MYSQL_DASHBOARD_UID);
    expect(json.title).toBe('Vigil / MySQL');
    expect(d.folder).toBe('Vigil stack');
    expect(json.templating.list.map((v) => v.name)).toEqual(['datasource', 'database']);
    expect(JSON.stringify(json.templating.list[1])).toContain('label_values(mysql_up{job=\\"mysqld-exporter\\"}, database)');
    expect(d.links!.map((l) => l.uid)).toEqual(['vigil-prometheus', 'vigil-alertmanager']);
  });

  it('has the availability, throughput, buffer pool and replication rows', () => {
    expect(d.rows.map((r) => r.title)).toEqual(['Availability and connections', 'Throughput', 'InnoDB buffer pool', 'Replication']);
  });

  it('takes the pack\'s selector', () => {
    const custom = mysqlDashboard({ namespace: 'monitoring', deployed: [] }, { selector: 'job="db"' });
    expect(dashboardProblems(custom)).toEqual([]);
    const exprs = [...custom.variables!.map((v) => (v.kind === 'query' ? v.query : '')), ...custom.rows.flatMap((r) => r.panels.flatMap((p) => p.queries.map((q) => q.expr)))];
    for (const e of exprs) expect(e).not.toContain('mysqld-exporter');
    expect(exprs.filter((e) => e.includes('job="db"')).length).toBe(exprs.length - 1); // all but the datasource variable
  });
});
