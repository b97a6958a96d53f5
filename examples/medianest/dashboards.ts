import {
  appContext, AppDashboardOptions, DashboardDefinition, DashboardLinkDefinition, dashboardUid, gauge, labelVariable, logs, MetricCatalogue, MetricInfo, NODE_EXPORTER, NODEJS_RUNTIME, POSTGRES_EXPORTER, PROCESS_METRICS, PROMETHEUS_SYNTHETIC, REDIS_EXPORTER, row, stat, table, timeseries,
} from '../../index';

/**
 * MediaNest (seed 001): the five dashboards its monitoring guide lists — Overview, API Performance,
 * Infrastructure, Business Metrics and Logs — on the metric names of its observability architecture
 * (seed 002) and the exporters Vigil deploys for its PostgreSQL and Redis.
 */

/** MediaNest's backend metrics (seed 002, "Metrics Strategy"), unprefixed. */
export const MEDIANEST_METRICS: Readonly<Record<string, MetricInfo>> = {
  http_requests_total: { type: 'counter', help: 'HTTP requests.', labels: ['method', 'endpoint', 'status_code'] },
  http_request_duration_seconds: { type: 'histogram', help: 'HTTP request duration.', labels: ['method', 'endpoint'] },
  http_requests_in_flight: { type: 'gauge', help: 'Requests being served.', labels: ['method', 'endpoint'] },
  plex_api_requests_total: { type: 'counter', help: 'Plex API requests.', labels: ['operation', 'status'] },
  plex_api_response_time_seconds: { type: 'histogram', help: 'Plex API response time.', labels: ['operation'] },
  media_requests_total: { type: 'counter', help: 'Media requests.', labels: ['type', 'status'] },
  user_sessions_active: { type: 'gauge', help: 'Active user sessions.' },
  background_jobs_total: { type: 'counter', help: 'Background (BullMQ) jobs.', labels: ['queue', 'status'] },
  database_connections_active: { type: 'gauge', help: 'Active database connections.' },
  database_query_duration_seconds: { type: 'histogram', help: 'Database query duration.', labels: ['operation', 'table'] },
  database_queries_total: { type: 'counter', help: 'Database queries.', labels: ['operation', 'status'] },
  prisma_query_duration_seconds: { type: 'histogram', help: 'Prisma query duration.', labels: ['model', 'operation'] },
  redis_commands_total: { type: 'counter', help: 'Redis commands issued by the app.', labels: ['command', 'status'] },
  cache_hit_ratio: { type: 'gauge', help: 'Cache hit ratio (0–1).', labels: ['cache_type'] },
  concurrent_websocket_connections: { type: 'gauge', help: 'Open WebSocket connections.' },
  circuit_breaker_state: { type: 'gauge', help: 'Circuit breaker state per external service.', labels: ['service'] },
  user_logins_total: { type: 'counter', help: 'User logins.' },
  user_sessions_duration_seconds: { type: 'histogram', help: 'Session duration.' },
  media_views_total: { type: 'counter', help: 'Media views.', labels: ['media_type'] },
  search_queries_total: { type: 'counter', help: 'Searches.' },
  feature_usage_total: { type: 'counter', help: 'Feature usage.', labels: ['feature'] },
  service_health_status: { type: 'gauge', help: 'Health of an integrated service (1 healthy).', labels: ['service'] },
};

/** Label names the MediaNest dashboards use. */
export type MediaNestLabel = 'method' | 'endpoint' | 'status' | 'outcome' | 'operation' | 'type' | 'queue' | 'mediaType' | 'cacheType' | 'service' | 'model' | 'feature';
const LABELS: Record<MediaNestLabel, string> = {
  // `status` is the HTTP status code; `outcome` the result of a Plex call, media request or job.
  method: 'method', endpoint: 'endpoint', status: 'status_code', outcome: 'status', operation: 'operation', type: 'type', queue: 'queue',
  mediaType: 'media_type', cacheType: 'cache_type', service: 'service', model: 'model', feature: 'feature',
};

/** Options of the MediaNest dashboards. */
export interface MediaNestDashboardOptions extends AppDashboardOptions<MediaNestLabel> {
  /**
   * Loki stream matchers of the backend's logs (without braces), e.g. `namespace="medianest", app="backend"`.
   * @default 'namespace="medianest"'
   */
  readonly logMatchers?: string;
}

