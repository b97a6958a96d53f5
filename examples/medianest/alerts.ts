import {
  alertRule, AlertRule, applyOverrides, DEFAULT_FILESYSTEM_SELECTOR, externalApiRulePack, formatNumber, httpRulePack, MetricCatalogue, NODE_EXPORTER, NODEJS_RUNTIME, PROMETHEUS_SYNTHETIC, queueRulePack, ruleGroup, RulePack,
} from '../../index';
import { counter, gauge, histogram } from '../shared/rule-tests';
import { mediaNestMetricCatalogue } from './dashboards';
import { BUSINESS_ALERT_MATCHER } from './routing';

/**
 * MediaNest's alerts. Seed 001 (the monitoring guide) lists them by category with thresholds; seed 002
 * (the observability architecture) adds severities, two critical alerts and more business alerts. The
 * seeds give no rule names, so each alert is named after its category:
 *
 * | alert                       | seed                                              | severity | threshold | for |
 * | --------------------------- | ------------------------------------------------- | -------- | --------- | --- |
 * | HighCpuUsage                | 001 infrastructure: CPU > 80% for 5 minutes       | warning  | > 0.8     | 5m  |
 * | HighMemoryUsage             | 001 infrastructure: memory > 85% for 3 minutes    | warning  | > 0.85    | 3m  |
 * | DiskSpaceCritical           | 001 infrastructure: disk > 90% used               | critical | > 0.9     | 5m* |
 * | ServiceDown                 | 001 + 002: core service unavailable > 1 minute    | critical | == 0      | 1m  |
 * | HighResponseTime            | 001 application: P95 > 2s for 2 minutes           | warning  | > 2       | 2m  |
 * | HighErrorRate               | 001 application: errors > 5% for 1 minute         | warning  | > 0.05    | 1m  |
 * | CriticalErrorRate           | 002 critical: errors > 10% for 5 minutes          | critical | > 0.1     | 5m  |
 * | DatabaseSlowQueries         | 001 application: queries > 1s                     | warning  | > 1       | 5m* |
 * | QueueBacklog                | 001: > 100 pending jobs; 002: delayed > 30 min    | warning  | > 100     | 30m |
 * | HighHeapUsage               | 002 critical: heap > 90% for 2 minutes            | critical | > 0.9     | 2m  |
 * | CircuitBreakerOpen          | 002 warning: circuit breaker open                 | warning  | > 0       | 5m* |
 * | FailedMediaRequests         | 001 business: > 10% failure rate                  | warning  | > 0.1     | 15m*|
 * | UserAuthenticationIssues    | 001 business: > 5% failed logins (Loki ruler)     | warning  | > 0.05    | 10m*|
 * | ExternalServiceFailures     | 001 business: API downtime                        | warning  | == 0      | 5m* |
 * | DownloadQueueStalled        | 001 business: no progress for 10 minutes          | warning  | [10m]     | —   |
 * | UserActivityDrop            | 002 business: significant drop in engagement      | warning  | < 0.5*    | 30m*|
 * | SyncFailures                | 002 business: integration sync failures           | warning  | < 0.9*    | 30m*|
 *
 * `*`: the seed gives no value; the one chosen is said next to the rule. Business alerts carry
 * `category="business"`, which the MediaNest routing sends to Slack #operations only.
 *
 * Where the two seeds disagree, seed 001 (the alerting configuration) wins and seed 002 adds what 001
 * lacks: 002's "Resource Usage: CPU > 80% or memory > 75% for 15 minutes" is covered by HighCpuUsage
 * and HighMemoryUsage at 001's values; its "Performance Degradation: > 2s for 10 minutes" by
 * HighResponseTime (same threshold, 001's shorter `for`); its "Database Issues: connection failures"
 * by the shipped PostgresDown; its "Media Service Issues: Plex/Overseerr connectivity" by
 * ExternalServiceFailures; its "Security Events: failed authentication attempts" by the shipped
 * LogAuthenticationFailures, made critical in main.ts.
 */

/** Scrape job of the Express backend (the seed's Promtail job name). */
export const BACKEND_JOB = 'medianest-backend';
/** Scrape job of the Next.js frontend's server. */
export const FRONTEND_JOB = 'medianest-frontend';
/** The BullMQ queue of YouTube downloads. */
export const DOWNLOAD_QUEUE = 'downloads';
/** Dashboards the alerts link to (the uids of the MediaNest dashboards). */
export const DASHBOARDS = {
  overview: 'medianest-overview',
  api: 'medianest-api-performance',
  infrastructure: 'medianest-infrastructure',
  business: 'medianest-business-metrics',
} as const;

const BUSINESS = { category: 'business' } as const;
// The routing preset matches exactly this label; a typo here would send business alerts to the pager.
if (BUSINESS_ALERT_MATCHER !== `category="${BUSINESS.category}"`) throw new Error(`MediaNest business label ${JSON.stringify(BUSINESS)} does not match the routing's ${BUSINESS_ALERT_MATCHER}`);

