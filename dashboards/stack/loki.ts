import { PROCESS_METRICS, PROMETHEUS_SYNTHETIC } from '../../alerts/metric-catalogue';
import { LOKI } from '../metric-catalogue';
import { DashboardDefinition, logs, row, stat, timeseries } from '../model';
import { datasourceVariable } from '../variables';
import { STACK_DASHBOARD_UIDS, STACK_FOLDER, StackDashboardContext, stackLinks } from './common';

const S = 'job="loki"';
const RATE = '[$__rate_interval]';

/**
 * Loki: ingestion, discarded lines, query latency, and the log volume it holds. The LogQL panels use
 * the labels the node log agents set (`namespace`, `app`, `container`, `level`, `stream`).
 */
export function lokiDashboard(ctx: StackDashboardContext): DashboardDefinition {
  return {
    title: 'Vigil / Loki',
    description: 'Log ingestion and queries, the volume of logs per namespace and level, and the stack\'s own errors.',
    folder: STACK_FOLDER,
    tags: ['loki', 'logs', 'stack'],
    variables: [datasourceVariable()],
    links: stackLinks(STACK_DASHBOARD_UIDS.loki, ctx.deployed),
    metrics: [PROMETHEUS_SYNTHETIC, LOKI, PROCESS_METRICS],
    rows: [
      row('Ingestion', [
        stat({ title: 'Lines received', queries: [{ expr: `sum(rate(loki_distributor_lines_received_total{${S}}${RATE}))` }], unit: 'short', description: 'Log lines per second.' }),
        stat({ title: 'Bytes received', queries: [{ expr: `sum(rate(loki_distributor_bytes_received_total{${S}}${RATE}))` }], unit: 'Bps' }),
        stat({ title: 'Streams in memory', queries: [{ expr: `sum(loki_ingester_memory_streams{${S}})` }], unit: 'short' }),
        stat({
          title: 'Lines discarded', description: 'Lines refused in the selected range (rate limits, too old, too long).',
          queries: [{ expr: `sum(increase(loki_discarded_samples_total{${S}}[$__range])) or vector(0)` }], thresholds: { steps: [{ value: 1, color: 'orange' }] },
        }),
        timeseries({ title: 'Lines received by tenant', queries: [{ expr: `sum by (tenant) (rate(loki_distributor_lines_received_total{${S}}${RATE}))`, legend: '{{ tenant }}' }], unit: 'short' }),
        timeseries({ title: 'Discarded lines by reason', queries: [{ expr: `sum by (reason) (rate(loki_discarded_samples_total{${S}}${RATE}))`, legend: '{{ reason }}' }], unit: 'short' }),
      ]),
      row('Queries', [
        timeseries({ title: 'Requests by route', queries: [{ expr: `sum by (route) (rate(loki_request_duration_seconds_count{${S}}${RATE}))`, legend: '{{ route }}' }], unit: 'reqps' }),
        timeseries({
          title: 'Request latency (p99) by route', unit: 's',
          queries: [{ expr: `histogram_quantile(0.99, sum by (le, route) (rate(loki_request_duration_seconds_bucket{${S}}${RATE})))`, legend: '{{ route }}' }],
        }),
        timeseries({ title: 'Failed requests (5xx)', queries: [{ expr: `sum by (route) (rate(loki_request_duration_seconds_count{${S}, status_code=~"5.."}${RATE}))`, legend: '{{ route }}' }], unit: 'reqps' }),
        timeseries({ title: 'Memory', queries: [{ expr: `process_resident_memory_bytes{${S}}`, legend: '{{ instance }}' }], unit: 'bytes' }),
      ]),
      row('Log volume', [
        timeseries({ title: 'Lines by namespace', datasource: 'loki', queries: [{ expr: 'sum by (namespace) (count_over_time({namespace=~".+"} [$__auto]))', legend: '{{ namespace }}' }], unit: 'short', stacked: true }),
        timeseries({ title: 'Errors by namespace', datasource: 'loki', queries: [{ expr: 'sum by (namespace) (count_over_time({level=~"error|fatal"} [$__auto]))', legend: '{{ namespace }}' }], unit: 'short' }),
        logs({ title: 'Errors of the stack', description: `Error lines of the pods in ${ctx.namespace}.`, queries: [{ expr: `{namespace="${ctx.namespace}", level=~"error|fatal"}` }] }),
      ]),
    ],
  };
}
