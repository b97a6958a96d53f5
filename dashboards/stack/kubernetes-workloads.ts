import { KUBE_STATE_METRICS, KUBELET, PROMETHEUS_SYNTHETIC } from '../../alerts/metric-catalogue';
import { CADVISOR } from '../metric-catalogue';
import { DashboardDefinition, row, stat, table, timeseries } from '../model';
import { datasourceVariable, labelVariable } from '../variables';
import { STACK_DASHBOARD_UIDS, STACK_FOLDER, StackDashboardContext, stackLinks } from './common';

const NS = 'namespace=~"$namespace"';
/** cAdvisor also reports the pod's sandbox and the pod total without a container name; count containers only. */
const C = `${NS}, container!="", container!="POD"`;
const RATE = '[$__rate_interval]';

/** Workloads of the cluster from kube-state-metrics, cAdvisor and the kubelet: pods, restarts, resources, volumes. */
export function kubernetesWorkloadsDashboard(ctx: StackDashboardContext): DashboardDefinition {
  return {
    title: 'Vigil / Kubernetes workloads',
    description: 'Pods and their state, workloads short of replicas, CPU and memory against limits, and volume usage, per namespace.',
    folder: STACK_FOLDER,
    tags: ['kubernetes', 'stack'],
    variables: [datasourceVariable(), labelVariable('namespace', 'kube_pod_info')],
    links: stackLinks(STACK_DASHBOARD_UIDS.kubernetesWorkloads, ctx.deployed),
    metrics: [PROMETHEUS_SYNTHETIC, KUBE_STATE_METRICS, KUBELET, CADVISOR],
    rows: [
      row('Pods', [
        stat({ title: 'Running pods', queries: [{ expr: `sum(kube_pod_status_phase{${NS}, phase="Running"})` }] }),
        stat({ title: 'Pending pods', queries: [{ expr: `sum(kube_pod_status_phase{${NS}, phase="Pending"})` }], thresholds: { steps: [{ value: 1, color: 'orange' }] } }),
        stat({ title: 'Failed pods', queries: [{ expr: `sum(kube_pod_status_phase{${NS}, phase="Failed"})` }], thresholds: { steps: [{ value: 1, color: 'red' }] } }),
        stat({
          title: 'Container restarts', description: 'Restarts in the selected range.',
          queries: [{ expr: `sum(increase(kube_pod_container_status_restarts_total{${NS}}[$__range]))` }], thresholds: { steps: [{ value: 1, color: 'orange' }, { value: 10, color: 'red' }] },
        }),
        timeseries({
          title: 'Restarts by pod', unit: 'short',
          queries: [{ expr: `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${NS}}[1h])) > 0`, legend: '{{ namespace }}/{{ pod }}' }],
          description: 'Restarts in the hour before each point.',
        }),
        table({ title: 'Waiting containers', queries: [{ expr: `kube_pod_container_status_waiting_reason{${NS}} > 0` }], width: 12 }),
      ]),
      row('Workloads short of replicas', [
        table({ title: 'Deployments', queries: [{ expr: `kube_deployment_spec_replicas{${NS}} - kube_deployment_status_replicas_available{${NS}} > 0` }], width: 8 }),
        table({ title: 'StatefulSets', queries: [{ expr: `kube_statefulset_replicas{${NS}} - kube_statefulset_status_replicas_ready{${NS}} > 0` }], width: 8 }),
        table({ title: 'DaemonSets', queries: [{ expr: `kube_daemonset_status_desired_number_scheduled{${NS}} - kube_daemonset_status_number_ready{${NS}} > 0` }], width: 8 }),
      ]),
      row('Resources', [
        timeseries({ title: 'CPU by pod', queries: [{ expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${C}}${RATE}))`, legend: '{{ namespace }}/{{ pod }}' }], unit: 'short', description: 'CPU cores in use.' }),
        timeseries({ title: 'Memory by pod', queries: [{ expr: `sum by (namespace, pod) (container_memory_working_set_bytes{${C}})`, legend: '{{ namespace }}/{{ pod }}' }], unit: 'bytes' }),
        timeseries({
          title: 'Memory against limit', unit: 'percentunit', thresholds: { base: 'green', steps: [{ value: 0.9, color: 'red' }] },
          description: 'Working set over the memory limit, per container; at 100% the container is OOM-killed.',
          queries: [{
            expr: `max by (namespace, pod, container) (container_memory_working_set_bytes{${C}}) / on (namespace, pod, container) max by (namespace, pod, container) (kube_pod_container_resource_limits{${NS}, resource="memory"})`,
            legend: '{{ namespace }}/{{ pod }}/{{ container }}',
          }],
        }),
        timeseries({
          title: 'CPU throttling', unit: 'percentunit', thresholds: { base: 'green', steps: [{ value: 0.25, color: 'orange' }] },
          description: 'Share of CPU periods in which the container was throttled.',
          queries: [{
            expr: `sum by (namespace, pod) (rate(container_cpu_cfs_throttled_periods_total{${C}}${RATE})) / sum by (namespace, pod) (rate(container_cpu_cfs_periods_total{${C}}${RATE}))`,
            legend: '{{ namespace }}/{{ pod }}',
          }],
        }),
        timeseries({
          title: 'Network traffic by pod', unit: 'Bps',
          queries: [
            { expr: `sum by (namespace, pod) (rate(container_network_receive_bytes_total{${NS}}${RATE}))`, legend: 'in {{ namespace }}/{{ pod }}' },
            { expr: `sum by (namespace, pod) (rate(container_network_transmit_bytes_total{${NS}}${RATE}))`, legend: 'out {{ namespace }}/{{ pod }}' },
          ],
        }),
        timeseries({ title: 'OOM events by pod', queries: [{ expr: `sum by (namespace, pod) (increase(container_oom_events_total{${C}}${RATE})) > 0`, legend: '{{ namespace }}/{{ pod }}' }], unit: 'short' }),
      ]),
      row('Volumes', [
        table({
          title: 'Volume usage', unit: 'percentunit', thresholds: { base: 'green', steps: [{ value: 0.8, color: 'orange' }, { value: 0.9, color: 'red' }] },
          queries: [{ expr: `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${NS}} / kubelet_volume_stats_capacity_bytes{${NS}})` }],
        }),
      ]),
    ],
  };
}