const S = `job="${BACKEND_JOB}"`;
const backend = `${S}, instance="10.0.5.1:4000"`;
const backendLabels = { job: BACKEND_JOB, instance: '10.0.5.1:4000' };

/** Metrics the alerts read beyond the dashboards' catalogue (named as seed 002 names them). */
const MEDIANEST_ALERT_METRICS: MetricCatalogue = {
  name: 'medianest-alerts',
  source: 'seed 002: Service Health and Service Performance metrics; BullMQ queue depth',
  metrics: {
    integration_sync_success_rate: { type: 'gauge', help: 'Share of successful syncs per integrated service (0–1).', labels: ['service'] },
    // Seed 001 alerts on "pending jobs", seed 002 names no gauge for them: the queue depth by state, as
    // idkarr (the same Node.js/BullMQ stack) exports it.
    queue_depth: { type: 'gauge', help: 'BullMQ jobs in a queue by state (waiting, active, delayed).', labels: ['queue', 'state'] },
  },
};

/** Series the shipped node pack records (`node.rules`), read by the infrastructure alerts. */
const NODE_RECORDS: MetricCatalogue = {
  name: 'node-records',
  source: 'alerts/packs/node.ts recording rules',
  metrics: {
    'instance:node_cpu_utilisation:rate5m': { type: 'gauge', help: 'Busy share of the node\'s CPUs.' },
    'instance:node_memory_utilisation:ratio': { type: 'gauge', help: 'Used share of the node\'s memory.' },
  },
};

/** HTTP alerts on `http_requests_total{method, endpoint, status_code}` (seed 002's label names). */
export function mediaNestHttpPack(): RulePack {
  const [pack] = applyOverrides([httpRulePack({
    app: 'medianest',
    // The backend and the frontend's server: ServiceDown watches both ("any core service").
    jobSelector: `job=~"${BACKEND_JOB}|${FRONTEND_JOB}"`,
    statusLabel: 'status_code',
    routeLabel: 'endpoint',
    // 001: error rate > 5% for 1 minute (002's critical tier is CriticalErrorRate below).
    errorRatioThreshold: 0.05,
    // 001: P95 > 2s for 2 minutes.
    latencyQuantile: 0.95,
    latencyThresholdSeconds: 2,
    alertNames: { HighErrorRatio: 'HighErrorRate', HighLatency: 'HighResponseTime', ServiceDown: 'ServiceDown' },
    // MediaNest's service health gauge is `service_health_status{service}` (ExternalServiceFailures).
    healthChecks: [],
  })], {
    HighErrorRate: { for: '1m', severity: 'warning' },
    HighResponseTime: { for: '2m' },
    // Neither seed asks for an absolute error rate or a resident-memory alert (002's memory alert is
    // the V8 heap: HighHeapUsage).
    MedianestHighErrorRate: { enabled: false },
    MedianestProcessHighMemory: { enabled: false },
  });

  const requests = (status: string, perSecond: number) => counter(`http_requests_total{${backend}, method="GET", endpoint="/api/v1/media", status_code="${status}"}`, perSecond);
  const latency = (slow: number) => histogram('http_request_duration_seconds', `${backend}, method="GET", endpoint="/api/v1/media"`, 10, {
    '0.5': 10 - slow, '1': 10 - slow, '2.5': 10 - slow, '5': 10,
  });
  const app = { app: 'medianest', job: BACKEND_JOB };
  const frontend = { job: FRONTEND_JOB, instance: '10.0.5.2:3000' };
  return {
    ...pack,
    tests: [
      {
        name: 'HighErrorRate: 8% of requests fail',
        series: [requests('200', 9.2), requests('500', 0.8)],
        alerts: [
          { alert: 'HighErrorRate', at: '1m', state: 'pending', alerts: [{ labels: app }] },
          { alert: 'HighErrorRate', at: '5m', state: 'firing', alerts: [{ labels: app, annotations: { description: '8% of the requests to medianest-backend fail with a server error.' } }] },
        ],
      },
      { name: 'HighErrorRate: 2% of requests fail', series: [requests('200', 9.8), requests('503', 0.2), requests('404', 3)], alerts: [{ alert: 'HighErrorRate', at: '20m', state: 'inactive' }] },
      {
        name: 'HighResponseTime: a tenth of requests take 2.5 to 5 seconds',
        series: latency(1),
        alerts: [
          { alert: 'HighResponseTime', at: '2m', state: 'pending', alerts: [{ labels: app }] },
          { alert: 'HighResponseTime', at: '10m', state: 'firing', alerts: [{ labels: app, annotations: { description: 'The p95 latency of medianest-backend is 3.75s.' } }] },
        ],
      },
      { name: 'HighResponseTime: all requests under half a second', series: latency(0), alerts: [{ alert: 'HighResponseTime', at: '20m', state: 'inactive' }] },
      {
        name: 'ServiceDown: the frontend stops answering scrapes, the backend is up',
        series: [gauge(`up{job="${FRONTEND_JOB}", instance="10.0.5.2:3000"}`, '1x3 0x10'), gauge(`up{${backend}}`, '1x13')],
        alerts: [
          { alert: 'ServiceDown', at: '3m', state: 'inactive' },
          { alert: 'ServiceDown', at: '4m', state: 'pending', alerts: [{ labels: frontend }] },
          { alert: 'ServiceDown', at: '8m', state: 'firing', alerts: [{ labels: frontend }] },
        ],
      },
    ],
  };
}

