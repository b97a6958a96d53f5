import { ALERTMANAGER_SELF, PROCESS_METRICS, PROMETHEUS_SYNTHETIC } from '../../alerts/metric-catalogue';
import { ALERTMANAGER_INTERNALS } from '../metric-catalogue';
import { DashboardDefinition, row, stat, table, timeseries } from '../model';
import { datasourceVariable, labelVariable } from '../variables';
import { STACK_DASHBOARD_UIDS, STACK_FOLDER, StackDashboardContext, stackLinks } from './common';

const S = 'job="alertmanager", instance=~"$instance"';
const RATE = '[$__rate_interval]';

/** Options of {@link alertmanagerDashboard}. */
export interface AlertmanagerDashboardOptions {
  /**
   * Alertmanager runs as a gossip cluster (more than one replica). A lone Alertmanager registers no
   * `alertmanager_cluster_*` metrics (app/app.go at v0.34.0), so the cluster panels are left out.
   * @default true
   */
  readonly clustered?: boolean;
}

/** Alertmanager: what is firing, what was delivered where, and whether the replicas agree. */
export function alertmanagerDashboard(ctx: StackDashboardContext, options: AlertmanagerDashboardOptions = {}): DashboardDefinition {
  const clustered = options.clustered ?? true;
  return {
    title: 'Vigil / Alertmanager',
    description: 'Firing alerts, silences, notification delivery per integration and the health of the Alertmanager cluster.',
    folder: STACK_FOLDER,
    tags: ['alertmanager', 'stack'],
    variables: [datasourceVariable(), labelVariable('instance', 'up{job="alertmanager"}')],
    links: stackLinks(STACK_DASHBOARD_UIDS.alertmanager, ctx.deployed),
    metrics: [PROMETHEUS_SYNTHETIC, ALERTMANAGER_SELF, ALERTMANAGER_INTERNALS, PROCESS_METRICS],
    rows: [
      row('Overview', [
        stat({ title: 'Firing alerts', queries: [{ expr: 'count(ALERTS{alertstate="firing"}) or vector(0)' }], thresholds: { steps: [{ value: 1, color: 'orange' }] } }),
        // Every replica holds every alert and silence: max, not sum.
        stat({ title: 'Active silences', queries: [{ expr: `max(alertmanager_silences{${S}, state="active"})` }] }),
        ...(clustered ? [stat({
          title: 'Cluster members', description: 'Members each replica sees; fewer than the replicas means the gossip cluster is split.',
          queries: [{ expr: `min(alertmanager_cluster_members{${S}})` }],
        })] : []),
        stat({
          title: 'Configuration loaded', description: '1 when every replica loaded its last configuration.',
          queries: [{ expr: `min(alertmanager_config_last_reload_successful{${S}})` }], thresholds: { base: 'red', steps: [{ value: 1, color: 'green' }] }, colorMode: 'background',
        }),
      ]),
      row('Alerts', [
        table({ title: 'Firing alerts', queries: [{ expr: 'ALERTS{alertstate="firing"}' }] }),
        timeseries({ title: 'Alerts by state', queries: [{ expr: `max by (state) (alertmanager_alerts{${S}})`, legend: '{{ state }}' }], unit: 'short' }),
        timeseries({ title: 'Alerts received', queries: [{ expr: `sum by (status) (rate(alertmanager_alerts_received_total{${S}}${RATE}))`, legend: '{{ status }}' }], unit: 'short' }),
      ]),
      row('Notifications', [
        timeseries({ title: 'Notifications by integration', queries: [{ expr: `sum by (integration) (rate(alertmanager_notifications_total{${S}}${RATE}))`, legend: '{{ integration }}' }], unit: 'short' }),
        timeseries({
          title: 'Failed notifications', queries: [{ expr: `sum by (integration, reason) (rate(alertmanager_notifications_failed_total{${S}}${RATE}))`, legend: '{{ integration }} {{ reason }}' }],
          unit: 'short', thresholds: { steps: [{ value: 0.001, color: 'red' }] },
        }),
        timeseries({
          title: 'Notification latency (p99)', unit: 's',
          queries: [{ expr: `histogram_quantile(0.99, sum by (le, integration) (rate(alertmanager_notification_latency_seconds_bucket{${S}}${RATE})))`, legend: '{{ integration }}' }],
        }),
        timeseries({ title: 'Invalid alerts rejected', queries: [{ expr: `sum(rate(alertmanager_alerts_invalid_total{${S}}${RATE}))`, legend: 'rejected' }], unit: 'short' }),
      ]),
      row(clustered ? 'Cluster and resources' : 'Configuration and resources', [
        timeseries({
          title: 'Configuration hash by replica', description: 'Replicas with different hashes run different routing.',
          queries: [{ expr: `alertmanager_config_hash{${S}}`, legend: '{{ instance }}' }], unit: 'none', legend: { mode: 'hidden' },
        }),
        ...(clustered ? [timeseries({
          title: 'Cluster members and failed peers', unit: 'short',
          queries: [
            { expr: `alertmanager_cluster_members{${S}}`, legend: 'members seen by {{ instance }}' },
            { expr: `alertmanager_cluster_failed_peers{${S}}`, legend: 'failed peers seen by {{ instance }}' },
          ],
        })] : []),
        timeseries({ title: 'Memory', queries: [{ expr: `process_resident_memory_bytes{${S}}`, legend: '{{ instance }}' }], unit: 'bytes' }),
        timeseries({ title: 'CPU', queries: [{ expr: `rate(process_cpu_seconds_total{${S}}${RATE})`, legend: '{{ instance }}' }], unit: 'short', description: 'CPU cores in use.' }),
      ]),
    ],
  };
}
