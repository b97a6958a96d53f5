import { describe, expect, it } from 'vitest';
import { exampleAlertSuite } from './helpers/example-alerts';
import { SeedAlert, example, exampleObjects, renderedRules } from './helpers/examples';
import { configDoc, objectOf } from './helpers/synth';

const business = { category: 'business' };

/**
 * MediaNest: seed 001's alert categories with their thresholds and durations ("Alerting Configuration")
 * and seed 002's additions ("Alerting Strategy"). The seeds give categories, not rule names; the names
 * are the categories'. `for` values marked "none in the seed" are the example's choice.
 */
const SEED_ALERTS: SeedAlert[] = [
  // 001 infrastructure
  { alert: 'HighCpuUsage', severity: 'warning', threshold: '> 0.8', for: '5m', reads: ['node_cpu'] },
  { alert: 'HighMemoryUsage', severity: 'warning', threshold: '> 0.85', for: '3m', reads: ['node_memory'] },
  { alert: 'DiskSpaceCritical', severity: 'critical', threshold: '> 0.9', for: '5m' /* none in the seed */, reads: ['1 - node_filesystem_avail_bytes'] },
  { alert: 'ServiceDown', severity: 'critical', threshold: '== 0', for: '1m', reads: ['up{job=~"medianest-backend|medianest-frontend"}'] },
  // 001 application (002 adds the critical error tier)
  { alert: 'HighResponseTime', severity: 'warning', threshold: '> 2', for: '2m', reads: ['histogram_quantile(0.95', 'http_request_duration_seconds_bucket'] },
  { alert: 'HighErrorRate', severity: 'warning', threshold: '> 0.05', for: '1m', reads: ['http_requests_total', 'status_code=~"5.."'] },
  { alert: 'CriticalErrorRate', severity: 'critical', threshold: '> 0.1', for: '5m', reads: ['job:http_requests_errors:ratio_rate5m'] },
  { alert: 'DatabaseSlowQueries', severity: 'warning', threshold: '> 1', for: '5m' /* none in the seed */, reads: ['database_query_duration_seconds_bucket'] },
  { alert: 'QueueBacklog', severity: 'warning', threshold: '> 100', for: '30m', reads: ['queue_depth'] },
  // 002 critical and warning
  { alert: 'HighHeapUsage', severity: 'critical', threshold: '> 0.9', for: '2m', reads: ['nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes'] },
  { alert: 'CircuitBreakerOpen', severity: 'warning', threshold: '> 0', for: '5m' /* none in the seed */, reads: ['circuit_breaker_state'] },
  { alert: 'LogAuthenticationFailures', severity: 'critical', ruler: 'loki', for: '5m' },
  // 001 business, routed by category
  { alert: 'FailedMediaRequests', severity: 'warning', threshold: '> 0.1', for: '15m' /* none in the seed */, labels: business, reads: ['media_requests_total'] },
  { alert: 'UserAuthenticationIssues', severity: 'warning', threshold: '> 0.05', for: '10m' /* none in the seed */, labels: business, ruler: 'loki', reads: ['user\\.login\\.fail'] },
  { alert: 'ExternalServiceFailures', severity: 'warning', threshold: '== 0', for: '5m' /* none in the seed */, labels: business, reads: ['service_health_status'] },
  { alert: 'DownloadQueueStalled', severity: 'warning', threshold: '> 0', labels: business, reads: ['queue="downloads"', 'background_jobs_total', '[10m]'] },
  // 002 business
  { alert: 'UserActivityDrop', severity: 'warning', threshold: '< 0.5', for: '30m', labels: business, reads: ['user_sessions_active', 'offset 1w'] },
  { alert: 'SyncFailures', severity: 'warning', threshold: '< 0.9', for: '30m', labels: business, reads: ['integration_sync_success_rate'] },
];

