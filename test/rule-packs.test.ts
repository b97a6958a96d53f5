import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { uncataloguedMetrics } from '../alerts/catalogue-check';
import { durationSeconds } from '../lib/duration';
import { httpRulePack, shippedRulePacks } from '../alerts/packs';
import { renderRulePacks } from '../alerts/render-rules';
import { alertRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import { packAlerts, packTests, RulePack } from '../alerts/rule-pack';
import { ruleIssues } from '../alerts/validate';

const packs = shippedRulePacks();

describe('shipped rule packs', () => {
  it('validate and render', () => {
    expect(ruleIssues(packs)).toEqual([]);
    expect(renderRulePacks(packs).map((f) => f.fileName)).toEqual(packs.map((p) => `${p.name}.yml`));
  });

  it('ship the stack-health alerts and the seed alert categories', () => {
    const names = packs.flatMap(packAlerts).map((a) => a.name);
    for (const n of ['Watchdog', 'TargetDown', 'PrometheusRuleFailures', 'PrometheusErrorSendingAlerts', 'PrometheusNotConnectedToAlertmanagers',
      'PrometheusConfigReloadFailed', 'PrometheusTsdbCompactionsFailing', 'PrometheusTsdbWalCorruptions', 'AlertmanagerConfigReloadFailed',
      'AlertmanagerFailedToSendNotifications', 'AlertmanagerClusterMembersInconsistent', 'PostgresDown', 'RedisDown', 'HealthCheckFailing',
      'NodeHighCpuUsage', 'NodeHighMemoryUsage', 'NodeFilesystemSpaceLow', 'NodeFilesystemFillingUp', 'NodeExporterDown',
      'KubePodCrashLooping', 'KubePodNotReady', 'KubeDeploymentReplicasMismatch', 'KubeStatefulSetReplicasMismatch',
      'KubePersistentVolumeFillingUp', 'KubeJobFailed', 'KubeContainerOomKilled',
      'HttpHighErrorRatio', 'HttpHighErrorRate', 'HttpHighLatency', 'HttpProcessHighMemory', 'HttpServiceDown', 'HttpHealthCheckFailing',
      'PostgresTooManyConnections', 'PostgresLongRunningTransaction', 'RedisMemoryHigh', 'QueueBacklog', 'QueueStalled', 'JobFailureRatio',
      'ExternalApiFailures', 'CircuitBreakerOpen']) {
      expect(names).toContain(n);
    }
  });

  for (const pack of packs) {
    it(`${pack.name}: every rule reads only metrics from the pack's catalogues`, () => {
      expect(uncataloguedMetrics(pack)).toEqual([]);
    });
  }

  it('the catalogue check flags a misspelt metric and a pack without catalogue', () => {
    const node = packs.find((p) => p.name === 'node')!;
    const typo: RulePack = {
      ...node,
      groups: [...node.groups, ruleGroup({ name: 'typo', rules: [alertRule({ name: 'Typo', expr: 'node_filesystem_avail{job="x"} < 1', severity: 'info', summary: 's.', description: 'd.' })] })],
    };
    expect(uncataloguedMetrics(typo)).toEqual([{ pack: 'node', rule: "alert 'Typo'", metric: 'node_filesystem_avail' }]);
    expect(uncataloguedMetrics({ ...node, catalogues: undefined })).toEqual([{ pack: 'node', rule: '(pack)', metric: '*' }]);
  });

  for (const pack of packs) {
    for (const alert of packAlerts(pack)) {
      it(`${pack.name}/${alert.name}: has firing, not-firing and (with 'for') pending test cases`, () => {
        const checks = packTests(pack).flatMap((t) => t.alerts).filter((c) => c.alert === alert.name);
        expect(checks.some((c) => c.state === 'firing'), 'a case where it fires').toBe(true);
        if (alert.expr === 'vector(1)') return; // the Watchdog fires always
        expect(checks.some((c) => c.state !== 'firing'), 'a case where it does not fire').toBe(true);
        if (alert.for && durationSeconds(alert.for) > 0) {
          expect(checks.some((c) => c.state === 'pending'), `a case proving it does not fire before its for (${alert.for})`).toBe(true);
        }
      });
    }
  }
});

describe('HTTP pack parameters', () => {
  it('adapts metric names, status and route labels, selector and alert names (MediaNest-style metrics)', () => {
    const pack = httpRulePack({
      app: 'medianest',
      jobSelector: 'job="medianest-backend"',
      statusLabel: 'status_code',
      routeLabel: 'endpoint',
      alertNames: { HighErrorRatio: 'HighErrorRate', HighErrorRate: 'ServerErrors' },
      healthChecks: [{ alert: 'DownloadClientDown', check: 'download_client:.*', for: '5m' }, { alert: 'IndexerDown', check: 'indexer:.*', for: '15m' }],
      labels: { team: 'media' },
    });
    expect(ruleIssues([pack])).toEqual([]);
    expect(uncataloguedMetrics(pack)).toEqual([]);
    const doc = YAML.parse(renderRulePacks([pack])[0].content);
    const rules = doc.groups.flatMap((g: { rules: Array<Record<string, unknown>> }) => g.rules);
    const byName = (n: string) => rules.find((r: Record<string, unknown>) => r.alert === n || r.record === n);
    expect(byName('job:http_requests_errors:rate5m').expr).toBe('sum by (job) (rate(http_requests_total{job="medianest-backend", status_code=~"5.."}[5m]))');
    expect(byName('job_endpoint:http_requests:rate5m').expr).toBe('sum by (job, endpoint) (rate(http_requests_total{job="medianest-backend"}[5m]))');
    expect(byName('HighErrorRate').expr).toBe('job:http_requests_errors:ratio_rate5m{app="medianest"} > 0.05');
    expect(byName('HighErrorRate').labels).toEqual({ severity: 'critical', team: 'media' });
    expect(byName('HighErrorRate').annotations.runbook_url).toMatch(/docs\/runbooks\/HttpHighErrorRatio\.md$/);
    expect(byName('ServerErrors')).toBeDefined();
    expect(byName('MedianestHighLatency')).toBeDefined();
    expect(byName('IndexerDown').expr).toBe('health_check_status{job="medianest-backend", check=~"indexer:.*"} == 0');
    expect(byName('IndexerDown').for).toBe('15m');
    // Customised packs keep their rules; the tests were written for the defaults and are left out.
    expect(packTests(pack)).toEqual([]);
  });

  it('builds metric names from a prefix or takes them explicitly (Barbossa)', () => {
    const pack = httpRulePack({ app: 'barbossa', jobSelector: 'job="barbossa"', requestsMetric: 'barbossa_requests_total', durationHistogram: 'barbossa_request_latency_seconds', latencyQuantile: 0.99 });
    const text = renderRulePacks([pack])[0].content;
    expect(text).toContain('record: job:barbossa_requests:rate5m');
    expect(text).toContain('record: job:barbossa_request_latency_seconds:p99_rate5m');
    expect(text).toContain('histogram_quantile(0.99, job_le:barbossa_request_latency_seconds_bucket:rate5m{app="barbossa"})');
    expect(httpRulePack({ metricPrefix: 'shop_' }).catalogues!.flatMap((c) => Object.keys(c.metrics))).toContain('shop_http_requests_total');
  });
});