/** The BullMQ queues: 001's QueueBacklog, plus stalled queues and the job failure ratio. */
export function mediaNestQueuePack(): RulePack {
  const pack = queueRulePack({
    name: 'medianest-queues',
    selector: S,
    depthMetric: 'queue_depth',
    depthSelector: 'state="waiting"',
    // 001: "Queue Backlog: > 100 pending jobs"; 002: "Background jobs delayed > 30 minutes".
    backlogThreshold: 100,
    backlogFor: '30m',
    // 002: background_jobs_total{queue, status}.
    jobsMetric: 'background_jobs_total',
    failedStatus: '(?i)failed',
  });
  const depth = (queue: string, values: string) => gauge(`queue_depth{${backend}, queue="${queue}", state="waiting"}`, values);
  const jobs = (queue: string, status: string, perMinute: number) => counter(`background_jobs_total{${backend}, queue="${queue}", status="${status}"}`, perMinute / 60, 60);
  return {
    ...pack,
    catalogues: [...(pack.catalogues ?? []), mediaNestMetricCatalogue()],
    tests: [
      {
        name: 'QueueBacklog: 150 Plex syncs waiting for 40 minutes',
        series: [gauge(`queue_depth{${backend}, queue="plex-sync", state="waiting"}`, '10x5 150x50'), jobs('plex-sync', 'completed', 2)],
        alerts: [
          { alert: 'QueueBacklog', at: '5m', state: 'inactive' },
          { alert: 'QueueBacklog', at: '20m', state: 'pending', alerts: [{ labels: { queue: 'plex-sync' } }] },
          { alert: 'QueueBacklog', at: '40m', state: 'firing', alerts: [{ labels: { queue: 'plex-sync' }, annotations: { description: 'Queue plex-sync has 150 waiting jobs.' } }] },
        ],
      },
      { name: 'QueueBacklog: a burst of 150 that drains in 20 minutes', series: [depth(DOWNLOAD_QUEUE, '10x5 150x20 10x30'), jobs(DOWNLOAD_QUEUE, 'completed', 8)], alerts: [{ alert: 'QueueBacklog', at: '40m', state: 'inactive' }] },
      {
        name: 'QueueStalled: jobs wait and none finishes',
        series: [depth(DOWNLOAD_QUEUE, '5x40'), gauge(`background_jobs_total{${backend}, queue="${DOWNLOAD_QUEUE}", status="completed"}`, '0+2x5 10x35')],
        alerts: [
          { alert: 'QueueStalled', at: '10m', state: 'inactive' },
          { alert: 'QueueStalled', at: '25m', state: 'pending', alerts: [{ labels: { queue: DOWNLOAD_QUEUE } }] },
          { alert: 'QueueStalled', at: '40m', state: 'firing', alerts: [{ labels: { queue: DOWNLOAD_QUEUE }, annotations: { description: 'Queue downloads has 5 waiting jobs and no job finished in the last 15 minutes: the workers are down or stuck.' } }] },
        ],
      },
      { name: 'QueueStalled: busy but moving', series: [depth(DOWNLOAD_QUEUE, '5x40'), jobs(DOWNLOAD_QUEUE, 'completed', 3)], alerts: [{ alert: 'QueueStalled', at: '40m', state: 'inactive' }] },
      {
        name: 'JobFailureRatio: a quarter of the downloads fail',
        series: [jobs(DOWNLOAD_QUEUE, 'completed', 3), jobs(DOWNLOAD_QUEUE, 'failed', 1)],
        alerts: [
          { alert: 'JobFailureRatio', at: '10m', state: 'pending', alerts: [{ labels: { queue: DOWNLOAD_QUEUE } }] },
          { alert: 'JobFailureRatio', at: '30m', state: 'firing', alerts: [{ labels: { queue: DOWNLOAD_QUEUE }, annotations: { description: '25% of the jobs of queue downloads failed in the last 15 minutes.' } }] },
        ],
      },
      { name: 'JobFailureRatio: every download succeeds', series: [jobs(DOWNLOAD_QUEUE, 'completed', 3)], alerts: [{ alert: 'JobFailureRatio', at: '30m', state: 'inactive' }] },
    ],
  };
}

