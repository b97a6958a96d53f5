/**
 * Typed catalogues of the metric names each exporter really exports, for the versions Vigil pins.
 * Packs declare the catalogues they read; a test fails when a rule reads a metric that is not in them,
 * which catches typos and renamed metrics before they become alerts that can never fire. Dashboards
 * reuse the same catalogues.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** One metric family. Histogram and summary families are listed by base name (without `_bucket`, `_sum`, `_count`). */
export interface MetricInfo {
  readonly type: MetricType;
  readonly help: string;
  /** Labels the exporter sets (target labels such as `job`, `instance` come on top). */
  readonly labels?: readonly string[];
}

/** The metrics of one exporter or instrumented component. */
export interface MetricCatalogue {
  /** Short name, e.g. `node-exporter`. */
  readonly name: string;
  /** Which component/version the names were taken from. */
  readonly source: string;
  readonly metrics: Readonly<Record<string, MetricInfo>>;
}

/** Series names a catalogue covers: histogram/summary families expand to their `_bucket`/`_sum`/`_count` series. */
export function seriesNames(...catalogues: readonly MetricCatalogue[]): Set<string> {
  const out = new Set<string>();
  for (const c of catalogues) {
    for (const [name, info] of Object.entries(c.metrics)) {
      if (info.type === 'histogram') ['_bucket', '_sum', '_count'].forEach((s) => out.add(name + s));
      else if (info.type === 'summary') ['', '_sum', '_count'].forEach((s) => out.add(name + s));
      else out.add(name);
    }
  }
  return out;
}

/** Series Prometheus itself writes for every target and alert. */
export const PROMETHEUS_SYNTHETIC: MetricCatalogue = {
  name: 'prometheus-synthetic',
  source: 'Prometheus scrape and rule engine (every version)',
  metrics: {
    up: { type: 'gauge', help: '1 if the last scrape of the target succeeded, 0 otherwise.', labels: ['job', 'instance'] },
    scrape_duration_seconds: { type: 'gauge', help: 'Duration of the last scrape.' },
    scrape_samples_scraped: { type: 'gauge', help: 'Samples the target exposed in the last scrape.' },
    ALERTS: { type: 'gauge', help: 'Pending and firing alerts.', labels: ['alertname', 'alertstate'] },
  },
};

