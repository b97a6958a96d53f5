import type { MetricCatalogue } from '../alerts/metric-catalogue';

/**
 * Metric catalogues the dashboards read beyond those the alert packs already declare
 * (`alerts/metric-catalogue.ts`, which stays the home of the exporters' alerting metrics): the
 * container metrics of cAdvisor, Loki's and Grafana's own metrics, the Node.js runtime metrics of
 * prom-client, and the Prometheus/Alertmanager internals that only a dashboard shows.
 */

/** cAdvisor container metrics (the `cadvisor` job, kubelet `/metrics/cadvisor`). */
export const CADVISOR: MetricCatalogue = {
  name: 'cadvisor',
  source: 'kubelet /metrics/cadvisor (Kubernetes 1.2x+)',
  metrics: {
    container_cpu_usage_seconds_total: { type: 'counter', help: 'CPU time used by the container.', labels: ['namespace', 'pod', 'container'] },
    container_cpu_cfs_periods_total: { type: 'counter', help: 'Elapsed CFS enforcement periods.', labels: ['namespace', 'pod', 'container'] },
    container_cpu_cfs_throttled_periods_total: { type: 'counter', help: 'CFS periods in which the container was throttled.', labels: ['namespace', 'pod', 'container'] },
    container_memory_working_set_bytes: { type: 'gauge', help: 'Working set: the memory the OOM killer looks at.', labels: ['namespace', 'pod', 'container'] },
    container_memory_rss: { type: 'gauge', help: 'Resident set size.', labels: ['namespace', 'pod', 'container'] },
    container_network_receive_bytes_total: { type: 'counter', help: 'Bytes received (pod network namespace).', labels: ['namespace', 'pod', 'interface'] },
    container_network_transmit_bytes_total: { type: 'counter', help: 'Bytes sent (pod network namespace).', labels: ['namespace', 'pod', 'interface'] },
    container_oom_events_total: { type: 'counter', help: 'OOM events of the container.', labels: ['namespace', 'pod', 'container'] },
  },
};

/** Further Prometheus self-metrics shown on the Prometheus dashboard. */
export const PROMETHEUS_INTERNALS: MetricCatalogue = {
  name: 'prometheus-internals',
  source: 'prometheus/prometheus 2.x/3.x self-monitoring',
  metrics: {
    prometheus_tsdb_head_samples_appended_total: { type: 'counter', help: 'Samples appended to the head block.' },
    prometheus_tsdb_head_chunks: { type: 'gauge', help: 'Chunks in the head block.' },
    prometheus_tsdb_wal_fsync_duration_seconds: { type: 'summary', help: 'WAL fsync duration.', labels: ['quantile'] },
    prometheus_tsdb_compactions_total: { type: 'counter', help: 'Compactions run.' },
    prometheus_engine_query_duration_seconds: { type: 'summary', help: 'Query timings by phase.', labels: ['slice', 'quantile'] },
    prometheus_http_requests_total: { type: 'counter', help: 'HTTP requests by handler and code.', labels: ['handler', 'code'] },
    prometheus_target_interval_length_seconds: { type: 'summary', help: 'Actual intervals between scrapes.', labels: ['interval', 'quantile'] },
    prometheus_target_scrapes_exceeded_sample_limit_total: { type: 'counter', help: 'Scrapes that hit the sample limit.' },
    prometheus_remote_storage_samples_failed_total: { type: 'counter', help: 'Remote-write samples that failed.', labels: ['remote_name', 'url'] },
    prometheus_remote_storage_samples_total: { type: 'counter', help: 'Remote-write samples sent.', labels: ['remote_name', 'url'] },
    prometheus_build_info: { type: 'gauge', help: 'Build information.', labels: ['version', 'revision'] },
  },
};

/** Further Alertmanager self-metrics shown on the Alertmanager dashboard. */
export const ALERTMANAGER_INTERNALS: MetricCatalogue = {
  name: 'alertmanager-internals',
  source: 'prometheus/alertmanager 0.25–0.34 self-monitoring',
  metrics: {
    alertmanager_silences: { type: 'gauge', help: 'Silences by state.', labels: ['state'] },
    alertmanager_alerts_received_total: { type: 'counter', help: 'Alerts received by status.', labels: ['status'] },
    alertmanager_cluster_messages_received_total: { type: 'counter', help: 'Gossip messages received.', labels: ['msg_type'] },
    alertmanager_nflog_gossip_messages_propagated_total: { type: 'counter', help: 'Notification log entries gossiped.' },
  },
};

/** Loki 3.x self-metrics (monolithic mode). */
export const LOKI: MetricCatalogue = {
  name: 'loki',
  source: 'grafana/loki 3.x self-monitoring',
  metrics: {
    loki_distributor_bytes_received_total: { type: 'counter', help: 'Uncompressed bytes received by the distributor.', labels: ['tenant'] },
    loki_distributor_lines_received_total: { type: 'counter', help: 'Log lines received by the distributor.', labels: ['tenant'] },
    loki_discarded_samples_total: { type: 'counter', help: 'Log lines discarded, by reason (rate limit, too old, line too long).', labels: ['reason', 'tenant'] },
    loki_ingester_memory_streams: { type: 'gauge', help: 'Streams held in memory by the ingester.', labels: ['tenant'] },
    loki_ingester_memory_chunks: { type: 'gauge', help: 'Chunks held in memory by the ingester.' },
    loki_request_duration_seconds: { type: 'histogram', help: 'Request latency by route.', labels: ['method', 'route', 'status_code'] },
    loki_panic_total: { type: 'counter', help: 'Recovered panics.' },
  },
};

/** Grafana's own metrics (`/metrics`). */
export const GRAFANA: MetricCatalogue = {
  name: 'grafana',
  source: 'grafana/grafana 12.x/13.x /metrics',
  metrics: {
    grafana_http_request_duration_seconds: { type: 'histogram', help: 'HTTP request latency.', labels: ['handler', 'method', 'status_code'] },
    grafana_build_info: { type: 'gauge', help: 'Build information.', labels: ['version', 'edition'] },
  },
};

/** Default metrics of the Node.js prom-client library (`collectDefaultMetrics()`). */
export const NODEJS_RUNTIME: MetricCatalogue = {
  name: 'nodejs-runtime',
  source: 'siimon/prom-client collectDefaultMetrics (v14+)',
  metrics: {
    nodejs_heap_size_total_bytes: { type: 'gauge', help: 'V8 heap size.' },
    nodejs_heap_size_used_bytes: { type: 'gauge', help: 'V8 heap used.' },
    nodejs_eventloop_lag_seconds: { type: 'gauge', help: 'Event loop lag.' },
    nodejs_eventloop_lag_p99_seconds: { type: 'gauge', help: '99th percentile of the event loop lag.' },
    nodejs_active_handles_total: { type: 'gauge', help: 'Active libuv handles.' },
    nodejs_gc_duration_seconds: { type: 'histogram', help: 'Garbage collection duration.', labels: ['kind'] },
    process_cpu_user_seconds_total: { type: 'counter', help: 'User CPU time.' },
    process_cpu_system_seconds_total: { type: 'counter', help: 'System CPU time.' },
  },
};