/** 002's "External API Issues: circuit breaker open", on `circuit_breaker_state{service}`. */
export function mediaNestExternalApiPack(): RulePack {
  const [pack] = applyOverrides([externalApiRulePack({
    name: 'medianest-external-apis',
    selector: S,
    // 0 closed; anything else (open, half-open) means calls are short-circuited.
    circuitBreakerMetric: 'circuit_breaker_state',
  })], {
    // API downtime is ExternalServiceFailures, on the services' health gauge.
    ExternalApiFailures: { enabled: false },
  });
  const breaker = (service: string, values: string) => gauge(`circuit_breaker_state{${backend}, service="${service}"}`, values);
  return {
    ...pack,
    catalogues: [...(pack.catalogues ?? []), mediaNestMetricCatalogue()],
    tests: [
      {
        name: 'CircuitBreakerOpen: the Overseerr breaker opens',
        series: [breaker('overseerr', '0x5 1x20'), breaker('plex', '0x25')],
        alerts: [
          { alert: 'CircuitBreakerOpen', at: '5m', state: 'inactive' },
          { alert: 'CircuitBreakerOpen', at: '8m', state: 'pending', alerts: [{ labels: { service: 'overseerr' } }] },
          { alert: 'CircuitBreakerOpen', at: '15m', state: 'firing', alerts: [{ labels: { service: 'overseerr' } }] },
        ],
      },
      { name: 'CircuitBreakerOpen: every breaker closed', series: [breaker('plex', '0x25')], alerts: [{ alert: 'CircuitBreakerOpen', at: '20m', state: 'inactive' }] },
    ],
  };
}

const node = 'job="node-exporter", instance="10.0.0.10:9100", node="media-1"';
const nodeLabels = { job: 'node-exporter', instance: '10.0.0.10:9100', node: 'media-1' };

/** Seed 001's infrastructure alerts at its thresholds (the shipped node alerts they replace are off in main.ts). */
function infrastructureAlerts(): AlertRule[] {
  const dashboard = { uid: DASHBOARDS.infrastructure };
  const fs = (metric: string, mountpoint: string, values: string) => gauge(`${metric}{${node}, device="/dev/sda1", fstype="ext4", mountpoint="${mountpoint}"}`, values);
  const fsLabels = { ...nodeLabels, device: '/dev/sda1', fstype: 'ext4', mountpoint: '/' };
  return [
    alertRule({
      name: 'HighCpuUsage',
      threshold: 0.8,
      expr: (t) => `instance:node_cpu_utilisation:rate5m{job="node-exporter"} > ${formatNumber(t)}`,
      for: '5m',
      severity: 'warning',
      summary: 'High CPU usage.',
      description: 'CPU usage on {{ $labels.instance }} (node {{ $labels.node }}) is {{ $value | humanizePercentage }}.',
      runbook: 'docs/runbooks/NodeHighCpuUsage.md',
      dashboard,
      tests: [
        {
          name: 'HighCpuUsage: 90% busy',
          series: [gauge(`instance:node_cpu_utilisation:rate5m{${node}}`, '0.5x5 0.9x20')],
          alerts: [
            { at: '5m', state: 'inactive' },
            { at: '8m', state: 'pending', alerts: [{ labels: nodeLabels }] },
            { at: '15m', state: 'firing', alerts: [{ labels: nodeLabels, annotations: { description: 'CPU usage on 10.0.0.10:9100 (node media-1) is 90%.' } }] },
          ],
        },
        { name: 'HighCpuUsage: 75% busy', series: [gauge(`instance:node_cpu_utilisation:rate5m{${node}}`, '0.75x25')], alerts: [{ at: '20m', state: 'inactive' }] },
      ],
    }),
    alertRule({
      name: 'HighMemoryUsage',
      threshold: 0.85,
      expr: (t) => `instance:node_memory_utilisation:ratio{job="node-exporter"} > ${formatNumber(t)}`,
      for: '3m',
      severity: 'warning',
      summary: 'High memory usage.',
      description: 'Memory usage on {{ $labels.instance }} (node {{ $labels.node }}) is {{ $value | humanizePercentage }}.',
      runbook: 'docs/runbooks/NodeHighMemoryUsage.md',
      dashboard,
      tests: [
        {
          name: 'HighMemoryUsage: 90% used',
          series: [gauge(`instance:node_memory_utilisation:ratio{${node}}`, '0.6x5 0.9x20')],
          alerts: [
            { at: '5m', state: 'inactive' },
            { at: '7m', state: 'pending', alerts: [{ labels: nodeLabels }] },
            { at: '15m', state: 'firing', alerts: [{ labels: nodeLabels, annotations: { description: 'Memory usage on 10.0.0.10:9100 (node media-1) is 90%.' } }] },
          ],
        },
        { name: 'HighMemoryUsage: 80% used', series: [gauge(`instance:node_memory_utilisation:ratio{${node}}`, '0.8x25')], alerts: [{ at: '20m', state: 'inactive' }] },
      ],
    }),
    alertRule({
      name: 'DiskSpaceCritical',
      threshold: 0.9,
      expr: (t) => `
        1 - node_filesystem_avail_bytes{job="node-exporter", ${DEFAULT_FILESYSTEM_SELECTOR}}
              / node_filesystem_size_bytes{job="node-exporter", ${DEFAULT_FILESYSTEM_SELECTOR}} > ${formatNumber(t)}
      `,
      // The seed gives no duration: 5 minutes, like the shipped filesystem alerts.
      for: '5m',
      severity: 'critical',
      summary: 'Disk space critical.',
      description: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} (node {{ $labels.node }}) is {{ $value | humanizePercentage }} full.',
      runbook: 'docs/runbooks/NodeFilesystemSpaceLow.md',
      dashboard,
      tests: [
        {
          name: 'DiskSpaceCritical: the root filesystem reaches 95%',
          series: [fs('node_filesystem_size_bytes', '/', '100000000000x30'), fs('node_filesystem_avail_bytes', '/', '30000000000x5 5000000000x25')],
          alerts: [
            { at: '5m', state: 'inactive' },
            { at: '8m', state: 'pending', alerts: [{ labels: fsLabels }] },
            { at: '15m', state: 'firing', alerts: [{ labels: fsLabels, annotations: { description: 'Filesystem / on 10.0.0.10:9100 (node media-1) is 95% full.' } }] },
          ],
        },
        { name: 'DiskSpaceCritical: 85% full', series: [fs('node_filesystem_size_bytes', '/', '100000000000x30'), fs('node_filesystem_avail_bytes', '/', '15000000000x30')], alerts: [{ at: '20m', state: 'inactive' }] },
      ],
    }),
  ];
}