/** The MediaNest routing preset. */
function receivers(labels: Readonly<Record<string, string>>): string[] {
  if (labels.alertname === 'Watchdog') return ['heartbeat'];
  if (labels.category === 'business') return ['slack-operations'];
  if (labels.severity === 'critical') return ['pagerduty', 'slack-critical', 'email-oncall', 'incident-webhook'];
  if (labels.severity === 'warning') return ['slack-alerts', 'email-dev-digest'];
  return ['slack-alerts'];
}

exampleAlertSuite({ example: example('medianest'), seedAlerts: SEED_ALERTS, receivers });

describe('medianest: configuration from the seeds', () => {
  const objects = exampleObjects(example('medianest'));
  const rules = renderedRules(objects);

  it('keeps 15 days of metrics locally and writes them to the long-term store', () => {
    const args: string[] = objectOf(objects, 'StatefulSet', 'prometheus').spec.template.spec.containers[0].args;
    expect(args).toContain('--storage.tsdb.retention.time=15d');
    const prom = configDoc(objects, 'prometheus-config', 'prometheus.yml');
    expect(prom.remote_write).toHaveLength(1);
    expect(prom.remote_write[0].basic_auth.password_file).toMatch(/mimir-credentials\/password$/);
  });

  it('keeps logs by seed 002\'s categories: application 30 days, security 1 year, errors 90 days, debug 7 days, trace 24 hours', () => {
    const loki = configDoc(objects, 'loki-config', 'config.yaml');
    expect(loki.limits_config.retention_period).toBe('30d');
    expect(Object.fromEntries(loki.limits_config.retention_stream.map((r: { selector: string; period: string }) => [r.selector, r.period]))).toEqual({
      '{stream="security"}': '1y', '{level=~"error|fatal"}': '90d', '{level="debug"}': '7d', '{level="trace"}': '24h',
    });
    // A security line logged at error level is kept for the year.
    const priority = (sel: string) => loki.limits_config.retention_stream.find((r: { selector: string }) => r.selector === sel).priority;
    expect(priority('{stream="security"}')).toBeGreaterThan(priority('{level=~"error|fatal"}'));
  });

  it('declares the two SLOs of seed 002 with their burn-rate alerts', () => {
    for (const slo of ['medianest-availability', 'medianest-latency']) {
      expect(rules.some((r) => r.record === 'slo:sli_error:ratio_rate5m' && r.labels.slo === slo), slo).toBe(true);
    }
    expect(rules.find((r) => r.alert === 'MedianestAvailabilityErrorBudgetFastBurn')!.labels.severity).toBe('critical');
    expect(rules.find((r) => r.alert === 'MedianestLatencyErrorBudgetSlowBurn')!.labels.severity).toBe('warning');
    expect(rules.find((r) => r.record === 'slo:sli_error:ratio_rate5m' && r.labels.slo === 'medianest-availability')!.expr).toContain('status_code=~"5.."');
  });

  it('replaces the shipped node alerts with seed 001\'s thresholds', () => {
    for (const name of ['NodeHighCpuUsage', 'NodeHighMemoryUsage', 'NodeFilesystemSpaceLow']) expect(rules.some((r) => r.alert === name), name).toBe(false);
  });

  it('lets ServiceDown mute the other alerts of a down target', () => {
    const am = configDoc(objects, 'alertmanager-config', 'alertmanager.yml');
    const down = am.inhibit_rules.find((r: { source_matchers: string[] }) => r.source_matchers.some((m) => m.includes('ServiceDown')));
    expect(new RegExp(`^(?:${/alertname=~"([^"]+)"/.exec(down.source_matchers[0])![1]})$`).test('ServiceDown')).toBe(true);
  });

  it('signs in to Grafana through OAuth with the client secret read from a file', () => {
    const ini = objectOf(objects, 'ConfigMap', 'grafana-config').data['grafana.ini'];
    expect(ini).toMatch(/\[auth\.generic_oauth\]/);
    expect(ini).toMatch(/client_secret = \$__file\{[^}]+grafana-oauth[^}]*client-secret\}/);
  });
});
