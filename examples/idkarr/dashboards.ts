import {
  appContext, AppDashboardOptions, DashboardDefinition, gauge, MetricCatalogue, MetricInfo, PROMETHEUS_SYNTHETIC, row, stat, timeseries,
} from '../../index';

/**
 * idkarr (seed 000): its "idkarr Overview" dashboard with the eight panels the seed lists, written as
 * a reusable dashboard. The seed's `[5m]` ranges become `$__rate_interval` (right at every zoom level);
 * the success ratio keeps the seed's `[1h]`.
 */

/** The metrics idkarr's backend exports (`backend/src/lib/metrics.ts` in the seed), unprefixed. */
export const IDKARR_METRICS: Readonly<Record<string, MetricInfo>> = {
  http_requests_total: { type: 'counter', help: 'HTTP requests.', labels: ['method', 'path', 'status'] },
  http_request_duration_seconds: { type: 'histogram', help: 'HTTP request duration.', labels: ['method', 'path', 'status'] },
  db_query_duration_seconds: { type: 'histogram', help: 'Database query duration.', labels: ['operation', 'table'] },
  db_connections_active: { type: 'gauge', help: 'Active database connections.' },
  queue_jobs_total: { type: 'counter', help: 'Queue jobs.', labels: ['queue', 'status'] },
  queue_job_duration_seconds: { type: 'histogram', help: 'Queue job duration.', labels: ['queue', 'job_type'] },
  queue_depth: { type: 'gauge', help: 'Jobs in a queue.', labels: ['queue', 'state'] },
  downloads_total: { type: 'counter', help: 'Downloads.', labels: ['status', 'protocol', 'indexer'] },
  download_duration_seconds: { type: 'histogram', help: 'Download duration.', labels: ['protocol'] },
  indexer_requests_total: { type: 'counter', help: 'Indexer requests.', labels: ['indexer', 'type', 'status'] },
  indexer_response_time_seconds: { type: 'histogram', help: 'Indexer response time.', labels: ['indexer'] },
  series_count: { type: 'gauge', help: 'Series in the library.', labels: ['instance', 'status'] },
  movies_count: { type: 'gauge', help: 'Movies in the library.', labels: ['instance', 'status'] },
  episode_files_count: { type: 'gauge', help: 'Episode files.' },
  media_storage_bytes: { type: 'gauge', help: 'Media storage used.', labels: ['instance', 'type'] },
  external_api_requests_total: { type: 'counter', help: 'External API requests.', labels: ['service', 'endpoint', 'status'] },
  external_api_response_time_seconds: { type: 'histogram', help: 'External API response time.', labels: ['service'] },
  ws_connections_active: { type: 'gauge', help: 'Active WebSocket connections.' },
  ws_messages_total: { type: 'counter', help: 'WebSocket messages.', labels: ['direction', 'type'] },
};

/** Label names the idkarr dashboards use. */
export type IdkarrLabel = 'status' | 'queue' | 'state' | 'indexer';
const LABELS: Record<IdkarrLabel, string> = { status: 'status', queue: 'queue', state: 'state', indexer: 'indexer' };

/** Options of the idkarr dashboards. */
export interface IdkarrDashboardOptions extends AppDashboardOptions<IdkarrLabel> {
  /**
   * Capacity of the media storage in bytes: the maximum of the "Storage Usage" gauge.
   * @default - the gauge scales to the value
   */
  readonly storageCapacityBytes?: number;
  /**
   * Value of the `status` label of a successful download.
   * @default 'success'
   */
  readonly downloadSuccessStatus?: string;
}

/** idkarr's metrics with the options applied. */
export function idkarrMetricCatalogue(options: IdkarrDashboardOptions = {}): MetricCatalogue {
  return appContext('idkarr', LABELS, 'http_requests_total', options).catalogue('idkarr', 'seed 000: backend/src/lib/metrics.ts', IDKARR_METRICS);
}

/** "idkarr Overview": request rate and latency, downloads, queues, library and indexers. */
export function idkarrOverviewDashboard(options: IdkarrDashboardOptions = {}): DashboardDefinition {
  const a = appContext('idkarr', LABELS, 'http_requests_total', options);
  const RATE = '[$__rate_interval]';
  const success = options.downloadSuccessStatus ?? 'success';
  return {
    title: a.title('Overview'),
    description: 'idkarr at a glance: traffic, latency, downloads, queues, library size and indexer response times.',
    folder: a.folder,
    tags: ['idkarr'],
    variables: a.variables,
    metrics: [idkarrMetricCatalogue(options), PROMETHEUS_SYNTHETIC],
    rows: [
      row('Traffic', [
        timeseries({
          title: 'Request Rate', unit: 'reqps',
          queries: [{ expr: `sum by (${a.l('status')}) (rate(${a.sel('http_requests_total')}${RATE}))`, legend: `{{ ${a.l('status')} }}` }],
        }),
        timeseries({
          title: 'Request Latency (P95)', unit: 's', thresholds: { steps: [{ value: 2, color: 'red' }] },
          queries: [{ expr: `histogram_quantile(0.95, sum by (le) (rate(${a.sel('http_request_duration_seconds_bucket')}${RATE})))`, legend: 'P95' }],
        }),
      ]),
      row('Downloads and library', [
        stat({ title: 'Active Downloads', queries: [{ expr: `sum(${a.sel('queue_depth', `${a.l('queue')}="download"`, `${a.l('state')}="active"`)})` }] }),
        gauge({
          title: 'Download Success Rate', unit: 'percentunit', min: 0, max: 1,
          thresholds: { base: 'red', steps: [{ value: 0.9, color: 'orange' }, { value: 0.95, color: 'green' }] },
          queries: [{ expr: `sum(rate(${a.sel('downloads_total', `${a.l('status')}="${success}"`)}[1h])) / sum(rate(${a.sel('downloads_total')}[1h]))` }],
        }),
        gauge({
          title: 'Storage Usage', unit: 'bytes', min: 0, max: options.storageCapacityBytes,
          thresholds: options.storageCapacityBytes ? { base: 'green', steps: [{ value: 0.8 * options.storageCapacityBytes, color: 'orange' }, { value: 0.9 * options.storageCapacityBytes, color: 'red' }] } : undefined,
          queries: [{ expr: `sum(${a.sel('media_storage_bytes')})` }],
        }),
        stat({ title: 'Series Count', queries: [{ expr: `sum(${a.sel('series_count')})` }] }),
        timeseries({
          title: 'Queue Depth', unit: 'short',
          queries: [{ expr: `sum by (${a.l('queue')}, ${a.l('state')}) (${a.sel('queue_depth')})`, legend: `{{ ${a.l('queue')} }} ({{ ${a.l('state')} }})` }],
        }),
        timeseries({
          title: 'Indexer Response Time', unit: 's', description: '95th percentile per indexer.',
          queries: [{ expr: `histogram_quantile(0.95, sum by (le, ${a.l('indexer')}) (rate(${a.sel('indexer_response_time_seconds_bucket')}${RATE})))`, legend: `{{ ${a.l('indexer')} }}` }],
        }),
      ]),
    ],
  };
}

/** Every idkarr dashboard. */
export function idkarrDashboards(options: IdkarrDashboardOptions = {}): DashboardDefinition[] {
  return [idkarrOverviewDashboard(options)];
}
