import {
  appContext, AppDashboardOptions, DashboardDefinition, DashboardLinkDefinition, dashboardUid, gauge, MetricCatalogue, MetricInfo, PROMETHEUS_SYNTHETIC, row, stat, table, timeseries,
} from '../../index';

/**
 * CanvasCast (seed 003): the three dashboards its PRD lists — System Overview, Pipeline Performance and
 * Business Metrics — built only from the metrics the PRD defines. Two wishes have no metric in the seed:
 * "active users" (shown as open HTTP connections unless `activeUsersMetric` names a gauge) and "active
 * subscriptions" (shown as subscription revenue unless `activeSubscriptionsMetric` names a gauge).
 */

/** CanvasCast's metrics (`apps/api` and `apps/worker` in the seed), unprefixed. */
export const CANVASCAST_METRICS: Readonly<Record<string, MetricInfo>> = {
  http_request_duration_seconds: { type: 'histogram', help: 'HTTP request duration.', labels: ['method', 'route', 'status'] },
  http_requests_total: { type: 'counter', help: 'HTTP requests.', labels: ['method', 'route', 'status'] },
  http_active_connections: { type: 'gauge', help: 'Open HTTP connections.' },
  job_duration_seconds: { type: 'histogram', help: 'Job processing duration.', labels: ['status', 'niche'] },
  pipeline_step_duration_seconds: { type: 'histogram', help: 'Pipeline step duration.', labels: ['step', 'status'] },
  job_queue_depth: { type: 'gauge', help: 'Jobs waiting in the queue.' },
  jobs_by_status: { type: 'gauge', help: 'Jobs by status.', labels: ['status'] },
  credits_used_total: { type: 'counter', help: 'Credits consumed.' },
  revenue_usd_total: { type: 'counter', help: 'Revenue in USD.', labels: ['type'] },
  signups_total: { type: 'counter', help: 'User signups.', labels: ['method'] },
};

/** Label names the CanvasCast dashboards use. */
export type CanvasCastLabel = 'method' | 'route' | 'status' | 'step' | 'type';
const LABELS: Record<CanvasCastLabel, string> = { method: 'method', route: 'route', status: 'status', step: 'step', type: 'type' };

/** Options of the CanvasCast dashboards. */
export interface CanvasCastDashboardOptions extends AppDashboardOptions<CanvasCastLabel> {
  /**
   * Regex of the `status` values of a failed job or step.
   * @default '(?i)failed|error'
   */
  readonly failedStatus?: string;
  /**
   * Regex of the `status` values of a completed job.
   * @default '(?i)completed|succeeded|success'
   */
  readonly completedStatus?: string;
  /**
   * A gauge of active users, once the app exports one (unprefixed name).
   * @default - open HTTP connections stand in
   */
  readonly activeUsersMetric?: string;
  /**
   * A gauge of active subscriptions, once the app exports one (unprefixed name).
   * @default - subscription revenue stands in
   */
  readonly activeSubscriptionsMetric?: string;
}

/** CanvasCast's metrics (plus the optional gauges named in the options) with the options applied. */
export function canvasCastMetricCatalogue(options: CanvasCastDashboardOptions = {}): MetricCatalogue {
  const extra: Record<string, MetricInfo> = {};
  if (options.activeUsersMetric) extra[options.activeUsersMetric] = { type: 'gauge', help: 'Active users (named in the dashboard options).' };
  if (options.activeSubscriptionsMetric) extra[options.activeSubscriptionsMetric] = { type: 'gauge', help: 'Active subscriptions (named in the dashboard options).' };
  return appContext('CanvasCast', LABELS, 'http_requests_total', options).catalogue('canvascast', 'seed 003: section 5, Metrics Collection', { ...CANVASCAST_METRICS, ...extra });
}

const RATE = '[$__rate_interval]';

function context(options: CanvasCastDashboardOptions) {
  const a = appContext('CanvasCast', LABELS, 'http_requests_total', options);
  const failed = `${a.l('status')}=~"${options.failedStatus ?? '(?i)failed|error'}"`;
  const completed = `${a.l('status')}=~"${options.completedStatus ?? '(?i)completed|succeeded|success'}"`;
  const metrics = [canvasCastMetricCatalogue(options), PROMETHEUS_SYNTHETIC];
  return { a, failed, completed, metrics };
}

/** The three dashboards link to each other. */
function siblings(options: CanvasCastDashboardOptions, self: string): DashboardLinkDefinition[] {
  const a = appContext('CanvasCast', LABELS, 'http_requests_total', options);
  return ['System Overview', 'Pipeline Performance', 'Business Metrics']
    .filter((n) => n !== self)
    .map((n) => ({ title: n, uid: dashboardUid({ title: a.title(n) }), includeVars: true }));
}