/** MediaNest's metrics with the options applied. */
export function mediaNestMetricCatalogue(options: MediaNestDashboardOptions = {}): MetricCatalogue {
  return appContext('MediaNest', LABELS, 'http_requests_total', options).catalogue('medianest', 'seed 002: Metrics Strategy', MEDIANEST_METRICS);
}

const RATE = '[$__rate_interval]';
const NAMES = ['Overview', 'API Performance', 'Infrastructure', 'Business Metrics', 'Logs'] as const;

function context(options: MediaNestDashboardOptions) {
  const a = appContext('MediaNest', LABELS, 'http_requests_total', options);
  const links = (self: (typeof NAMES)[number]): DashboardLinkDefinition[] => NAMES.filter((n) => n !== self).map((n) => ({ title: n, uid: dashboardUid({ title: a.title(n) }), includeVars: true }));
  const requests = `sum(rate(${a.sel('http_requests_total')}${RATE}))`;
  const errorRatio = `sum(rate(${a.sel('http_requests_total', `${a.l('status')}=~"5.."`)}${RATE})) / ${requests}`;
  const p = (q: number, by = '') => `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (rate(${a.sel('http_request_duration_seconds_bucket')}${RATE})))`;
  return { a, links, requests, errorRatio, p, app: mediaNestMetricCatalogue(options) };
}

/** "Overview": system health, key performance indicators and the alerts that are firing. */
export function mediaNestOverviewDashboard(options: MediaNestDashboardOptions = {}): DashboardDefinition {
  const { a, links, requests, errorRatio, p, app } = context(options);
  return {
    title: a.title('Overview'),
    description: 'MediaNest health summary, key performance indicators and alert status.',
    folder: a.folder,
    tags: ['medianest'],
    variables: a.variables,
    links: links('Overview'),
    metrics: [app, PROMETHEUS_SYNTHETIC],
    rows: [
      row('Health', [
        stat({ title: 'Backend up', description: 'Share of backend targets Prometheus can scrape.', unit: 'percentunit', queries: [{ expr: `avg(up{${a.matchers}})` }], thresholds: { base: 'red', steps: [{ value: 1, color: 'green' }] }, colorMode: 'background' }),
        stat({ title: 'Requests', unit: 'reqps', queries: [{ expr: requests }] }),
        stat({ title: 'Error rate', unit: 'percentunit', decimals: 2, queries: [{ expr: errorRatio }], thresholds: { steps: [{ value: 0.01, color: 'orange' }, { value: 0.05, color: 'red' }] } }),
        stat({ title: 'P95 latency', unit: 's', queries: [{ expr: p(0.95) }], thresholds: { steps: [{ value: 1, color: 'orange' }, { value: 2, color: 'red' }] } }),
        stat({ title: 'Active sessions', queries: [{ expr: `sum(${a.sel('user_sessions_active')})` }] }),
        stat({ title: 'WebSocket connections', queries: [{ expr: `sum(${a.sel('concurrent_websocket_connections')})` }] }),
        stat({ title: 'Media requests', description: 'In the selected range.', queries: [{ expr: `sum(increase(${a.sel('media_requests_total')}[$__range]))` }] }),
        stat({ title: 'Firing alerts', queries: [{ expr: 'count(ALERTS{alertstate="firing"}) or vector(0)' }], thresholds: { steps: [{ value: 1, color: 'red' }] } }),
      ]),
      row('Key indicators', [
        timeseries({ title: 'Requests by status', unit: 'reqps', queries: [{ expr: `sum by (${a.l('status')}) (rate(${a.sel('http_requests_total')}${RATE}))`, legend: `{{ ${a.l('status')} }}` }] }),
        timeseries({ title: 'Latency', unit: 's', thresholds: { steps: [{ value: 2, color: 'red' }] }, queries: [0.5, 0.95, 0.99].map((q) => ({ expr: p(q), legend: `p${q * 100}` })) }),
        timeseries({ title: 'External services', unit: 'short', min: 0, max: 1, description: '1 healthy, 0 down.', queries: [{ expr: `max by (${a.l('service')}) (${a.sel('service_health_status')})`, legend: `{{ ${a.l('service')} }}` }] }),
        timeseries({ title: 'Circuit breakers', unit: 'short', description: 'State per external service (0 closed).', queries: [{ expr: `max by (${a.l('service')}) (${a.sel('circuit_breaker_state')})`, legend: `{{ ${a.l('service')} }}` }] }),
      ]),
      row('Alerts', [table({ title: 'Firing alerts', queries: [{ expr: 'ALERTS{alertstate="firing"}' }] })]),
    ],
  };
}