/** Application alerts of seeds 001 and 002 that no pack expresses. */
function applicationAlerts(): AlertRule[] {
  const app = { app: 'medianest', job: BACKEND_JOB };
  const queries = (slow: number) => histogram('database_query_duration_seconds', `${backend}, operation="findMany", table="media_requests"`, 20, {
    '0.1': 20 - slow, '0.5': 20 - slow, '1': 20 - slow, '5': 20,
  });
  const heap = (used: string) => [gauge(`nodejs_heap_size_total_bytes{${backend}}`, '1000000000x20'), gauge(`nodejs_heap_size_used_bytes{${backend}}`, used)];
  return [
    alertRule({
      name: 'CriticalErrorRate',
      threshold: 0.1,
      // The error ratio the HTTP pack records (5xx over all requests, per job, over 5 minutes).
      expr: (t) => `job:http_requests_errors:ratio_rate5m{app="medianest"} > ${formatNumber(t)}`,
      for: '5m',
      severity: 'critical',
      summary: 'More than 10% of MediaNest requests fail.',
      description: '{{ $value | humanizePercentage }} of the requests to {{ $labels.job }} fail with a server error.',
      runbook: 'docs/runbooks/HttpHighErrorRatio.md',
      dashboard: { uid: DASHBOARDS.api },
      tests: [
        {
          name: 'CriticalErrorRate: a fifth of requests fail',
          // The recorded ratio, as the HTTP pack's rule writes it.
          series: [gauge('job:http_requests_errors:ratio_rate5m{app="medianest", job="medianest-backend"}', '0.01x3 0.2x20')],
          alerts: [
            { at: '3m', state: 'inactive' },
            { at: '6m', state: 'pending', alerts: [{ labels: app }] },
            { at: '10m', state: 'firing', alerts: [{ labels: app, annotations: { description: '20% of the requests to medianest-backend fail with a server error.' } }] },
          ],
        },
        { name: 'CriticalErrorRate: 8% fail (HighErrorRate territory)', series: [gauge('job:http_requests_errors:ratio_rate5m{app="medianest", job="medianest-backend"}', '0.08x20')], alerts: [{ at: '15m', state: 'inactive' }] },
      ],
    }),
    alertRule({
      name: 'DatabaseSlowQueries',
      runbook: 'examples/medianest/runbooks/DatabaseSlowQueries.md',
      threshold: 1,
      // "Database Slow Queries: > 1s query time", as the p95 of the backend's query durations.
      expr: (t) => `
        histogram_quantile(0.95, sum by (job, le) (rate(database_query_duration_seconds_bucket{${S}}[5m]))) > ${formatNumber(t)}
      `,
      // The seed gives no duration: 5 minutes, like the HTTP latency alerts.
      for: '5m',
      severity: 'warning',
      summary: 'Database queries are slow.',
      description: 'The p95 database query time of {{ $labels.job }} is {{ $value | humanizeDuration }}.',
      dashboard: { uid: DASHBOARDS.infrastructure },
      tests: [
        {
          name: 'DatabaseSlowQueries: a tenth of the queries take 1 to 5 seconds',
          series: queries(2),
          alerts: [
            { at: '4m', state: 'pending', alerts: [{ labels: { job: BACKEND_JOB } }] },
            { at: '15m', state: 'firing', alerts: [{ labels: { job: BACKEND_JOB }, annotations: { description: 'The p95 database query time of medianest-backend is 3s.' } }] },
          ],
        },
        { name: 'DatabaseSlowQueries: queries under 100ms', series: queries(0), alerts: [{ at: '15m', state: 'inactive' }] },
      ],
    }),
    alertRule({
      name: 'HighHeapUsage',
      runbook: 'examples/medianest/runbooks/HighHeapUsage.md',
      threshold: 0.9,
      // 002: "Memory Issues: heap usage > 90% for 2 minutes". V8 grows the heap on demand, so used/total
      // touches 90% briefly in normal operation; two minutes above it means the heap cannot grow or a
      // leak fills it.
      expr: (t) => `nodejs_heap_size_used_bytes{${S}} / nodejs_heap_size_total_bytes{${S}} > ${formatNumber(t)}`,
      for: '2m',
      severity: 'critical',
      summary: 'The MediaNest backend\'s heap is almost full.',
      description: 'The V8 heap of {{ $labels.instance }} is {{ $value | humanizePercentage }} used.',
      dashboard: { uid: DASHBOARDS.infrastructure },
      tests: [
        {
          name: 'HighHeapUsage: 95% of the heap used',
          series: heap('500000000x5 950000000x15'),
          alerts: [
            { at: '5m', state: 'inactive' },
            { at: '7m', state: 'pending', alerts: [{ labels: backendLabels }] },
            { at: '10m', state: 'firing', alerts: [{ labels: backendLabels, annotations: { description: 'The V8 heap of 10.0.5.1:4000 is 95% used.' } }] },
          ],
        },
        { name: 'HighHeapUsage: a short spike to 95%', series: heap('500000000x5 950000000x1 500000000x14'), alerts: [{ at: '7m', state: 'pending', alerts: [{ labels: backendLabels }] }, { at: '10m', state: 'inactive' }] },
      ],
    }),
  ];
}