/** node_exporter 1.x (Linux collectors enabled by default). */
export const NODE_EXPORTER: MetricCatalogue = {
  name: 'node-exporter',
  source: 'prometheus/node_exporter 1.x',
  metrics: {
    node_cpu_seconds_total: { type: 'counter', help: 'Seconds the CPUs spent in each mode.', labels: ['cpu', 'mode'] },
    node_load1: { type: 'gauge', help: '1m load average.' },
    node_load5: { type: 'gauge', help: '5m load average.' },
    node_load15: { type: 'gauge', help: '15m load average.' },
    node_memory_MemTotal_bytes: { type: 'gauge', help: 'Total usable RAM.' },
    node_memory_MemAvailable_bytes: { type: 'gauge', help: 'RAM available for starting new applications without swapping.' },
    node_memory_MemFree_bytes: { type: 'gauge', help: 'Unused RAM.' },
    node_memory_Buffers_bytes: { type: 'gauge', help: 'Block device buffers.' },
    node_memory_Cached_bytes: { type: 'gauge', help: 'Page cache.' },
    node_memory_SwapTotal_bytes: { type: 'gauge', help: 'Total swap.' },
    node_memory_SwapFree_bytes: { type: 'gauge', help: 'Unused swap.' },
    node_vmstat_oom_kill: { type: 'counter', help: 'OOM kills (from /proc/vmstat).' },
    node_filesystem_avail_bytes: { type: 'gauge', help: 'Filesystem space available to non-root users.', labels: ['device', 'fstype', 'mountpoint'] },
    node_filesystem_free_bytes: { type: 'gauge', help: 'Filesystem free space.', labels: ['device', 'fstype', 'mountpoint'] },
    node_filesystem_size_bytes: { type: 'gauge', help: 'Filesystem size.', labels: ['device', 'fstype', 'mountpoint'] },
    node_filesystem_files: { type: 'gauge', help: 'Filesystem total inodes.', labels: ['device', 'fstype', 'mountpoint'] },
    node_filesystem_files_free: { type: 'gauge', help: 'Filesystem free inodes.', labels: ['device', 'fstype', 'mountpoint'] },
    node_filesystem_readonly: { type: 'gauge', help: '1 when the filesystem is mounted read-only.', labels: ['device', 'fstype', 'mountpoint'] },
    node_filesystem_device_error: { type: 'gauge', help: '1 when stat() on the mount failed.', labels: ['device', 'fstype', 'mountpoint'] },
    node_disk_io_time_seconds_total: { type: 'counter', help: 'Seconds spent doing I/Os.', labels: ['device'] },
    node_disk_read_bytes_total: { type: 'counter', help: 'Bytes read.', labels: ['device'] },
    node_disk_written_bytes_total: { type: 'counter', help: 'Bytes written.', labels: ['device'] },
    node_network_receive_bytes_total: { type: 'counter', help: 'Bytes received.', labels: ['device'] },
    node_network_transmit_bytes_total: { type: 'counter', help: 'Bytes sent.', labels: ['device'] },
    node_network_receive_errs_total: { type: 'counter', help: 'Receive errors.', labels: ['device'] },
    node_network_transmit_errs_total: { type: 'counter', help: 'Transmit errors.', labels: ['device'] },
    node_timex_offset_seconds: { type: 'gauge', help: 'Clock offset reported by the kernel.' },
    node_timex_sync_status: { type: 'gauge', help: '1 when the clock is synchronised.' },
    node_boot_time_seconds: { type: 'gauge', help: 'Boot time (unix seconds).' },
    node_time_seconds: { type: 'gauge', help: 'System time (unix seconds).' },
    node_uname_info: { type: 'gauge', help: 'Kernel and host identity.', labels: ['nodename', 'release', 'machine'] },
  },
};

/** kube-state-metrics 2.x (default resources). */
export const KUBE_STATE_METRICS: MetricCatalogue = {
  name: 'kube-state-metrics',
  source: 'kubernetes/kube-state-metrics 2.x',
  metrics: {
    kube_pod_info: { type: 'gauge', help: 'Pod information.', labels: ['namespace', 'pod', 'node'] },
    kube_pod_owner: { type: 'gauge', help: 'Owner of the pod.', labels: ['namespace', 'pod', 'owner_kind', 'owner_name'] },
    kube_pod_status_phase: { type: 'gauge', help: 'Pod phase (one series per phase, 1 for the current one).', labels: ['namespace', 'pod', 'phase'] },
    kube_pod_status_ready: { type: 'gauge', help: 'Pod ready condition.', labels: ['namespace', 'pod', 'condition'] },
    kube_pod_container_status_ready: { type: 'gauge', help: 'Container readiness.', labels: ['namespace', 'pod', 'container'] },
    kube_pod_container_status_restarts_total: { type: 'counter', help: 'Container restarts.', labels: ['namespace', 'pod', 'container'] },
    kube_pod_container_status_waiting_reason: { type: 'gauge', help: 'Why the container is waiting.', labels: ['namespace', 'pod', 'container', 'reason'] },
    kube_pod_container_status_last_terminated_reason: { type: 'gauge', help: 'Why the container last terminated.', labels: ['namespace', 'pod', 'container', 'reason'] },
    kube_pod_container_resource_requests: { type: 'gauge', help: 'Requested resources.', labels: ['namespace', 'pod', 'container', 'resource', 'unit'] },
    kube_pod_container_resource_limits: { type: 'gauge', help: 'Resource limits.', labels: ['namespace', 'pod', 'container', 'resource', 'unit'] },
    kube_deployment_spec_replicas: { type: 'gauge', help: 'Desired replicas.', labels: ['namespace', 'deployment'] },
    kube_deployment_status_replicas_available: { type: 'gauge', help: 'Available replicas.', labels: ['namespace', 'deployment'] },
    kube_deployment_status_replicas_updated: { type: 'gauge', help: 'Updated replicas.', labels: ['namespace', 'deployment'] },
    kube_statefulset_replicas: { type: 'gauge', help: 'Desired replicas.', labels: ['namespace', 'statefulset'] },
    kube_statefulset_status_replicas_ready: { type: 'gauge', help: 'Ready replicas.', labels: ['namespace', 'statefulset'] },
    kube_statefulset_status_replicas_updated: { type: 'gauge', help: 'Updated replicas.', labels: ['namespace', 'statefulset'] },
    kube_daemonset_status_desired_number_scheduled: { type: 'gauge', help: 'Nodes that should run the daemon pod.', labels: ['namespace', 'daemonset'] },
    kube_daemonset_status_number_ready: { type: 'gauge', help: 'Nodes running a ready daemon pod.', labels: ['namespace', 'daemonset'] },
    kube_daemonset_status_number_misscheduled: { type: 'gauge', help: 'Nodes running the daemon pod that should not.', labels: ['namespace', 'daemonset'] },
    kube_job_status_failed: { type: 'gauge', help: 'Failed pods of the job.', labels: ['namespace', 'job_name'] },
    kube_job_status_succeeded: { type: 'gauge', help: 'Succeeded pods of the job.', labels: ['namespace', 'job_name'] },
    kube_job_failed: { type: 'gauge', help: 'Job failed condition.', labels: ['namespace', 'job_name', 'condition'] },
    kube_node_status_condition: { type: 'gauge', help: 'Node conditions.', labels: ['node', 'condition', 'status'] },
    kube_node_spec_unschedulable: { type: 'gauge', help: '1 when the node is cordoned.', labels: ['node'] },
    kube_persistentvolumeclaim_status_phase: { type: 'gauge', help: 'PVC phase.', labels: ['namespace', 'persistentvolumeclaim', 'phase'] },
  },
};