/** "System Overview": request rate and latency, error rate, active users, queue depth. */
export function canvasCastSystemOverviewDashboard(options: CanvasCastDashboardOptions = {}): DashboardDefinition {
  const { a, metrics } = context(options);
  const [route, status] = [a.l('route'), a.l('status')];
  const requests = `sum(rate(${a.sel('http_requests_total')}${RATE}))`;
  const errors = `sum(rate(${a.sel('http_requests_total', `${status}=~"5.."`)}${RATE}))`;
  const users = options.activeUsersMetric
    ? stat({ title: 'Active Users', queries: [{ expr: `sum(${a.sel(options.activeUsersMetric)})` }] })
    : stat({ title: 'Active Users', description: 'Open HTTP connections: the seed exports no user gauge (set activeUsersMetric once it does).', queries: [{ expr: `sum(${a.sel('http_active_connections')})` }] });
  return {
    title: a.title('System Overview'),
    description: 'CanvasCast API and queue at a glance.',
    folder: a.folder,
    tags: ['canvascast'],
    variables: a.variables,
    links: siblings(options, 'System Overview'),
    metrics,
    rows: [
      row('Now', [
        stat({ title: 'Request Rate', unit: 'reqps', queries: [{ expr: requests }] }),
        stat({ title: 'Error Rate', unit: 'percentunit', decimals: 2, queries: [{ expr: `${errors} / ${requests}` }], thresholds: { steps: [{ value: 0.01, color: 'orange' }, { value: 0.05, color: 'red' }] } }),
        users,
        gauge({ title: 'Job Queue Depth', min: 0, max: 200, queries: [{ expr: `sum(${a.sel('job_queue_depth')})` }], thresholds: { base: 'green', steps: [{ value: 50, color: 'orange' }, { value: 100, color: 'red' }] } }),
      ]),
      row('Requests', [
        timeseries({ title: 'Request Rate', unit: 'reqps', queries: [{ expr: `sum by (${route}) (rate(${a.sel('http_requests_total')}${RATE}))`, legend: `{{ ${route} }}` }] }),
        timeseries({
          title: 'Request Latency', unit: 's', thresholds: { steps: [{ value: 5, color: 'red' }] },
          queries: [0.5, 0.95, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(${a.sel('http_request_duration_seconds_bucket')}${RATE})))`, legend: `p${q * 100}` })),
        }),
        timeseries({
          title: 'Error Rate', unit: 'percentunit', thresholds: { steps: [{ value: 0.05, color: 'red' }] },
          queries: [{ expr: `sum by (${route}) (rate(${a.sel('http_requests_total', `${status}=~"5.."`)}${RATE})) / sum by (${route}) (rate(${a.sel('http_requests_total')}${RATE}))`, legend: `{{ ${route} }}` }],
        }),
        timeseries({ title: 'Queue Depth', unit: 'short', queries: [{ expr: `sum(${a.sel('job_queue_depth')})`, legend: 'waiting jobs' }], thresholds: { steps: [{ value: 100, color: 'red' }] } }),
      ]),
    ],
  };
}

/** "Pipeline Performance": job completion rate, step durations, failure distribution, cost per job. */
export function canvasCastPipelineDashboard(options: CanvasCastDashboardOptions = {}): DashboardDefinition {
  const { a, failed, completed, metrics } = context(options);
  const [status, step] = [a.l('status'), a.l('step')];
  const jobsDone = (range: string) => `sum(increase(${a.sel('job_duration_seconds_count', completed)}[${range}]))`;
  const credits = (range: string) => `sum(increase(${a.sel('credits_used_total')}[${range}]))`;
  return {
    title: a.title('Pipeline Performance'),
    description: 'CanvasCast worker: how many jobs complete, how long each step takes, where jobs fail and what a job costs.',
    folder: a.folder,
    tags: ['canvascast'],
    variables: a.variables,
    links: siblings(options, 'Pipeline Performance'),
    metrics,
    rows: [
      row('In the selected range', [
        stat({ title: 'Jobs completed', queries: [{ expr: jobsDone('$__range') }] }),
        stat({ title: 'Jobs failed', queries: [{ expr: `sum(increase(${a.sel('job_duration_seconds_count', failed)}[$__range]))` }], thresholds: { steps: [{ value: 1, color: 'orange' }] } }),
        stat({
          title: 'Job failure ratio', unit: 'percentunit', decimals: 1, thresholds: { steps: [{ value: 0.05, color: 'orange' }, { value: 0.1, color: 'red' }] },
          queries: [{ expr: `sum(increase(${a.sel('job_duration_seconds_count', failed)}[$__range])) / sum(increase(${a.sel('job_duration_seconds_count')}[$__range]))` }],
        }),
        stat({ title: 'Cost per job', description: 'Credits used per completed job.', decimals: 1, queries: [{ expr: `${credits('$__range')} / ${jobsDone('$__range')}` }] }),
      ]),
      row('Jobs', [
        timeseries({ title: 'Job completion rate', unit: 'short', description: 'Jobs finished per second, by status.', queries: [{ expr: `sum by (${status}) (rate(${a.sel('job_duration_seconds_count')}${RATE}))`, legend: `{{ ${status} }}` }] }),
        timeseries({
          title: 'Job duration', unit: 's',
          queries: [0.5, 0.95].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(${a.sel('job_duration_seconds_bucket', completed)}${RATE})))`, legend: `p${q * 100}` })),
        }),
        timeseries({ title: 'Jobs by status', unit: 'short', stacked: true, queries: [{ expr: `sum by (${status}) (${a.sel('jobs_by_status')})`, legend: `{{ ${status} }}` }] }),
        timeseries({ title: 'Cost per job', description: 'Credits used per completed job, over the hour before each point.', decimals: 1, queries: [{ expr: `${credits('1h')} / ${jobsDone('1h')}`, legend: 'credits per job' }] }),
      ]),
      row('Steps', [
        timeseries({
          title: 'Step durations (p95)', unit: 's', legend: { mode: 'table', placement: 'right', calcs: ['mean', 'max'] },
          queries: [{ expr: `histogram_quantile(0.95, sum by (le, ${step}) (rate(${a.sel('pipeline_step_duration_seconds_bucket')}${RATE})))`, legend: `{{ ${step} }}` }],
        }),
        table({ title: 'Failure distribution by step', width: 12, queries: [{ expr: `sort_desc(sum by (${step}) (increase(${a.sel('pipeline_step_duration_seconds_count', failed)}[$__range])) > 0)` }] }),
      ]),
    ],
  };
}