/** "API Performance": request/response metrics per endpoint, latency percentiles, errors, the Plex API. */
export function mediaNestApiDashboard(options: MediaNestDashboardOptions = {}): DashboardDefinition {
  const { a, links, p, app } = context(options);
  const [endpoint, status, operation] = [a.l('endpoint'), a.l('status'), a.l('operation')];
  return {
    title: a.title('API Performance'),
    description: 'MediaNest API: throughput, latency percentiles and errors per endpoint, and the Plex API it depends on.',
    folder: a.folder,
    tags: ['medianest'],
    variables: a.variables,
    links: links('API Performance'),
    metrics: [app, PROMETHEUS_SYNTHETIC],
    rows: [
      row('Endpoints', [
        timeseries({ title: 'Requests by endpoint', unit: 'reqps', queries: [{ expr: `sum by (${endpoint}) (rate(${a.sel('http_requests_total')}${RATE}))`, legend: `{{ ${endpoint} }}` }] }),
        timeseries({ title: 'Latency (P50, P95, P99)', unit: 's', thresholds: { steps: [{ value: 2, color: 'red' }] }, queries: [0.5, 0.95, 0.99].map((q) => ({ expr: p(q), legend: `P${q * 100}` })) }),
        timeseries({
          title: 'Error rate by endpoint', unit: 'percentunit', thresholds: { steps: [{ value: 0.05, color: 'red' }] },
          queries: [{ expr: `sum by (${endpoint}) (rate(${a.sel('http_requests_total', `${status}=~"5.."`)}${RATE})) / sum by (${endpoint}) (rate(${a.sel('http_requests_total')}${RATE}))`, legend: `{{ ${endpoint} }}` }],
        }),
        timeseries({ title: 'Requests in flight', unit: 'short', queries: [{ expr: `sum by (${endpoint}) (${a.sel('http_requests_in_flight')})`, legend: `{{ ${endpoint} }}` }] }),
        table({ title: 'Slowest endpoints (P95 over 5m)', unit: 's', queries: [{ expr: `topk(10, histogram_quantile(0.95, sum by (le, ${endpoint}) (rate(${a.sel('http_request_duration_seconds_bucket')}[5m]))))` }] }),
      ]),
      row('Plex API', [
        timeseries({ title: 'Plex API requests by status', unit: 'reqps', queries: [{ expr: `sum by (${operation}, ${a.l('outcome')}) (rate(${a.sel('plex_api_requests_total')}${RATE}))`, legend: `{{ ${operation} }} {{ ${a.l('outcome')} }}` }] }),
        timeseries({
          title: 'Plex API latency (P95)', unit: 's',
          queries: [{ expr: `histogram_quantile(0.95, sum by (le, ${operation}) (rate(${a.sel('plex_api_response_time_seconds_bucket')}${RATE})))`, legend: `{{ ${operation} }}` }],
        }),
      ]),
    ],
  };
}

