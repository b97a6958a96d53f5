import type { DashboardDefinition } from '../model';
import { alertmanagerDashboard } from './alertmanager';
import { STACK_DASHBOARD_UIDS } from './common';
import { kubernetesWorkloadsDashboard } from './kubernetes-workloads';
import { lokiDashboard } from './loki';
import { nodeOverviewDashboard } from './node-overview';
import { prometheusDashboard } from './prometheus';

export { STACK_DASHBOARD_UIDS, STACK_FOLDER } from './common';
export { alertmanagerDashboard, kubernetesWorkloadsDashboard, lokiDashboard, nodeOverviewDashboard, prometheusDashboard };

/** Which parts of the stack are deployed, and where. */
export interface StackDashboardsOptions {
  /** Namespace of the stack. @default 'monitoring' */
  readonly namespace?: string;
  /** Loki is deployed. @default true */
  readonly loki?: boolean;
  /** node-exporter is deployed. @default true */
  readonly nodeExporter?: boolean;
  /** kube-state-metrics is deployed. @default true */
  readonly kubeStateMetrics?: boolean;
}

/** The dashboards of the stack itself, one per deployed component (Prometheus and Alertmanager always). */
export function stackDashboards(options: StackDashboardsOptions = {}): DashboardDefinition[] {
  const parts: Array<[keyof typeof STACK_DASHBOARD_UIDS, boolean, typeof prometheusDashboard]> = [
    ['prometheus', true, prometheusDashboard],
    ['alertmanager', true, alertmanagerDashboard],
    ['loki', options.loki ?? true, lokiDashboard],
    ['nodeOverview', options.nodeExporter ?? true, nodeOverviewDashboard],
    ['kubernetesWorkloads', options.kubeStateMetrics ?? true, kubernetesWorkloadsDashboard],
  ];
  const deployed = parts.filter(([, on]) => on).map(([key]) => key);
  const ctx = { namespace: options.namespace ?? 'monitoring', deployed };
  return parts.filter(([, on]) => on).map(([, , build]) => build(ctx));
}