/** Business alerts (label `category="business"`, routed to Slack #operations). */
function businessAlerts(): AlertRule[] {
  const dashboard = { uid: DASHBOARDS.business };
  const media = (status: string, perMinute: number) => counter(`media_requests_total{${backend}, type="movie", status="${status}"}`, perMinute / 60);
  const health = (service: string, values: string) => gauge(`service_health_status{${backend}, service="${service}"}`, values);
  const sync = (service: string, values: string) => gauge(`integration_sync_success_rate{${backend}, service="${service}"}`, values);
  const depth = (values: string) => gauge(`queue_depth{${backend}, queue="${DOWNLOAD_QUEUE}", state="waiting"}`, values);
  return [
    alertRule({
      name: 'FailedMediaRequests',
      runbook: 'examples/medianest/runbooks/FailedMediaRequests.md',
      threshold: 0.1,
      expr: (t) => `
        sum by (job) (rate(media_requests_total{${S}, status=~"(?i)failed|error"}[15m]))
          /
        sum by (job) (rate(media_requests_total{${S}}[15m])) > ${formatNumber(t)}
      `,
      // The seed gives no duration: 15 minutes, the window of the ratio.
      for: '15m',
      severity: 'warning',
      labels: BUSINESS,
      summary: 'More than 10% of media requests fail.',
      description: '{{ $value | humanizePercentage }} of the media requests of the last 15 minutes failed.',
      dashboard,
      tests: [
        {
          name: 'FailedMediaRequests: a fifth of the requests fail',
          series: [media('available', 8), media('failed', 2)],
          alerts: [
            { at: '10m', state: 'pending', alerts: [{ labels: { job: BACKEND_JOB } }] },
            { at: '30m', state: 'firing', alerts: [{ labels: { job: BACKEND_JOB }, annotations: { description: '20% of the media requests of the last 15 minutes failed.' } }] },
          ],
        },
        { name: 'FailedMediaRequests: one in twenty fails', series: [media('available', 19), media('failed', 1)], alerts: [{ at: '30m', state: 'inactive' }] },
      ],
    }),
    alertRule({
      name: 'ExternalServiceFailures',
      // 001 business: "External Service Failures: API downtime" — Plex, Overseerr, YouTube, Uptime Kuma
      // as the backend's health checks see them (`service_health_status`, 1 healthy).
      expr: `max by (service) (service_health_status{${S}}) == 0`,
      // The seed gives no duration: 5 minutes, like the shipped health-check alerts.
      for: '5m',
      severity: 'warning',
      labels: BUSINESS,
      summary: 'An external service MediaNest depends on is down.',
      description: '{{ $labels.service }} has failed MediaNest\'s health checks for 5 minutes.',
      runbook: 'docs/runbooks/HttpHealthCheckFailing.md',
      dashboard: { uid: DASHBOARDS.overview },
      tests: [
        {
          name: 'ExternalServiceFailures: Plex goes down',
          series: [health('plex', '1x3 0x20'), health('overseerr', '1x23')],
          alerts: [
            { at: '3m', state: 'inactive' },
            { at: '6m', state: 'pending', alerts: [{ labels: { service: 'plex' } }] },
            { at: '15m', state: 'firing', alerts: [{ labels: { service: 'plex' } }] },
          ],
        },
        { name: 'ExternalServiceFailures: a one-minute blip', series: [health('plex', '1x3 0x1 1x20')], alerts: [{ at: '15m', state: 'inactive' }] },
      ],
    }),
    alertRule({
      name: 'DownloadQueueStalled',
      // 001 business: "Download Queue Stalled: no progress for 10 minutes". The 10 minutes are the
      // window: downloads are waiting and not one finished (completed or failed) in the last 10 minutes.
      expr: `
        sum by (queue) (queue_depth{${S}, queue="${DOWNLOAD_QUEUE}", state="waiting"}) > 0
        unless on (queue)
        sum by (queue) (increase(background_jobs_total{${S}, queue="${DOWNLOAD_QUEUE}"}[10m])) > 0
      `,
      severity: 'warning',
      labels: BUSINESS,
      summary: 'The download queue has made no progress for 10 minutes.',
      description: '{{ $value }} downloads are waiting and none finished in the last 10 minutes: the download workers are down or stuck.',
      runbook: 'docs/runbooks/QueueStalled.md',
      dashboard,
      tests: [
        {
          name: 'DownloadQueueStalled: downloads wait, the last one finished at minute 5',
          series: [depth('3x30'), gauge(`background_jobs_total{${backend}, queue="${DOWNLOAD_QUEUE}", status="completed"}`, '0+1x5 5x25')],
          alerts: [
            { at: '10m', state: 'inactive' },
            { at: '16m', state: 'firing', alerts: [{ labels: { queue: DOWNLOAD_QUEUE }, annotations: { description: '3 downloads are waiting and none finished in the last 10 minutes: the download workers are down or stuck.' } }] },
          ],
        },
        { name: 'DownloadQueueStalled: a download finishes every few minutes', series: [depth('3x30'), gauge(`background_jobs_total{${backend}, queue="${DOWNLOAD_QUEUE}", status="completed"}`, '0+0.25x30')], alerts: [{ at: '25m', state: 'inactive' }] },
        { name: 'DownloadQueueStalled: nothing waiting, nothing to do', series: [depth('0x30'), gauge(`background_jobs_total{${backend}, queue="${DOWNLOAD_QUEUE}", status="completed"}`, '5x30')], alerts: [{ at: '25m', state: 'inactive' }] },
      ],
    }),
    alertRule({
      name: 'SyncFailures',
      runbook: 'examples/medianest/runbooks/SyncFailures.md',
      threshold: 0.9,
      // 002 business: "Sync Failures: integration synchronization failures", on its
      // `integration_sync_success_rate{service}`. Below 90% for 30 minutes: most syncs retry, one failed
      // sync is not news.
      expr: (t) => `min by (service) (integration_sync_success_rate{${S}}) < ${formatNumber(t)}`,
      for: '30m',
      severity: 'warning',
      labels: BUSINESS,
      summary: 'An integration keeps failing to synchronize.',
      description: 'Only {{ $value | humanizePercentage }} of the {{ $labels.service }} synchronizations succeed.',
      dashboard: { uid: DASHBOARDS.overview },
      tests: [
        {
          name: 'SyncFailures: Overseerr syncs fail',
          series: [sync('overseerr', '1x5 0.5x40'), sync('plex', '1x45')],
          alerts: [
            { at: '5m', state: 'inactive' },
            { at: '20m', state: 'pending', alerts: [{ labels: { service: 'overseerr' } }] },
            { at: '40m', state: 'firing', alerts: [{ labels: { service: 'overseerr' }, annotations: { description: 'Only 50% of the overseerr synchronizations succeed.' } }] },
          ],
        },
        { name: 'SyncFailures: 95% succeed', series: [sync('plex', '0.95x45')], alerts: [{ at: '40m', state: 'inactive' }] },
      ],
    }),
  ];
}

