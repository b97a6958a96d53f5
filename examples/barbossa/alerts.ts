import {
  alertRule, applyOverrides, formatNumber, httpRulePack, NODE_EXPORTER, POSTGRES_EXPORTER, PROMETHEUS_SYNTHETIC, queueRulePack, ruleGroup, RulePack,
} from '../../index';
import { counter, gauge, histogram } from '../shared/rule-tests';
import { barbossaMetricCatalogue } from './dashboards';

/**
 * Barbossa's alerts (seed 004, `prometheus/alerts/barbossa.yml`): the five rules with the seed's names,
 * severities, thresholds and `for` durations.
 *
 * | seed alert                | built with                                          |
 * | ------------------------- | --------------------------------------------------- |
 * | HighErrorRate             | httpRulePack (server errors per second), critical   |
 * | HighLatency               | httpRulePack (p95 latency), `for` 10m               |
 * | DownloadQueueBacklog      | queueRulePack on the Celery queue gauge             |
 * | LowDiskSpace              | own rule: the music volume                          |
 * | DatabaseConnectionFailure | own rule, expression fixed (see below)              |
 */

/** Scrape job of the FastAPI backend, which serves every `barbossa_*` metric (main.ts). */
export const BARBOSSA_JOB = 'barbossa';
/** Scrape job of the Celery worker's exporter (main.ts). */
export const CELERY_JOB = 'celery';
/** Name of the declared PostgreSQL: the `database` label of postgres-exporter's series (main.ts). */
export const BARBOSSA_DATABASE = 'barbossa-db';
/** Where the music library is mounted on the node, as node-exporter reports it. */
export const MUSIC_MOUNTPOINT = '/music';
/** Dashboard the alerts link to. */
export const BARBOSSA_DASHBOARD = 'barbossa-overview';

const S = `job="${BARBOSSA_JOB}"`;
const target = `job="${BARBOSSA_JOB}", instance="10.0.3.1:8080"`;
const instance = { job: BARBOSSA_JOB, instance: '10.0.3.1:8080' };

/** HTTP alerts on `barbossa_requests_total{method, endpoint, status}` and `barbossa_request_latency_seconds`. */
export function barbossaHttpPack(): RulePack {
  const [pack] = applyOverrides([httpRulePack({
    app: 'barbossa',
    jobSelector: S,
    requestsMetric: 'barbossa_requests_total',
    durationHistogram: 'barbossa_request_latency_seconds',
    statusLabel: 'status',
    routeLabel: 'endpoint',
    // seed: rate(barbossa_requests_total{status=~"5.."}[5m]) > 0.1 for 5m. The seed compares each series
    // (method × endpoint × status) with 0.1/s; the pack sums them per job, so ten endpoints failing a
    // little each are one high error rate too. (The seed's description calls the per-second rate a
    // percentage; the pack's says "server errors per second".)
    errorRateThreshold: 0.1,
    // seed: histogram_quantile(0.95, rate(barbossa_request_latency_seconds_bucket[5m])) > 2 for 10m.
    // The seed takes the quantile per endpoint and method; the pack sums the buckets by job first: the
    // service's p95.
    latencyQuantile: 0.95,
    latencyThresholdSeconds: 2,
    alertNames: { HighErrorRate: 'HighErrorRate', HighLatency: 'HighLatency' },
    // Barbossa exports no health-check gauge: its /health answers with a JSON body (probed instead).
    healthChecks: [],
  })], {
    HighErrorRate: { severity: 'critical' },
    HighLatency: { for: '10m' },
    // The seed alerts on the error rate, not the error ratio: on a home server with a few requests a
    // minute, one failed request in twenty would page.
    BarbossaHighErrorRatio: { enabled: false },
  });

  const requests = (status: string, endpoint: string, perSecond: number) => counter(`barbossa_requests_total{${target}, method="GET", endpoint="${endpoint}", status="${status}"}`, perSecond);
  const latency = (slow: number) => histogram('barbossa_request_latency_seconds', `${target}, method="GET", endpoint="/api/library/tracks"`, 10, {
    '0.5': 10 - slow, '1.0': 10 - slow, '2.0': 10 - slow, '5.0': 10,
  });
  const app = { app: 'barbossa', job: BARBOSSA_JOB };
  return {
    ...pack,
    tests: [
      {
        name: 'HighErrorRate: two endpoints answer 0.06 errors per second each',
        series: [requests('200', '/api/library/tracks', 5), requests('500', '/api/downloads', 0.06), requests('502', '/api/search', 0.06)],
        alerts: [
          // rate() over a 5m window that is not yet full reads low: the condition holds from 5m on.
          { alert: 'HighErrorRate', at: '4m', state: 'inactive' },
          { alert: 'HighErrorRate', at: '7m', state: 'pending', alerts: [{ labels: app }] },
          { alert: 'HighErrorRate', at: '15m', state: 'firing', alerts: [{ labels: app, annotations: { description: 'barbossa answers 0.12 server errors per second.' } }] },
        ],
      },
      {
        name: 'HighErrorRate: client errors and a rare server error',
        series: [requests('200', '/api/library/tracks', 5), requests('404', '/api/tracks', 2), requests('500', '/api/downloads', 0.05)],
        alerts: [{ alert: 'HighErrorRate', at: '20m', state: 'inactive' }],
      },
      {
        name: 'HighLatency: a tenth of requests take 2 to 5 seconds, for longer than 10 minutes',
        series: latency(1),
        alerts: [
          { alert: 'HighLatency', at: '9m', state: 'pending', alerts: [{ labels: app }] },
          { alert: 'HighLatency', at: '15m', state: 'firing', alerts: [{ labels: app, annotations: { description: 'The p95 latency of barbossa is 3.5s.' } }] },
        ],
      },
      { name: 'HighLatency: every request under half a second', series: latency(0), alerts: [{ alert: 'HighLatency', at: '20m', state: 'inactive' }] },
      {
        name: 'BarbossaProcessHighMemory: the API holds 3 GiB',
        series: [gauge(`process_resident_memory_bytes{${target}}`, '1073741824x5 3221225472x30')],
        alerts: [
          { alert: 'BarbossaProcessHighMemory', at: '5m', state: 'inactive' },
          { alert: 'BarbossaProcessHighMemory', at: '10m', state: 'pending', alerts: [{ labels: instance }] },
          { alert: 'BarbossaProcessHighMemory', at: '20m', state: 'firing', alerts: [{ labels: instance, annotations: { description: 'barbossa process 10.0.3.1:8080 uses 3GiB of resident memory.' } }] },
        ],
      },
      {
        name: 'BarbossaServiceDown: the API stops answering scrapes',
        series: [gauge(`up{${target}}`, '1x3 0x10')],
        alerts: [
          { alert: 'BarbossaServiceDown', at: '3m', state: 'inactive' },
          { alert: 'BarbossaServiceDown', at: '4m', state: 'pending', alerts: [{ labels: instance }] },
          { alert: 'BarbossaServiceDown', at: '8m', state: 'firing', alerts: [{ labels: instance }] },
        ],
      },
    ],
  };
}

