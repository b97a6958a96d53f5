import {
  alertRule, applyOverrides, DEFAULT_FILESYSTEM_SELECTOR, formatNumber, httpRulePack, NODE_EXPORTER, PROCESS_METRICS, PROMETHEUS_SYNTHETIC, queueRulePack, ruleGroup, RulePack,
} from '../../index';
import { counter, gauge, histogram } from '../shared/rule-tests';
import { idkarrMetricCatalogue } from './dashboards';

/**
 * idkarr's alerts (seed 000, "Alerting"): the nine rules of its `alerting/rules.yml`, with the seed's
 * names, severities, thresholds and `for` durations, built from the shipped packs where one fits:
 *
 * | seed alert            | built with                                    |
 * | --------------------- | --------------------------------------------- |
 * | HighErrorRate         | httpRulePack (error ratio), renamed           |
 * | HighLatency           | httpRulePack (p95 latency)                    |
 * | DownloadClientDown    | httpRulePack health-check gauge alert         |
 * | IndexerDown           | httpRulePack health-check gauge alert         |
 * | QueueBacklog          | queueRulePack                                 |
 * | DatabaseConnectionLow | own rule (app gauge)                          |
 * | LowDiskSpace          | own rule (node-exporter)                      |
 * | HighMemoryUsage       | own rule (keeps the seed's "GB > 2" form)     |
 * | ExternalAPIFailures   | own rule (the seed spells it `API`)           |
 *
 * The seed's expressions select no job; here every app series is narrowed to idkarr's scrape job so an
 * unrelated app exporting `http_requests_total` cannot fire idkarr's alerts.
 */

/** The scrape job of idkarr's backend (the `scrapeTargets` entry in main.ts). */
export const IDKARR_JOB = 'idkarr-api';
/** Dashboard the alerts link to. */
export const IDKARR_DASHBOARD = 'idkarr-overview';

const S = `job="${IDKARR_JOB}"`;
const target = `job="${IDKARR_JOB}", instance="10.0.1.1:3000"`;
const instance = { job: IDKARR_JOB, instance: '10.0.1.1:3000' };

