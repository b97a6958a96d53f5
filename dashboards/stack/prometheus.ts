import { PROCESS_METRICS, PROMETHEUS_SELF, PROMETHEUS_SYNTHETIC } from '../../alerts/metric-catalogue';
import { PROMETHEUS_INTERNALS } from '../metric-catalogue';
import { DashboardDefinition, row, stat, timeseries } from '../model';
import { datasourceVariable, labelVariable } from '../variables';
import { STACK_DASHBOARD_UIDS, STACK_FOLDER, StackDashboardContext, stackLinks } from './common';

const S = 'job="prometheus", instance=~"$instance"';
const RATE = '[$__rate_interval]';

/** Prometheus itself: targets, storage, rule evaluation, notifications, queries and resources. */
export function prometheusDashboard(ctx: StackDashboardContext): DashboardDefinition {
  return {
    title: 'Vigil / Prometheus',
    description: 'The Prometheus servers of the stack: scrape health, TSDB, rules, alert delivery and query load.',
    folder: STACK_FOLDER,
    tags: ['prometheus', 'stack'],
    variables: [datasourceVariable(), labelVariable('instance', 'up{job="prometheus"}')],
    links: stackLinks(STACK_DASHBOARD_UIDS.prometheus, ctx.deployed),
    metrics: [PROMETHEUS_SYNTHETIC, PROMETHEUS_SELF, PROMETHEUS_INTERNALS, PROCESS_METRICS],
    rows: [
      row('Overview', [
        stat({ title: 'Targets up', queries: [{ expr: 'sum(up)' }] }),
        stat({ title: 'Targets down', queries: [{ expr: 'count(up == 0) or vector(0)' }], thresholds: { steps: [{ value: 1, color: 'red' }] } }),
        stat({ title: 'Head series', queries: [{ expr: `sum(prometheus_tsdb_head_series{${S}})` }], unit: 'short' }),
        stat({
          title: 'Rule evaluation failures', description: 'Failed rule evaluations in the selected time range.',
          queries: [{ expr: `sum(increase(prometheus_rule_evaluation_failures_total{${S}}[$__range]))` }], thresholds: { steps: [{ value: 1, color: 'red' }] },
        }),
      ]),
      row('Scraping', [
        timeseries({ title: 'Targets down by job', queries: [{ expr: 'count by (job) (up == 0)', legend: '{{ job }}' }], unit: 'short', min: 0 }),
        timeseries({ title: 'Slowest scrape by job', queries: [{ expr: 'max by (job) (scrape_duration_seconds)', legend: '{{ job }}' }], unit: 's' }),
        timeseries({ title: 'Samples per scrape by job', queries: [{ expr: 'sum by (job) (scrape_samples_scraped)', legend: '{{ job }}' }], unit: 'short' }),
        timeseries({
          title: 'Scrape interval (p99)', description: 'Actual time between scrapes; well above the configured interval means Prometheus is overloaded.',
          queries: [{ expr: `max by (interval) (prometheus_target_interval_length_seconds{${S}, quantile="0.99"})`, legend: 'configured {{ interval }}' }], unit: 's',
        }),
      ]),
      row('Storage', [
        timeseries({ title: 'Head series', queries: [{ expr: `prometheus_tsdb_head_series{${S}}`, legend: '{{ instance }}' }], unit: 'short' }),
        timeseries({ title: 'Samples appended', queries: [{ expr: `rate(prometheus_tsdb_head_samples_appended_total{${S}}${RATE})`, legend: '{{ instance }}' }], unit: 'short' }),
        timeseries({ title: 'Block storage', queries: [{ expr: `prometheus_tsdb_storage_blocks_bytes{${S}}`, legend: '{{ instance }}' }], unit: 'bytes' }),
        timeseries({
          title: 'TSDB failures', unit: 'short',
          queries: [
            { expr: `sum(increase(prometheus_tsdb_compactions_failed_total{${S}}${RATE}))`, legend: 'compactions' },
            { expr: `sum(increase(prometheus_tsdb_reloads_failures_total{${S}}${RATE}))`, legend: 'block reloads' },
            { expr: `sum(increase(prometheus_tsdb_wal_corruptions_total{${S}}${RATE}))`, legend: 'WAL corruptions' },
          ],
        }),
      ]),
      row('Rules and alert delivery', [
        timeseries({ title: 'Rule group duration', queries: [{ expr: `max by (rule_group) (prometheus_rule_group_last_duration_seconds{${S}})`, legend: '{{ rule_group }}' }], unit: 's', legend: { mode: 'table', placement: 'right', calcs: ['max'] } }),
        timeseries({ title: 'Missed rule group evaluations', queries: [{ expr: `sum by (rule_group) (increase(prometheus_rule_group_iterations_missed_total{${S}}${RATE}))`, legend: '{{ rule_group }}' }], unit: 'short' }),
        timeseries({
          title: 'Alerts sent to Alertmanager', unit: 'short',
          queries: [
            { expr: `sum by (alertmanager) (rate(prometheus_notifications_sent_total{${S}}${RATE}))`, legend: 'sent to {{ alertmanager }}' },
            { expr: `sum by (alertmanager) (rate(prometheus_notifications_errors_total{${S}}${RATE}))`, legend: 'errors to {{ alertmanager }}' },
            { expr: `sum(rate(prometheus_notifications_dropped_total{${S}}${RATE}))`, legend: 'dropped' },
          ],
        }),
        timeseries({
          title: 'Alert queue', unit: 'short',
          queries: [
            { expr: `max(prometheus_notifications_queue_length{${S}})`, legend: 'queued' },
            { expr: `max(prometheus_notifications_queue_capacity{${S}})`, legend: 'capacity' },
          ],
        }),
      ]),
      row('Queries and resources', [
        timeseries({ title: 'Query latency (p90)', queries: [{ expr: `max by (slice) (prometheus_engine_query_duration_seconds{${S}, quantile="0.9"})`, legend: '{{ slice }}' }], unit: 's' }),
        timeseries({ title: 'HTTP requests by handler', queries: [{ expr: `sum by (handler) (rate(prometheus_http_requests_total{${S}}${RATE}))`, legend: '{{ handler }}' }], unit: 'reqps' }),
        timeseries({ title: 'Memory', queries: [{ expr: `process_resident_memory_bytes{${S}}`, legend: '{{ instance }}' }], unit: 'bytes' }),
        timeseries({ title: 'CPU', queries: [{ expr: `rate(process_cpu_seconds_total{${S}}${RATE})`, legend: '{{ instance }}' }], unit: 'short', description: 'CPU cores in use.' }),
      ]),
    ],
  };
}