/**
 * 002 business: "User Activity: significant drop in user engagement". In a pack of its own: its test
 * needs a week of history, and promtool evaluates every rule of a file at every step of it.
 */
export function mediaNestEngagementPack(): RulePack {
  const dashboard = { uid: DASHBOARDS.business };
  const sessions = (values: string) => gauge(`user_sessions_active{${backend}}`, values);
  return {
    name: 'medianest-engagement',
    source: 'examples/medianest/alerts.ts',
    catalogues: [mediaNestMetricCatalogue()],
    groups: [ruleGroup({
      name: 'medianest-engagement.alerts',
      rules: [
        alertRule({
          name: 'UserActivityDrop',
          runbook: 'examples/medianest/runbooks/UserActivityDrop.md',
          threshold: 0.5,
          // 002 business: "significant drop in user engagement". Significant is taken as fewer than half
          // the active sessions of the same time a week earlier (usage follows a weekly rhythm), for 30
          // minutes. A new installation without a week of history does not alert.
          expr: (t) => `sum by (job) (user_sessions_active{${S}}) / sum by (job) (user_sessions_active{${S}} offset 1w) < ${formatNumber(t)}`,
          for: '30m',
          severity: 'warning',
          labels: BUSINESS,
          summary: 'MediaNest has far fewer active users than a week ago.',
          description: 'Active sessions are at {{ $value | humanizePercentage }} of the same time last week.',
          dashboard,
          tests: [
            {
              // A sample every 5 minutes (inside Prometheus' 5-minute lookback) for a week and a bit.
              name: 'UserActivityDrop: 40 sessions all last week, 10 now',
              interval: '5m',
              series: [sessions('40x2016 10x24')],
              alerts: [
                { at: '168h', state: 'inactive' },
                { at: '168h20m', state: 'pending', alerts: [{ labels: { job: BACKEND_JOB } }] },
                { at: '169h', state: 'firing', alerts: [{ labels: { job: BACKEND_JOB }, annotations: { description: 'Active sessions are at 25% of the same time last week.' } }] },
              ],
            },
            { name: 'UserActivityDrop: the same as last week', interval: '5m', series: [sessions('40x2040')], alerts: [{ at: '169h', state: 'inactive' }] },
          ],
        }),
      ],
    })],
  };
}