/** kubelet volume statistics (`kubelet` scrape job). */
export const KUBELET: MetricCatalogue = {
  name: 'kubelet',
  source: 'kubelet /metrics (Kubernetes 1.2x+)',
  metrics: {
    kubelet_volume_stats_available_bytes: { type: 'gauge', help: 'Bytes available on the volume.', labels: ['namespace', 'persistentvolumeclaim'] },
    kubelet_volume_stats_capacity_bytes: { type: 'gauge', help: 'Capacity of the volume.', labels: ['namespace', 'persistentvolumeclaim'] },
    kubelet_volume_stats_used_bytes: { type: 'gauge', help: 'Bytes used on the volume.', labels: ['namespace', 'persistentvolumeclaim'] },
    kubelet_volume_stats_inodes: { type: 'gauge', help: 'Inodes on the volume.', labels: ['namespace', 'persistentvolumeclaim'] },
    kubelet_volume_stats_inodes_free: { type: 'gauge', help: 'Free inodes on the volume.', labels: ['namespace', 'persistentvolumeclaim'] },
    kubelet_volume_stats_inodes_used: { type: 'gauge', help: 'Used inodes on the volume.', labels: ['namespace', 'persistentvolumeclaim'] },
  },
};

/** Prometheus 3.x self-metrics (also exported by 2.x under the same names). */
export const PROMETHEUS_SELF: MetricCatalogue = {
  name: 'prometheus',
  source: 'prometheus/prometheus 3.x self-monitoring',
  metrics: {
    prometheus_config_last_reload_successful: { type: 'gauge', help: '1 when the last configuration reload succeeded.' },
    prometheus_config_last_reload_success_timestamp_seconds: { type: 'gauge', help: 'Time of the last successful reload.' },
    prometheus_rule_evaluation_failures_total: { type: 'counter', help: 'Failed rule evaluations.', labels: ['rule_group'] },
    prometheus_rule_evaluations_total: { type: 'counter', help: 'Rule evaluations.', labels: ['rule_group'] },
    prometheus_rule_group_iterations_missed_total: { type: 'counter', help: 'Missed rule group evaluations (too slow).', labels: ['rule_group'] },
    prometheus_rule_group_last_duration_seconds: { type: 'gauge', help: 'Duration of the last group evaluation.', labels: ['rule_group'] },
    prometheus_rule_group_interval_seconds: { type: 'gauge', help: 'Group evaluation interval.', labels: ['rule_group'] },
    prometheus_notifications_alertmanagers_discovered: { type: 'gauge', help: 'Alertmanagers discovered and active.' },
    prometheus_notifications_errors_total: { type: 'counter', help: 'Errors sending alert notifications.', labels: ['alertmanager'] },
    prometheus_notifications_sent_total: { type: 'counter', help: 'Alerts sent.', labels: ['alertmanager'] },
    prometheus_notifications_dropped_total: { type: 'counter', help: 'Alerts dropped (errors or queue full).' },
    prometheus_notifications_queue_length: { type: 'gauge', help: 'Alerts waiting in the queue.' },
    prometheus_notifications_queue_capacity: { type: 'gauge', help: 'Capacity of the alert queue.' },
    prometheus_tsdb_compactions_failed_total: { type: 'counter', help: 'Failed compactions.' },
    prometheus_tsdb_reloads_failures_total: { type: 'counter', help: 'Failed block reloads.' },
    prometheus_tsdb_head_truncations_failed_total: { type: 'counter', help: 'Failed head truncations.' },
    prometheus_tsdb_wal_corruptions_total: { type: 'counter', help: 'WAL corruptions.' },
    prometheus_tsdb_wal_truncations_failed_total: { type: 'counter', help: 'Failed WAL truncations.' },
    prometheus_tsdb_wal_writes_failed_total: { type: 'counter', help: 'Failed WAL writes.' },
    prometheus_tsdb_checkpoint_creations_failed_total: { type: 'counter', help: 'Failed checkpoint creations.' },
    prometheus_tsdb_head_series: { type: 'gauge', help: 'Series in the head block.' },
    prometheus_tsdb_storage_blocks_bytes: { type: 'gauge', help: 'Bytes used by blocks on disk.' },
    prometheus_target_scrape_pool_exceeded_target_limit_total: { type: 'counter', help: 'Scrape pools that hit the target limit.' },
    prometheus_sd_discovered_targets: { type: 'gauge', help: 'Discovered targets per scrape config.', labels: ['config', 'name'] },
  },
};