/** HTTP alerts: error ratio, p95 latency, target up-ness and the app's health-check gauge. */
export function idkarrHttpPack(): RulePack {
  const [pack] = applyOverrides([httpRulePack({
    app: 'idkarr',
    jobSelector: S,
    statusLabel: 'status',
    routeLabel: 'path',
    // seed: sum(rate(5xx)) / sum(rate(all)) > 0.05 for 5m, critical.
    errorRatioThreshold: 0.05,
    // seed: histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m])) > 2 for 5m, warning.
    // The seed takes the quantile per series (per path, method, status and pod); the pack sums the
    // buckets by job first, which is the service's p95 the summary talks about.
    latencyQuantile: 0.95,
    latencyThresholdSeconds: 2,
    alertNames: { HighErrorRatio: 'HighErrorRate', HighLatency: 'HighLatency' },
    // seed: health_check_status{check=~"download_client:.*"} == 0 for 5m / indexer:.* for 15m, warning.
    healthChecks: [
      { alert: 'DownloadClientDown', check: 'download_client:.*', for: '5m', severity: 'warning', summary: 'Download client unreachable.' },
      { alert: 'IndexerDown', check: 'indexer:.*', for: '15m', severity: 'warning', summary: 'Indexer unreachable.' },
    ],
  })], {
    // The seed's HighErrorRate is the error *ratio*; it has no alert on the absolute error rate.
    IdkarrHighErrorRate: { enabled: false },
    // HighMemoryUsage (below) is the seed's memory alert, in its own unit.
    IdkarrProcessHighMemory: { enabled: false },
  });

  const requests = (status: string, perSecond: number) => counter(`http_requests_total{${target}, method="GET", path="/api/v3/series", status="${status}"}`, perSecond);
  const latency = (slowPerSecond: number) => histogram('http_request_duration_seconds', `${target}, method="GET", path="/api/v3/series", status="200"`, 10, {
    '0.5': 10 - slowPerSecond, '1': 10 - slowPerSecond, '2.5': 10 - slowPerSecond, '5': 10,
  });
  const health = (check: string, values: string) => gauge(`health_check_status{${target}, check="${check}"}`, values);
  const app = { app: 'idkarr', job: IDKARR_JOB };

  return {
    ...pack,
    tests: [
      {
        name: 'HighErrorRate: 10% of requests fail',
        series: [requests('200', 9), requests('500', 1)],
        alerts: [
          { alert: 'HighErrorRate', at: '4m', state: 'pending', alerts: [{ labels: app }] },
          { alert: 'HighErrorRate', at: '15m', state: 'firing', alerts: [{ labels: app, annotations: { description: '10% of the requests to idkarr-api fail with a server error.' } }] },
        ],
      },
      {
        name: 'HighErrorRate: 4% of requests fail (below 5%)',
        series: [requests('200', 9.6), requests('503', 0.4)],
        alerts: [{ alert: 'HighErrorRate', at: '20m', state: 'inactive' }],
      },
      {
        name: 'HighLatency: a tenth of requests take 2.5 to 5 seconds',
        series: latency(1),
        alerts: [
          { alert: 'HighLatency', at: '4m', state: 'pending', alerts: [{ labels: app }] },
          { alert: 'HighLatency', at: '15m', state: 'firing', alerts: [{ labels: app, annotations: { description: 'The p95 latency of idkarr-api is 3.75s.' } }] },
        ],
      },
      { name: 'HighLatency: every request under half a second', series: latency(0), alerts: [{ alert: 'HighLatency', at: '20m', state: 'inactive' }] },
      {
        name: 'IdkarrServiceDown: the backend stops answering scrapes',
        series: [gauge(`up{${target}}`, '1x3 0x10')],
        alerts: [
          { alert: 'IdkarrServiceDown', at: '3m', state: 'inactive' },
          { alert: 'IdkarrServiceDown', at: '4m', state: 'pending', alerts: [{ labels: instance }] },
          { alert: 'IdkarrServiceDown', at: '8m', state: 'firing', alerts: [{ labels: instance }] },
        ],
      },
      {
        name: 'DownloadClientDown and IndexerDown: qBittorrent fails for 20 minutes, an indexer for 10',
        series: [health('download_client:qBittorrent', '1x3 0x20'), health('indexer:NZBgeek', '1x3 0x10 1x10'), health('database', '1x23')],
        alerts: [
          { alert: 'DownloadClientDown', at: '3m', state: 'inactive' },
          { alert: 'DownloadClientDown', at: '6m', state: 'pending', alerts: [{ labels: { ...instance, check: 'download_client:qBittorrent' } }] },
          { alert: 'DownloadClientDown', at: '15m', state: 'firing', alerts: [{ labels: { ...instance, check: 'download_client:qBittorrent' } }] },
          // 10 minutes down is shorter than IndexerDown's 15m: it never fires.
          { alert: 'IndexerDown', at: '10m', state: 'pending', alerts: [{ labels: { ...instance, check: 'indexer:NZBgeek' } }] },
          { alert: 'IndexerDown', at: '20m', state: 'inactive' },
        ],
      },
      {
        name: 'IndexerDown: an indexer fails for 20 minutes',
        series: [health('indexer:NZBgeek', '1x3 0x25')],
        alerts: [
          { alert: 'IndexerDown', at: '15m', state: 'pending', alerts: [{ labels: { ...instance, check: 'indexer:NZBgeek' } }] },
          { alert: 'IndexerDown', at: '20m', state: 'firing', alerts: [{ labels: { ...instance, check: 'indexer:NZBgeek' } }] },
          { alert: 'DownloadClientDown', at: '20m', state: 'inactive' },
        ],
      },
    ],
  };
}

