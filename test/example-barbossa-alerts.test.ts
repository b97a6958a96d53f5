import { describe, expect, it } from 'vitest';
import { exampleAlertSuite } from './helpers/example-alerts';
import { SeedAlert, example, exampleObjects, renderedRules } from './helpers/examples';
import { configDoc } from './helpers/synth';

/** Barbossa (seed 004, `prometheus/alerts/barbossa.yml`): the five rules, copied from the seed. */
const SEED_ALERTS: SeedAlert[] = [
  { alert: 'HighErrorRate', severity: 'critical', threshold: '> 0.1', for: '5m', reads: ['barbossa_requests_total', 'status=~"5.."'] },
  { alert: 'HighLatency', severity: 'warning', threshold: '> 2', for: '10m', reads: ['histogram_quantile(0.95', 'barbossa_request_latency_seconds_bucket'] },
  { alert: 'DownloadQueueBacklog', severity: 'warning', threshold: '> 50', for: '15m', reads: ['barbossa_celery_queue_length', 'queue="downloads"'] },
  { alert: 'LowDiskSpace', severity: 'critical', threshold: '< 0.1', for: '5m', reads: ['node_filesystem_avail_bytes{job="node-exporter", mountpoint="/music"}', 'node_filesystem_size_bytes{job="node-exporter", mountpoint="/music"}'] },
  // Expression fixed: the seed's `up{job="postgres"} == 0` watches the exporter, not the database.
  { alert: 'DatabaseConnectionFailure', severity: 'critical', threshold: '== 0', for: '1m', reads: ['pg_up{job="postgres-exporter", database="barbossa-db"} == 0'] },
];

/** The seed's alertmanager.yml: everything to `default` (email), critical to `critical` (email + Slack). */
function receivers(labels: Readonly<Record<string, string>>): string[] {
  if (labels.alertname === 'Watchdog') return ['heartbeat'];
  return labels.severity === 'critical' ? ['critical'] : ['default'];
}

exampleAlertSuite({ example: example('barbossa'), seedAlerts: SEED_ALERTS, receivers });

describe('barbossa: configuration from the seed', () => {
  const objects = exampleObjects(example('barbossa'));
  const rules = renderedRules(objects);

  it('keeps the seed\'s scrape and evaluation intervals, job names and 30 days of retention', () => {
    const prom = configDoc(objects, 'prometheus-config', 'prometheus.yml');
    expect(prom.global.scrape_interval).toBe('15s');
    expect(prom.global.evaluation_interval).toBe('15s');
    expect(prom.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(expect.arrayContaining(['barbossa', 'celery']));
    const args: string[] = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'prometheus')!.spec.template.spec.containers[0].args;
    expect(args).toContain('--storage.tsdb.retention.time=30d');
  });

  it('groups by alertname and severity and repeats every 12h, as the seed\'s alertmanager.yml', () => {
    const am = configDoc(objects, 'alertmanager-config', 'alertmanager.yml');
    expect(am.route.group_by).toEqual(['alertname', 'severity']);
    expect(am.route.repeat_interval).toBe('12h');
  });

  it('replaces PostgresDown with the seed\'s DatabaseConnectionFailure and the error ratio with its error rate', () => {
    expect(rules.some((r) => r.alert === 'PostgresDown')).toBe(false);
    expect(rules.some((r) => r.alert === 'BarbossaHighErrorRatio')).toBe(false);
    expect(rules.find((r) => r.alert === 'HighErrorRate')!.expr).toBe('job:barbossa_requests_errors:rate5m{app="barbossa"} > 0.1');
  });
});