/** "Infrastructure": the nodes, PostgreSQL and Redis (exporters and the app's view), the Node.js runtime. */
export function mediaNestInfrastructureDashboard(options: MediaNestDashboardOptions = {}): DashboardDefinition {
  const { a, links, app } = context(options);
  const node = 'job="node-exporter", node=~"$node"';
  const pg = 'job="postgres-exporter", database=~"$database"';
  const rd = 'job="redis-exporter", redis=~"$redis"';
  const usage = { base: 'green', steps: [{ value: 0.8, color: 'orange' }, { value: 0.9, color: 'red' }] };
  return {
    title: a.title('Infrastructure'),
    description: 'Server resources, database and cache performance, and the Node.js runtime of the backend.',
    folder: a.folder,
    tags: ['medianest'],
    variables: [
      ...a.variables,
      labelVariable('node', 'node_uname_info{job="node-exporter"}'),
      labelVariable('database', 'pg_up{job="postgres-exporter"}'),
      labelVariable('redis', 'redis_up{job="redis-exporter"}'),
    ],
    links: links('Infrastructure'),
    metrics: [app, NODE_EXPORTER, POSTGRES_EXPORTER, REDIS_EXPORTER, PROCESS_METRICS, NODEJS_RUNTIME, PROMETHEUS_SYNTHETIC],
    rows: [
      row('Servers', [
        gauge({ title: 'CPU busy', unit: 'percentunit', min: 0, max: 1, thresholds: usage, queries: [{ expr: `1 - avg(rate(node_cpu_seconds_total{${node}, mode="idle"}${RATE}))` }] }),
        gauge({ title: 'Memory used', unit: 'percentunit', min: 0, max: 1, thresholds: usage, queries: [{ expr: `1 - sum(node_memory_MemAvailable_bytes{${node}}) / sum(node_memory_MemTotal_bytes{${node}})` }] }),
        gauge({ title: 'Root disk used', unit: 'percentunit', min: 0, max: 1, thresholds: usage, queries: [{ expr: `1 - sum(node_filesystem_avail_bytes{${node}, mountpoint="/"}) / sum(node_filesystem_size_bytes{${node}, mountpoint="/"})` }] }),
        stat({ title: 'Load per CPU (5m)', decimals: 2, queries: [{ expr: `sum(node_load5{${node}}) / count(node_cpu_seconds_total{${node}, mode="idle"})` }], thresholds: { steps: [{ value: 1, color: 'orange' }] } }),
        timeseries({
          title: 'Network traffic', unit: 'Bps',
          queries: [
            { expr: `sum(rate(node_network_receive_bytes_total{${node}, device!~"lo|veth.*"}${RATE}))`, legend: 'in' },
            { expr: `sum(rate(node_network_transmit_bytes_total{${node}, device!~"lo|veth.*"}${RATE}))`, legend: 'out' },
          ],
        }),
        timeseries({
          title: 'Disk throughput', unit: 'Bps',
          queries: [
            { expr: `sum(rate(node_disk_read_bytes_total{${node}}${RATE}))`, legend: 'read' },
            { expr: `sum(rate(node_disk_written_bytes_total{${node}}${RATE}))`, legend: 'write' },
          ],
        }),
      ]),
      row('Database', [
        stat({ title: 'PostgreSQL up', queries: [{ expr: `min(pg_up{${pg}})` }], thresholds: { base: 'red', steps: [{ value: 1, color: 'green' }] }, colorMode: 'background' }),
        stat({ title: 'Connections used', unit: 'percentunit', queries: [{ expr: `sum(pg_stat_database_numbackends{${pg}}) / max(pg_settings_max_connections{${pg}})` }], thresholds: usage }),
        stat({ title: 'Database size', unit: 'bytes', queries: [{ expr: `sum(pg_database_size_bytes{${pg}})` }] }),
        stat({ title: 'Pool connections (app)', queries: [{ expr: `sum(${a.sel('database_connections_active')})` }] }),
        timeseries({
          title: 'Transactions', unit: 'short',
          queries: [
            { expr: `sum(rate(pg_stat_database_xact_commit{${pg}}${RATE}))`, legend: 'commits' },
            { expr: `sum(rate(pg_stat_database_xact_rollback{${pg}}${RATE}))`, legend: 'rollbacks' },
          ],
        }),
        timeseries({
          title: 'Query duration (P95, app)', unit: 's', thresholds: { steps: [{ value: 1, color: 'red' }] },
          queries: [{ expr: `histogram_quantile(0.95, sum by (le, ${a.l('operation')}) (rate(${a.sel('database_query_duration_seconds_bucket')}${RATE})))`, legend: `{{ ${a.l('operation')} }}` }],
        }),
        timeseries({
          title: 'Prisma query duration (P95)', unit: 's',
          queries: [{ expr: `histogram_quantile(0.95, sum by (le, ${a.l('model')}) (rate(${a.sel('prisma_query_duration_seconds_bucket')}${RATE})))`, legend: `{{ ${a.l('model')} }}` }],
        }),
        timeseries({ title: 'Longest transaction', unit: 's', queries: [{ expr: `max by (datname) (pg_stat_activity_max_tx_duration{${pg}})`, legend: '{{ datname }}' }] }),
      ]),
      row('Cache', [
        stat({ title: 'Redis up', queries: [{ expr: `min(redis_up{${rd}})` }], thresholds: { base: 'red', steps: [{ value: 1, color: 'green' }] }, colorMode: 'background' }),
        stat({ title: 'Redis memory', unit: 'bytes', queries: [{ expr: `sum(redis_memory_used_bytes{${rd}})` }] }),
        stat({ title: 'Redis clients', queries: [{ expr: `sum(redis_connected_clients{${rd}})` }] }),
        stat({ title: 'Evicted keys', description: 'In the selected range.', queries: [{ expr: `sum(increase(redis_evicted_keys_total{${rd}}[$__range]))` }], thresholds: { steps: [{ value: 1, color: 'orange' }] } }),
        timeseries({ title: 'Cache hit ratio', unit: 'percentunit', min: 0, max: 1, queries: [{ expr: `avg by (${a.l('cacheType')}) (${a.sel('cache_hit_ratio')})`, legend: `{{ ${a.l('cacheType')} }}` }] }),
        timeseries({ title: 'Redis commands (app)', unit: 'short', queries: [{ expr: `sum by (command) (rate(${a.sel('redis_commands_total')}${RATE}))`, legend: '{{ command }}' }] }),
      ]),
      row('Node.js runtime', [
        timeseries({
          title: 'Heap', unit: 'bytes',
          queries: [
            { expr: `sum(nodejs_heap_size_used_bytes{${a.matchers}})`, legend: 'used' },
            { expr: `sum(nodejs_heap_size_total_bytes{${a.matchers}})`, legend: 'total' },
          ],
        }),
        timeseries({ title: 'Event loop lag', unit: 's', thresholds: { steps: [{ value: 0.1, color: 'red' }] }, queries: [{ expr: `max(nodejs_eventloop_lag_seconds{${a.matchers}})`, legend: 'lag' }] }),
        timeseries({ title: 'CPU', unit: 'short', description: 'CPU cores in use.', queries: [{ expr: `sum(rate(process_cpu_seconds_total{${a.matchers}}${RATE}))`, legend: 'cores' }] }),
        timeseries({ title: 'Resident memory', unit: 'bytes', queries: [{ expr: `sum(process_resident_memory_bytes{${a.matchers}})`, legend: 'RSS' }] }),
      ]),
    ],
  };
}