/** The Celery download queue: the seed's DownloadQueueBacklog. */
export function barbossaQueuePack(): RulePack {
  const [pack] = applyOverrides([queueRulePack({
    name: 'barbossa-queues',
    alertPrefix: 'Download',
    selector: S,
    // seed: barbossa_celery_queue_length{queue="downloads"} > 50 for 15m, warning.
    depthMetric: 'barbossa_celery_queue_length',
    depthSelector: 'queue="downloads"',
    backlogThreshold: 50,
    backlogFor: '15m',
  })], {
    // Barbossa counts no finished Celery tasks per queue (its task_postrun/task_failure hooks record
    // nothing), so "stalled" and "failure ratio" have no counter to read.
    DownloadQueueStalled: { enabled: false },
    DownloadJobFailureRatio: { enabled: false },
  });
  const depth = (queue: string, values: string) => gauge(`barbossa_celery_queue_length{${target}, queue="${queue}"}`, values);
  return {
    ...pack,
    catalogues: [barbossaMetricCatalogue()],
    tests: [
      {
        name: 'DownloadQueueBacklog: 80 downloads waiting for 20 minutes',
        series: [depth('downloads', '10x5 80x30'), depth('imports', '500x35')],
        alerts: [
          { alert: 'DownloadQueueBacklog', at: '5m', state: 'inactive' },
          { alert: 'DownloadQueueBacklog', at: '15m', state: 'pending', alerts: [{ labels: { queue: 'downloads' } }] },
          { alert: 'DownloadQueueBacklog', at: '25m', state: 'firing', alerts: [{ labels: { queue: 'downloads' }, annotations: { description: 'Queue downloads has 80 waiting jobs.' } }] },
        ],
      },
      { name: 'DownloadQueueBacklog: 50 waiting is not a backlog', series: [depth('downloads', '50x40')], alerts: [{ alert: 'DownloadQueueBacklog', at: '30m', state: 'inactive' }] },
    ],
  };
}

