import { describe, expect, it } from 'vitest';
import { exampleAlertSuite } from './helpers/example-alerts';
import { SeedAlert, example, exampleObjects, renderedRules } from './helpers/examples';

/**
 * idkarr (seed 000, "Alerting" → `alerting/rules.yml`): the nine rules, copied from the seed. The
 * thresholds are the comparisons the seed's expressions end with.
 */
const SEED_ALERTS: SeedAlert[] = [
  { alert: 'HighErrorRate', severity: 'critical', threshold: '> 0.05', for: '5m', reads: ['http_requests_total', 'status=~"5.."'] },
  { alert: 'HighLatency', severity: 'warning', threshold: '> 2', for: '5m', reads: ['histogram_quantile(0.95', 'http_request_duration_seconds_bucket'] },
  { alert: 'DatabaseConnectionLow', severity: 'critical', threshold: '< 1', for: '1m', reads: ['db_connections_active'] },
  { alert: 'QueueBacklog', severity: 'warning', threshold: '> 100', for: '10m', reads: ['queue_depth', 'state="waiting"'] },
  { alert: 'DownloadClientDown', severity: 'warning', threshold: '== 0', for: '5m', reads: ['health_check_status', 'check=~"download_client:.*"'] },
  { alert: 'IndexerDown', severity: 'warning', threshold: '== 0', for: '15m', reads: ['health_check_status', 'check=~"indexer:.*"'] },
  { alert: 'LowDiskSpace', severity: 'warning', threshold: '< 0.1', for: '5m', reads: ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes'] },
  { alert: 'HighMemoryUsage', severity: 'warning', threshold: '> 2', for: '10m', reads: ['process_resident_memory_bytes', '/ 1073741824'] },
  { alert: 'ExternalAPIFailures', severity: 'warning', threshold: '> 0.5', for: '5m', reads: ['external_api_requests_total', 'status="error"'] },
];

/** The idkarr routing preset: Discord always, Slack from warning up, email and webhook for critical. */
function receivers(labels: Readonly<Record<string, string>>): string[] {
  if (labels.alertname === 'Watchdog') return ['heartbeat'];
  if (labels.severity === 'critical') return ['discord', 'slack', 'email', 'webhook'];
  if (labels.severity === 'warning') return ['discord', 'slack'];
  return ['discord'];
}

exampleAlertSuite({ example: example('idkarr'), seedAlerts: SEED_ALERTS, receivers });

describe('idkarr: rules specific to the example', () => {
  const rules = renderedRules(exampleObjects(example('idkarr')));
  const alert = (name: string) => rules.find((r) => r.alert === name)!;

  it('narrows every app alert to idkarr\'s scrape job', () => {
    for (const name of ['DatabaseConnectionLow', 'HighMemoryUsage', 'ExternalAPIFailures', 'QueueBacklog', 'DownloadClientDown', 'IndexerDown']) {
      expect(alert(name).expr, name).toContain('job="idkarr-api"');
    }
  });

  it('replaces the shipped NodeFilesystemSpaceLow with the seed\'s LowDiskSpace, on real filesystems only', () => {
    expect(rules.some((r) => r.alert === 'NodeFilesystemSpaceLow')).toBe(false);
    expect(alert('LowDiskSpace').expr).toContain('fstype!~"tmpfs|');
    expect(alert('NodeFilesystemAlmostFull')).toBeDefined();
  });

  it('links the app alerts to the idkarr Overview dashboard, which is provisioned', () => {
    expect(alert('DatabaseConnectionLow').annotations.dashboard_uid).toBe('idkarr-overview');
    const objects = exampleObjects(example('idkarr'));
    expect(objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboard-idkarr-overview')).toBe(true);
  });
});