/** "Business Metrics": user activity, media request trends and the download/job queues. */
export function mediaNestBusinessDashboard(options: MediaNestDashboardOptions = {}): DashboardDefinition {
  const { a, links, app } = context(options);
  const [type, status, queue, mediaType] = [a.l('type'), a.l('outcome'), a.l('queue'), a.l('mediaType')];
  const inRange = (metric: string) => `sum(increase(${a.sel(metric)}[$__range]))`;
  return {
    title: a.title('Business Metrics'),
    description: 'Who uses MediaNest and for what: logins, media requests and views, searches and the job queues.',
    folder: a.folder,
    tags: ['medianest', 'business'],
    variables: a.variables,
    links: links('Business Metrics'),
    metrics: [app, PROMETHEUS_SYNTHETIC],
    timeFrom: 'now-7d',
    rows: [
      row('In the selected range', [
        stat({ title: 'Logins', queries: [{ expr: inRange('user_logins_total') }] }),
        stat({ title: 'Media requests', queries: [{ expr: inRange('media_requests_total') }] }),
        stat({ title: 'Searches', queries: [{ expr: inRange('search_queries_total') }] }),
        stat({ title: 'Active sessions', description: 'Now.', queries: [{ expr: `sum(${a.sel('user_sessions_active')})` }] }),
      ]),
      row('User activity', [
        timeseries({ title: 'Logins', unit: 'short', description: 'Per hour.', queries: [{ expr: `sum(increase(${a.sel('user_logins_total')}[1h]))`, legend: 'logins' }] }),
        timeseries({ title: 'Session duration (median)', unit: 's', queries: [{ expr: `histogram_quantile(0.5, sum by (le) (rate(${a.sel('user_sessions_duration_seconds_bucket')}[1h])))`, legend: 'median' }] }),
        timeseries({ title: 'Media views by type', unit: 'short', description: 'Per hour.', stacked: true, queries: [{ expr: `sum by (${mediaType}) (increase(${a.sel('media_views_total')}[1h]))`, legend: `{{ ${mediaType} }}` }] }),
        timeseries({ title: 'Feature usage', unit: 'short', description: 'Per hour.', queries: [{ expr: `sum by (${a.l('feature')}) (increase(${a.sel('feature_usage_total')}[1h]))`, legend: `{{ ${a.l('feature')} }}` }] }),
      ]),
      row('Media requests and queues', [
        timeseries({ title: 'Media requests by type and status', unit: 'short', description: 'Per hour.', queries: [{ expr: `sum by (${type}, ${status}) (increase(${a.sel('media_requests_total')}[1h]))`, legend: `{{ ${type} }} {{ ${status} }}` }] }),
        timeseries({
          title: 'Failed media requests', unit: 'percentunit', thresholds: { steps: [{ value: 0.1, color: 'red' }] },
          queries: [{ expr: `sum(rate(${a.sel('media_requests_total', `${status}=~"(?i)failed|error"`)}[1h])) / sum(rate(${a.sel('media_requests_total')}[1h]))`, legend: 'failed share' }],
        }),
        timeseries({ title: 'Background jobs by queue and status', unit: 'short', width: 24, queries: [{ expr: `sum by (${queue}, ${status}) (rate(${a.sel('background_jobs_total')}${RATE}))`, legend: `{{ ${queue} }} {{ ${status} }}` }] }),
      ]),
    ],
  };
}

