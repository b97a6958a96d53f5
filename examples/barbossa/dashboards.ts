import {
  appContext, AppDashboardOptions, DashboardDefinition, MetricCatalogue, MetricInfo, PROMETHEUS_SYNTHETIC, row, stat, timeseries,
} from '../../index';

/**
 * Barbossa (seed 004): its "Barbossa Overview" dashboard with the six panels the seed lists. The seed
 * computes p95 latency and the error rate per series; here they are aggregated (`sum by (le, endpoint)`,
 * `sum`) so the panels show one line per endpoint and one error line whatever the number of pods.
 */

/** Barbossa's metrics (`app/metrics.py` in the seed), without the `barbossa_` prefix. */
export const BARBOSSA_METRICS: Readonly<Record<string, MetricInfo>> = {
  requests_total: { type: 'counter', help: 'HTTP requests.', labels: ['method', 'endpoint', 'status'] },
  request_latency_seconds: { type: 'histogram', help: 'Request latency.', labels: ['method', 'endpoint'] },
  downloads_total: { type: 'counter', help: 'Downloads.', labels: ['source', 'status'] },
  download_duration_seconds: { type: 'histogram', help: 'Download duration.', labels: ['source'] },
  active_downloads: { type: 'gauge', help: 'Downloads in progress.' },
  imports_total: { type: 'counter', help: 'Imports.', labels: ['status', 'source'] },
  library_tracks_total: { type: 'gauge', help: 'Tracks in the library (a gauge despite the _total suffix).' },
  library_size_bytes: { type: 'gauge', help: 'Library size.' },
  active_users: { type: 'gauge', help: 'Active users.' },
  websocket_connections: { type: 'gauge', help: 'Open WebSocket connections.' },
  celery_queue_length: { type: 'gauge', help: 'Celery queue length.', labels: ['queue'] },
  app_info: { type: 'gauge', help: 'Application information (prometheus_client Info).', labels: ['version', 'python_version'] },
};

/** Label names the Barbossa dashboard uses. */
export type BarbossaLabel = 'method' | 'endpoint' | 'status' | 'queue';
const LABELS: Record<BarbossaLabel, string> = { method: 'method', endpoint: 'endpoint', status: 'status', queue: 'queue' };

/** Options of the Barbossa dashboards; `metricPrefix` defaults to `barbossa_`. */
export interface BarbossaDashboardOptions extends AppDashboardOptions<BarbossaLabel> {
  /**
   * Celery queue whose length is "Download Queue".
   * @default 'downloads'
   */
  readonly downloadQueue?: string;
}

const withDefaults = (o: BarbossaDashboardOptions): BarbossaDashboardOptions => ({ metricPrefix: 'barbossa_', ...o });

/** Barbossa's metrics with the options applied. */
export function barbossaMetricCatalogue(options: BarbossaDashboardOptions = {}): MetricCatalogue {
  return appContext('Barbossa', LABELS, 'requests_total', withDefaults(options)).catalogue('barbossa', 'seed 004: app/metrics.py', BARBOSSA_METRICS);
}

/** "Barbossa Overview": requests, latency, errors, downloads and the library. */
export function barbossaOverviewDashboard(options: BarbossaDashboardOptions = {}): DashboardDefinition {
  const a = appContext('Barbossa', LABELS, 'requests_total', withDefaults(options));
  const RATE = '[$__rate_interval]';
  const [method, endpoint, status] = [a.l('method'), a.l('endpoint'), a.l('status')];
  return {
    title: a.title('Overview'),
    description: 'Barbossa at a glance: API traffic, latency and errors, downloads and the library.',
    folder: a.folder,
    tags: ['barbossa'],
    variables: a.variables,
    metrics: [barbossaMetricCatalogue(options), PROMETHEUS_SYNTHETIC],
    rows: [
      row('Downloads and library', [
        stat({ title: 'Active Downloads', width: 8, queries: [{ expr: `sum(${a.sel('active_downloads')})` }] }),
        stat({
          title: 'Download Queue', width: 8, thresholds: { steps: [{ value: 100, color: 'orange' }] },
          queries: [{ expr: `sum(${a.sel('celery_queue_length', `${a.l('queue')}="${options.downloadQueue ?? 'downloads'}"`)})` }],
        }),
        stat({ title: 'Library Size', width: 8, unit: 'short', description: 'Tracks in the library.', queries: [{ expr: `sum(${a.sel('library_tracks_total')})` }] }),
      ]),
      row('Requests', [
        timeseries({
          title: 'Request Rate', unit: 'reqps',
          queries: [{ expr: `sum by (${method}, ${endpoint}) (rate(${a.sel('requests_total')}${RATE}))`, legend: `{{ ${method} }} {{ ${endpoint} }}` }],
        }),
        timeseries({
          title: 'Request Latency (p95)', unit: 's', thresholds: { steps: [{ value: 2, color: 'red' }] },
          queries: [{ expr: `histogram_quantile(0.95, sum by (le, ${endpoint}) (rate(${a.sel('request_latency_seconds_bucket')}${RATE})))`, legend: `{{ ${endpoint} }}` }],
        }),
        timeseries({
          title: 'Error Rate', unit: 'reqps', width: 24, thresholds: { steps: [{ value: 0.1, color: 'red' }] },
          queries: [{ expr: `sum(rate(${a.sel('requests_total', `${status}=~"5.."`)}${RATE}))`, legend: '5xx errors' }],
        }),
      ]),
    ],
  };
}

/** Every Barbossa dashboard. */
export function barbossaDashboards(options: BarbossaDashboardOptions = {}): DashboardDefinition[] {
  return [barbossaOverviewDashboard(options)];
}