/** "Business Metrics": signups and purchases, revenue, credit usage, subscriptions. */
export function canvasCastBusinessDashboard(options: CanvasCastDashboardOptions = {}): DashboardDefinition {
  const { a, metrics } = context(options);
  const [method, type] = [a.l('method'), a.l('type')];
  const subscriptions = options.activeSubscriptionsMetric
    ? stat({ title: 'Active Subscriptions', queries: [{ expr: `sum(${a.sel(options.activeSubscriptionsMetric)})` }] })
    : stat({
      title: 'Subscription Revenue', unit: 'currencyUSD', description: 'Subscription revenue in the range: the seed exports no subscription gauge (set activeSubscriptionsMetric once it does).',
      queries: [{ expr: `sum(increase(${a.sel('revenue_usd_total', `${type}="subscription"`)}[$__range]))` }],
    });
  return {
    title: a.title('Business Metrics'),
    description: 'CanvasCast signups, revenue, credit usage and subscriptions.',
    folder: a.folder,
    tags: ['canvascast', 'business'],
    variables: a.variables,
    links: siblings(options, 'Business Metrics'),
    metrics,
    timeFrom: 'now-7d',
    rows: [
      row('In the selected range', [
        stat({ title: 'Signups', queries: [{ expr: `sum(increase(${a.sel('signups_total')}[$__range]))` }] }),
        stat({ title: 'Revenue', unit: 'currencyUSD', queries: [{ expr: `sum(increase(${a.sel('revenue_usd_total')}[$__range]))` }] }),
        stat({ title: 'Credits used', queries: [{ expr: `sum(increase(${a.sel('credits_used_total')}[$__range]))` }] }),
        subscriptions,
      ]),
      row('Trends', [
        timeseries({
          title: 'Signups and purchases', unit: 'short', description: 'Per hour: signups by method, and purchases (revenue events of type purchase, in USD).',
          queries: [
            { expr: `sum by (${method}) (increase(${a.sel('signups_total')}[1h]))`, legend: 'signups ({{ ' + method + ' }})' },
            { expr: `sum(increase(${a.sel('revenue_usd_total', `${type}="purchase"`)}[1h]))`, legend: 'purchases (USD)' },
          ],
        }),
        timeseries({ title: 'Revenue by type', unit: 'currencyUSD', description: 'Per hour.', stacked: true, queries: [{ expr: `sum by (${type}) (increase(${a.sel('revenue_usd_total')}[1h]))`, legend: `{{ ${type} }}` }] }),
        timeseries({ title: 'Credit usage', unit: 'short', description: 'Credits per hour.', queries: [{ expr: `sum(increase(${a.sel('credits_used_total')}[1h]))`, legend: 'credits' }] }),
        options.activeSubscriptionsMetric
          ? timeseries({ title: 'Active Subscriptions', unit: 'short', queries: [{ expr: `sum(${a.sel(options.activeSubscriptionsMetric)})`, legend: 'subscriptions' }] })
          : timeseries({ title: 'Subscription revenue', unit: 'currencyUSD', description: 'Per day.', queries: [{ expr: `sum(increase(${a.sel('revenue_usd_total', `${type}="subscription"`)}[1d]))`, legend: 'subscriptions' }] }),
      ]),
    ],
  };
}

/** Every CanvasCast dashboard. */
export function canvasCastDashboards(options: CanvasCastDashboardOptions = {}): DashboardDefinition[] {
  return [canvasCastSystemOverviewDashboard(options), canvasCastPipelineDashboard(options), canvasCastBusinessDashboard(options)];
}