/** "Logs": centralized logs of the backend, error patterns, slow requests and authentication failures (Loki). */
export function mediaNestLogsDashboard(options: MediaNestDashboardOptions = {}): DashboardDefinition {
  const { a, links } = context(options);
  const m = options.logMatchers ?? 'namespace="medianest"';
  const errors = `{${m}, level=~"error|fatal"}`;
  return {
    title: a.title('Logs'),
    description: 'Backend logs from Loki. A trace id in a line links to the trace in Jaeger (log detail, "Open trace in Jaeger").',
    folder: a.folder,
    tags: ['medianest', 'logs'],
    links: links('Logs'),
    rows: [
      row('Volume', [
        timeseries({ title: 'Log lines by level', datasource: 'loki', unit: 'short', stacked: true, queries: [{ expr: `sum by (level) (count_over_time({${m}} [$__auto]))`, legend: '{{ level }}' }] }),
        timeseries({
          title: 'Error rate', datasource: 'loki', unit: 'short', description: 'Error lines per second.',
          queries: [{ expr: `sum(rate(${errors} [$__auto]))`, legend: 'errors' }],
        }),
        timeseries({
          title: 'Authentication failures', datasource: 'loki', unit: 'short',
          queries: [{ expr: `sum(count_over_time({${m}} |= "authentication" |= "failed" [$__auto]))`, legend: 'failures' }],
        }),
        timeseries({
          title: 'Slow requests (> 2s)', datasource: 'loki', unit: 'short',
          queries: [{ expr: `sum(count_over_time({${m}} | json | duration > 2s [$__auto]))`, legend: 'slow requests' }],
        }),
      ]),
      row('Lines', [
        logs({ title: 'Errors', queries: [{ expr: errors }] }),
        logs({ title: 'Slow API requests', queries: [{ expr: `{${m}} | json | duration > 2s` }], height: 8 }),
        logs({ title: 'Authentication failures', queries: [{ expr: `{${m}} |= "authentication" |= "failed"` }], height: 8 }),
      ]),
    ],
  };
}

/** Every MediaNest dashboard (they link to each other, so provision them together). */
export function mediaNestDashboards(options: MediaNestDashboardOptions = {}): DashboardDefinition[] {
  return [
    mediaNestOverviewDashboard(options), mediaNestApiDashboard(options), mediaNestInfrastructureDashboard(options),
    mediaNestBusinessDashboard(options), mediaNestLogsDashboard(options),
  ];
}