/** MediaNest's own alerts: infrastructure, application and business. */
export function mediaNestAppPack(): RulePack {
  return {
    name: 'medianest-app',
    source: 'examples/medianest/alerts.ts',
    catalogues: [mediaNestMetricCatalogue(), MEDIANEST_ALERT_METRICS, NODEJS_RUNTIME, NODE_EXPORTER, NODE_RECORDS, PROMETHEUS_SYNTHETIC, { name: 'medianest-http-records', source: 'the medianest HTTP pack', metrics: { 'job:http_requests_errors:ratio_rate5m': { type: 'gauge', help: 'Error ratio per job.' } } }],
    groups: [
      ruleGroup({ name: 'medianest-infrastructure.alerts', rules: infrastructureAlerts() }),
      ruleGroup({ name: 'medianest-application.alerts', rules: applicationAlerts() }),
      ruleGroup({ name: 'medianest-business.alerts', rules: businessAlerts() }),
    ],
  };
}

/**
 * 001 business: "User Authentication Issues: > 5% failed logins", for the Loki ruler. MediaNest logs
 * each login as a business event (seed 002: `"event": "user.login.success"`, failures
 * `user.login.failure`); the share of failures among them over 15 minutes. LogQL, so it has no
 * promtool test: its expression is checked by the LogQL parser when the stack is synthesized.
 */
export function mediaNestLogRulePack(): RulePack {
  const logins = (event: string) => `sum by (namespace) (count_over_time({namespace="medianest"} |= "user.login" | json | event=~\`${event}\` [15m]))`;
  return {
    name: 'medianest-logs',
    target: 'loki',
    source: 'examples/medianest/alerts.ts',
    groups: [ruleGroup({
      name: 'medianest-logs.alerts',
      rules: [alertRule({
        name: 'UserAuthenticationIssues',
        threshold: 0.05,
        expr: (t) => `${logins('user\\.login\\.fail.*')}\n  /\n${logins('user\\.login\\..+')} > ${formatNumber(t)}`,
        // The seed gives no duration: 10 minutes, so a short burst of mistyped passwords does not alert.
        for: '10m',
        severity: 'warning',
        labels: BUSINESS,
        summary: 'More than 5% of MediaNest logins fail.',
        description: '{{ $value | humanizePercentage }} of the logins of the last 15 minutes failed.',
        runbook: 'docs/runbooks/LogAuthenticationFailures.md',
        dashboard: { uid: 'medianest-logs' },
      })],
    })],
  };
}

/** Every MediaNest Prometheus rule pack, in the order they are rendered. */
export function mediaNestRulePacks(): RulePack[] {
  return [mediaNestHttpPack(), mediaNestQueuePack(), mediaNestExternalApiPack(), mediaNestAppPack(), mediaNestEngagementPack()];
}