/** The job queues (download, import, rss): the seed's QueueBacklog, plus stalled queues and job failures. */
export function idkarrQueuePack(): RulePack {
  const pack = queueRulePack({
    name: 'idkarr-queues',
    selector: S,
    // seed: queue_depth{state="waiting"} > 100 for 10m, warning.
    depthMetric: 'queue_depth',
    depthSelector: 'state="waiting"',
    backlogThreshold: 100,
    backlogFor: '10m',
    // queue_jobs_total{queue, status} counts finished jobs (BullMQ's "completed" and "failed").
    jobsMetric: 'queue_jobs_total',
    failedStatus: '(?i)failed',
  });
  const depth = (queue: string, values: string) => gauge(`queue_depth{${target}, queue="${queue}", state="waiting"}`, values);
  const jobs = (queue: string, status: string, perMinute: number) => counter(`queue_jobs_total{${target}, queue="${queue}", status="${status}"}`, perMinute / 60);
  return {
    ...pack,
    catalogues: [...(pack.catalogues ?? []), idkarrMetricCatalogue()],
    tests: [
      {
        name: 'QueueBacklog: 150 imports waiting, downloads moving',
        series: [depth('import', '10x5 150x30'), depth('download', '20x35'), jobs('import', 'completed', 2), jobs('download', 'completed', 2)],
        alerts: [
          { alert: 'QueueBacklog', at: '5m', state: 'inactive' },
          { alert: 'QueueBacklog', at: '10m', state: 'pending', alerts: [{ labels: { queue: 'import' } }] },
          { alert: 'QueueBacklog', at: '20m', state: 'firing', alerts: [{ labels: { queue: 'import' }, annotations: { description: 'Queue import has 150 waiting jobs.' } }] },
        ],
      },
      { name: 'QueueBacklog: exactly 100 waiting is not a backlog', series: [depth('download', '100x30')], alerts: [{ alert: 'QueueBacklog', at: '25m', state: 'inactive' }] },
      {
        name: 'QueueStalled: rss jobs wait and nothing finishes',
        series: [depth('rss', '5x40'), gauge(`queue_jobs_total{${target}, queue="rss", status="completed"}`, '0+2x5 10x35')],
        alerts: [
          { alert: 'QueueStalled', at: '10m', state: 'inactive' },
          { alert: 'QueueStalled', at: '25m', state: 'pending', alerts: [{ labels: { queue: 'rss' } }] },
          { alert: 'QueueStalled', at: '40m', state: 'firing', alerts: [{ labels: { queue: 'rss' }, annotations: { description: 'Queue rss has 5 waiting jobs and no job finished in the last 15 minutes: the workers are down or stuck.' } }] },
        ],
      },
      { name: 'QueueStalled: busy but moving', series: [depth('rss', '5x40'), jobs('rss', 'completed', 3)], alerts: [{ alert: 'QueueStalled', at: '40m', state: 'inactive' }] },
      {
        name: 'JobFailureRatio: a quarter of the imports fail',
        series: [jobs('import', 'completed', 3), jobs('import', 'failed', 1)],
        alerts: [
          { alert: 'JobFailureRatio', at: '10m', state: 'pending', alerts: [{ labels: { queue: 'import' } }] },
          { alert: 'JobFailureRatio', at: '30m', state: 'firing', alerts: [{ labels: { queue: 'import' }, annotations: { description: '25% of the jobs of queue import failed in the last 15 minutes.' } }] },
        ],
      },
      { name: 'JobFailureRatio: every import succeeds', series: [jobs('import', 'completed', 3)], alerts: [{ alert: 'JobFailureRatio', at: '30m', state: 'inactive' }] },
    ],
  };
}

/** The shipped node pack's filesystems: real disks, not tmpfs, overlay or pod volumes. */
const FS = DEFAULT_FILESYSTEM_SELECTOR;