/** The music volume and the database: the seed alerts no shipped pack expresses as the seed does. */
export function barbossaAppPack(): RulePack {
  const disk = `job="node-exporter", instance="10.0.0.10:9100", node="nas", device="/dev/sdb1", fstype="ext4"`;
  const diskLabels = { job: 'node-exporter', instance: '10.0.0.10:9100', node: 'nas', device: '/dev/sdb1', fstype: 'ext4', mountpoint: MUSIC_MOUNTPOINT };
  const fs = (metric: string, mountpoint: string, values: string) => gauge(`${metric}{${disk}, mountpoint="${mountpoint}"}`, values);

  const lowDiskSpace = alertRule({
    name: 'LowDiskSpace',
    threshold: 0.1,
    expr: (t) => `
      node_filesystem_avail_bytes{job="node-exporter", mountpoint="${MUSIC_MOUNTPOINT}"}
        /
      node_filesystem_size_bytes{job="node-exporter", mountpoint="${MUSIC_MOUNTPOINT}"} < ${formatNumber(t)}
    `,
    for: '5m',
    severity: 'critical',
    summary: 'Low disk space on music volume.',
    description: 'Only {{ $value | humanizePercentage }} space remaining on {{ $labels.mountpoint }} ({{ $labels.instance }}).',
    // Same condition as the shipped NodeFilesystemSpaceLow, limited to the music volume and critical
    // (which mutes NodeFilesystemSpaceLow there through the standard inhibition).
    runbook: 'docs/runbooks/NodeFilesystemSpaceLow.md',
    dashboard: { uid: BARBOSSA_DASHBOARD },
    tests: [
      {
        name: 'LowDiskSpace: the music volume drops to 8% free',
        series: [fs('node_filesystem_size_bytes', MUSIC_MOUNTPOINT, '2000000000000x30'), fs('node_filesystem_avail_bytes', MUSIC_MOUNTPOINT, '400000000000x5 160000000000x25')],
        alerts: [
          { at: '5m', state: 'inactive' },
          { at: '8m', state: 'pending', alerts: [{ labels: diskLabels }] },
          { at: '15m', state: 'firing', alerts: [{ labels: diskLabels, annotations: { description: 'Only 8% space remaining on /music (10.0.0.10:9100).' } }] },
        ],
      },
      {
        name: 'LowDiskSpace: another filesystem is full, the music volume is not',
        series: [
          fs('node_filesystem_size_bytes', MUSIC_MOUNTPOINT, '2000000000000x30'), fs('node_filesystem_avail_bytes', MUSIC_MOUNTPOINT, '400000000000x30'),
          fs('node_filesystem_size_bytes', '/var', '100000000000x30'), fs('node_filesystem_avail_bytes', '/var', '1000000000x30'),
        ],
        alerts: [{ at: '20m', state: 'inactive' }],
      },
    ],
  });

  const pg = `job="postgres-exporter", instance="10.0.2.1:9187", database="${BARBOSSA_DATABASE}"`;
  const pgLabels = { job: 'postgres-exporter', instance: '10.0.2.1:9187', database: BARBOSSA_DATABASE };
  const databaseConnectionFailure = alertRule({
    name: 'DatabaseConnectionFailure',
    // Fixed expression. The seed's `up{job="postgres"} == 0` watches the scrape of postgres-exporter,
    // which stays up while the database is down (the exporter then reports pg_up 0), and no job is
    // called "postgres" here (the exporter's job is postgres-exporter). The intent, "Database connection
    // lost", is pg_up == 0, or the exporter itself gone (then nothing watches the database).
    expr: `
      pg_up{job="postgres-exporter", database="${BARBOSSA_DATABASE}"} == 0
      or
      up{job="postgres-exporter", database="${BARBOSSA_DATABASE}"} == 0
    `,
    for: '1m',
    severity: 'critical',
    summary: 'Database connection lost.',
    description: 'Barbossa\'s database {{ $labels.database }} cannot be reached ({{ $labels.instance }}): PostgreSQL is down, refuses connections, or its exporter is gone.',
    // Same condition as the shipped PostgresDown (disabled in main.ts), whose runbook covers both causes.
    runbook: 'docs/runbooks/PostgresDown.md',
    dashboard: { uid: BARBOSSA_DASHBOARD },
    tests: [
      {
        name: 'DatabaseConnectionFailure: PostgreSQL stops, the exporter keeps answering',
        series: [gauge(`up{${pg}}`, '1x15'), gauge(`pg_up{${pg}}`, '1x3 0x12')],
        alerts: [
          { at: '3m', state: 'inactive' },
          { at: '4m', state: 'pending', alerts: [{ labels: pgLabels }] },
          { at: '8m', state: 'firing', alerts: [{ labels: pgLabels }] },
        ],
      },
      {
        name: 'DatabaseConnectionFailure: the exporter itself is gone',
        series: [gauge(`up{${pg}}`, '1x3 0x12')],
        alerts: [{ at: '8m', state: 'firing', alerts: [{ labels: pgLabels }] }],
      },
      { name: 'DatabaseConnectionFailure: database and exporter up', series: [gauge(`up{${pg}}`, '1x15'), gauge(`pg_up{${pg}}`, '1x15')], alerts: [{ at: '10m', state: 'inactive' }] },
    ],
  });

  return {
    name: 'barbossa-app',
    source: 'examples/barbossa/alerts.ts',
    catalogues: [NODE_EXPORTER, POSTGRES_EXPORTER, PROMETHEUS_SYNTHETIC],
    groups: [ruleGroup({ name: 'barbossa-app.alerts', rules: [lowDiskSpace, databaseConnectionFailure] })],
  };
}

/** Every Barbossa rule pack, in the order they are rendered. */
export function barbossaRulePacks(): RulePack[] {
  return [barbossaHttpPack(), barbossaQueuePack(), barbossaAppPack()];
}