/** Alertmanager 0.25–0.34 self-metrics. */
export const ALERTMANAGER_SELF: MetricCatalogue = {
  name: 'alertmanager',
  source: 'prometheus/alertmanager 0.25–0.34 self-monitoring',
  metrics: {
    alertmanager_config_last_reload_successful: { type: 'gauge', help: '1 when the last configuration reload succeeded.' },
    alertmanager_config_hash: { type: 'gauge', help: 'Hash of the loaded configuration.' },
    alertmanager_notifications_total: { type: 'counter', help: 'Notification attempts.', labels: ['integration'] },
    alertmanager_notifications_failed_total: { type: 'counter', help: 'Failed notification attempts (label `reason` since 0.26).', labels: ['integration', 'reason'] },
    alertmanager_notification_latency_seconds: { type: 'histogram', help: 'Notification latency.', labels: ['integration'] },
    alertmanager_cluster_members: { type: 'gauge', help: 'Members the gossip cluster sees.' },
    alertmanager_cluster_failed_peers: { type: 'gauge', help: 'Peers in failed state.' },
    alertmanager_cluster_enabled: { type: 'gauge', help: '1 when clustering is enabled.' },
    alertmanager_alerts: { type: 'gauge', help: 'Alerts by state.', labels: ['state'] },
    alertmanager_alerts_invalid_total: { type: 'counter', help: 'Rejected invalid alerts.' },
  },
};