/** The seed alerts no shipped pack expresses in the seed's own terms. */
export function idkarrAppPack(): RulePack {
  const dashboard = { uid: IDKARR_DASHBOARD };
  const disk = { job: 'node-exporter', instance: '10.0.0.10:9100', node: 'nas', device: '/dev/sdb1', fstype: 'ext4', mountpoint: '/media' };
  const diskSeries = (metric: string) => `${metric}{job="node-exporter", instance="10.0.0.10:9100", node="nas", device="/dev/sdb1", fstype="ext4", mountpoint="/media"}`;

  const databaseConnectionLow = alertRule({
    name: 'DatabaseConnectionLow',
    runbook: 'examples/idkarr/runbooks/DatabaseConnectionLow.md',
    threshold: 1,
    expr: (t) => `db_connections_active{${S}} < ${formatNumber(t)}`,
    for: '1m',
    severity: 'critical',
    summary: 'No database connections.',
    description: 'idkarr instance {{ $labels.instance }} has no active database connection: the database appears to be disconnected.',
    dashboard,
    tests: [
      {
        name: 'DatabaseConnectionLow: the pool drops to zero',
        series: [gauge(`db_connections_active{${target}}`, '5x3 0x10')],
        alerts: [
          { at: '3m', state: 'inactive' },
          { at: '4m', state: 'pending', alerts: [{ labels: instance }] },
          { at: '6m', state: 'firing', alerts: [{ labels: instance }] },
        ],
      },
      { name: 'DatabaseConnectionLow: one connection is enough', series: [gauge(`db_connections_active{${target}}`, '1x20')], alerts: [{ at: '15m', state: 'inactive' }] },
    ],
  });

  const lowDiskSpace = alertRule({
    name: 'LowDiskSpace',
    threshold: 0.1,
    expr: (t) => `
      node_filesystem_avail_bytes{job="node-exporter", ${FS}}
        /
      node_filesystem_size_bytes{job="node-exporter", ${FS}} < ${formatNumber(t)}
    `,
    for: '5m',
    severity: 'warning',
    summary: 'Low disk space.',
    description: 'Disk {{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | humanizePercentage }} free.',
    // The same condition as the shipped NodeFilesystemSpaceLow (disabled in main.ts): same runbook.
    runbook: 'docs/runbooks/NodeFilesystemSpaceLow.md',
    dashboard: { uid: 'vigil-node-overview' },
    tests: [
      {
        name: 'LowDiskSpace: the media disk drops to 8% free',
        series: [gauge(diskSeries('node_filesystem_size_bytes'), '4000000000000x30'), gauge(diskSeries('node_filesystem_avail_bytes'), '800000000000x5 320000000000x25')],
        alerts: [
          { at: '5m', state: 'inactive' },
          { at: '8m', state: 'pending', alerts: [{ labels: disk }] },
          { at: '15m', state: 'firing', alerts: [{ labels: disk, annotations: { description: 'Disk /media on 10.0.0.10:9100 has 8% free.' } }] },
        ],
      },
      {
        name: 'LowDiskSpace: 20% free, and a full tmpfs that does not count',
        series: [
          gauge(diskSeries('node_filesystem_size_bytes'), '4000000000000x30'), gauge(diskSeries('node_filesystem_avail_bytes'), '800000000000x30'),
          gauge('node_filesystem_size_bytes{job="node-exporter", instance="10.0.0.10:9100", node="nas", device="tmpfs", fstype="tmpfs", mountpoint="/dev/shm"}', '1000x30'),
          gauge('node_filesystem_avail_bytes{job="node-exporter", instance="10.0.0.10:9100", node="nas", device="tmpfs", fstype="tmpfs", mountpoint="/dev/shm"}', '0x30'),
        ],
        alerts: [{ at: '20m', state: 'inactive' }],
      },
    ],
  });

  const highMemoryUsage = alertRule({
    name: 'HighMemoryUsage',
    threshold: 2,
    // The seed's form: resident memory in GiB (1073741824 bytes) against 2.
    expr: (t) => `process_resident_memory_bytes{${S}} / 1073741824 > ${formatNumber(t)}`,
    for: '10m',
    severity: 'warning',
    summary: 'High memory usage.',
    description: 'idkarr instance {{ $labels.instance }} uses {{ $value | humanize }}GiB of resident memory.',
    runbook: 'docs/runbooks/HttpProcessHighMemory.md',
    dashboard,
    tests: [
      {
        name: 'HighMemoryUsage: 3 GiB resident',
        series: [gauge(`process_resident_memory_bytes{${target}}`, '1073741824x5 3221225472x30')],
        alerts: [
          { at: '5m', state: 'inactive' },
          { at: '10m', state: 'pending', alerts: [{ labels: instance }] },
          { at: '20m', state: 'firing', alerts: [{ labels: instance, annotations: { description: 'idkarr instance 10.0.1.1:3000 uses 3GiB of resident memory.' } }] },
        ],
      },
      { name: 'HighMemoryUsage: 1.5 GiB resident', series: [gauge(`process_resident_memory_bytes{${target}}`, '1610612736x30')], alerts: [{ at: '25m', state: 'inactive' }] },
    ],
  });

  const calls = (service: string, endpoint: string, status: string, perSecond: number) => counter(`external_api_requests_total{${target}, service="${service}", endpoint="${endpoint}", status="${status}"}`, perSecond);
  const externalApiFailures = alertRule({
    name: 'ExternalAPIFailures',
    threshold: 0.5,
    // The seed compares each series (service × endpoint × pod) with 0.5/s; its description names the
    // service, so the failures are summed per service: one alert per failing API.
    expr: (t) => `sum by (service) (rate(external_api_requests_total{${S}, status="error"}[5m])) > ${formatNumber(t)}`,
    for: '5m',
    severity: 'warning',
    summary: 'External API failures.',
    description: '{{ $labels.service }} API is failing: {{ printf "%.2f" $value }} failed calls per second.',
    runbook: 'docs/runbooks/ExternalApiFailures.md',
    dashboard,
    tests: [
      {
        name: 'ExternalAPIFailures: TVDB fails on two endpoints',
        series: [calls('tvdb', '/series', 'error', 0.4), calls('tvdb', '/episodes', 'error', 0.4), calls('tvdb', '/series', 'success', 2), calls('tmdb', '/movie', 'error', 0.1)],
        alerts: [
          { at: '4m', state: 'pending', alerts: [{ labels: { service: 'tvdb' } }] },
          { at: '15m', state: 'firing', alerts: [{ labels: { service: 'tvdb' }, annotations: { description: 'tvdb API is failing: 0.80 failed calls per second.' } }] },
        ],
      },
      { name: 'ExternalAPIFailures: occasional errors', series: [calls('tmdb', '/movie', 'error', 0.2), calls('tmdb', '/movie', 'success', 5)], alerts: [{ at: '15m', state: 'inactive' }] },
    ],
  });

  return {
    name: 'idkarr-app',
    source: 'examples/idkarr/alerts.ts',
    catalogues: [idkarrMetricCatalogue(), NODE_EXPORTER, PROCESS_METRICS, PROMETHEUS_SYNTHETIC],
    groups: [ruleGroup({ name: 'idkarr-app.alerts', rules: [databaseConnectionLow, lowDiskSpace, highMemoryUsage, externalApiFailures] })],
  };
}

/** Every idkarr rule pack, in the order they are rendered. */
export function idkarrRulePacks(): RulePack[] {
  return [idkarrHttpPack(), idkarrQueuePack(), idkarrAppPack()];
}
