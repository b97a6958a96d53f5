import type { DashboardDefinition } from '../model';
import { alertmanagerDashboard } from './alertmanager';
import { STACK_DASHBOARD_UIDS } from './common';
import { kubernetesWorkloadsDashboard } from './kubernetes-workloads';
import { lokiDashboard } from './loki';
import { nodeOverviewDashboard } from './node-overview';
import { prometheusDashboard } from './prometheus';

export { STACK_DASHBOARD_UIDS, STACK_FOLDER, stackLinks } from './common';
export type { StackDashboardContext, StackDashboardLink } from './common';
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
  const parts: Array<[string, string, boolean, typeof prometheusDashboard]> = [
    [STACK_DASHBOARD_UIDS.prometheus, 'Prometheus', true, prometheusDashboard],
    [STACK_DASHBOARD_UIDS.alertmanager, 'Alertmanager', true, alertmanagerDashboard],
    [STACK_DASHBOARD_UIDS.nodeOverview, 'Node overview', options.nodeExporter ?? true, nodeOverviewDashboard],
    [STACK_DASHBOARD_UIDS.kubernetesWorkloads, 'Kubernetes workloads', options.kubeStateMetrics ?? true, kubernetesWorkloadsDashboard],
    [STACK_DASHBOARD_UIDS.loki, 'Loki', options.loki ?? true, lokiDashboard],
  ];
  const on = parts.filter(([, , enabled]) => enabled);
  const ctx = { namespace: options.namespace ?? 'monitoring', deployed: on.map(([uid, title]) => ({ uid, title })) };
  return on.map(([, , , build]) => build(ctx));
}