/** postgres_exporter (prometheus-community) 0.15+. */
export const POSTGRES_EXPORTER: MetricCatalogue = {
  name: 'postgres-exporter',
  source: 'prometheus-community/postgres_exporter 0.15+',
  metrics: {
    pg_up: { type: 'gauge', help: '1 when the exporter could connect to PostgreSQL.' },
    pg_stat_database_numbackends: { type: 'gauge', help: 'Backends connected per database.', labels: ['datid', 'datname'] },
    pg_stat_database_deadlocks: { type: 'counter', help: 'Deadlocks detected per database.', labels: ['datid', 'datname'] },
    pg_stat_database_xact_rollback: { type: 'counter', help: 'Rolled back transactions.', labels: ['datid', 'datname'] },
    pg_stat_database_xact_commit: { type: 'counter', help: 'Committed transactions.', labels: ['datid', 'datname'] },
    pg_settings_max_connections: { type: 'gauge', help: 'The max_connections setting.' },
    pg_stat_activity_count: { type: 'gauge', help: 'Connections per database and state.', labels: ['datname', 'state'] },
    pg_stat_activity_max_tx_duration: { type: 'gauge', help: 'Longest running transaction per database and state (seconds).', labels: ['datname', 'state'] },
    pg_database_size_bytes: { type: 'gauge', help: 'Database size.', labels: ['datname'] },
  },
};

/** redis_exporter (oliver006) 1.x. */
export const REDIS_EXPORTER: MetricCatalogue = {
  name: 'redis-exporter',
  source: 'oliver006/redis_exporter 1.x',
  metrics: {
    redis_up: { type: 'gauge', help: '1 when the exporter could reach Redis.' },
    redis_connected_clients: { type: 'gauge', help: 'Connected clients.' },
    redis_config_maxclients: { type: 'gauge', help: 'The maxclients setting.' },
    redis_memory_used_bytes: { type: 'gauge', help: 'Memory used by Redis.' },
    redis_memory_max_bytes: { type: 'gauge', help: 'The maxmemory setting (0 = unlimited).' },
    redis_rejected_connections_total: { type: 'counter', help: 'Connections rejected (maxclients reached).' },
    redis_evicted_keys_total: { type: 'counter', help: 'Keys evicted by maxmemory policy.' },
    redis_rdb_last_bgsave_status: { type: 'gauge', help: '1 when the last RDB save succeeded.' },
  },
};

/** blackbox_exporter 0.2x probe metrics. */
export const BLACKBOX_EXPORTER: MetricCatalogue = {
  name: 'blackbox-exporter',
  source: 'prometheus/blackbox_exporter 0.2x /probe',
  metrics: {
    probe_success: { type: 'gauge', help: '1 when the probe succeeded.' },
    probe_duration_seconds: { type: 'gauge', help: 'How long the probe took.' },
    probe_http_status_code: { type: 'gauge', help: 'HTTP status code of the response.' },
    probe_ssl_earliest_cert_expiry: { type: 'gauge', help: 'Earliest expiry of the certificate chain (unix seconds).' },
    probe_http_duration_seconds: { type: 'gauge', help: 'Duration of each HTTP phase.', labels: ['phase'] },
  },
};

/** Process metrics every Prometheus client library exports (Go, Node.js prom-client, Python). */
export const PROCESS_METRICS: MetricCatalogue = {
  name: 'process',
  source: 'Prometheus client libraries, process collector',
  metrics: {
    process_resident_memory_bytes: { type: 'gauge', help: 'Resident memory.' },
    process_cpu_seconds_total: { type: 'counter', help: 'CPU time used.' },
    process_open_fds: { type: 'gauge', help: 'Open file descriptors.' },
    process_max_fds: { type: 'gauge', help: 'File descriptor limit.' },
    process_start_time_seconds: { type: 'gauge', help: 'Start time (unix seconds).' },
  },
};

/** Every built-in catalogue, by name. */
export const METRIC_CATALOGUES: Readonly<Record<string, MetricCatalogue>> = Object.fromEntries(
  [PROMETHEUS_SYNTHETIC, NODE_EXPORTER, KUBE_STATE_METRICS, KUBELET, PROMETHEUS_SELF, ALERTMANAGER_SELF,
    POSTGRES_EXPORTER, REDIS_EXPORTER, BLACKBOX_EXPORTER, PROCESS_METRICS].map((c) => [c.name, c]),
);
