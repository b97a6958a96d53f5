import type { DashboardLinkDefinition } from '../model';

/** Folder of the dashboards that watch the stack itself. */
export const STACK_FOLDER = 'Vigil stack';

/** Uids of the stack dashboards (the slugs of their titles), for links from alerts and between dashboards. */
export const STACK_DASHBOARD_UIDS = {
  prometheus: 'vigil-prometheus',
  alertmanager: 'vigil-alertmanager',
  loki: 'vigil-loki',
  nodeOverview: 'vigil-node-overview',
  kubernetesWorkloads: 'vigil-kubernetes-workloads',
} as const;

const TITLES: Record<keyof typeof STACK_DASHBOARD_UIDS, string> = {
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
  loki: 'Loki',
  nodeOverview: 'Node overview',
  kubernetesWorkloads: 'Kubernetes workloads',
};

/** Header links from one stack dashboard to the others that are deployed. */
export function stackLinks(self: keyof typeof STACK_DASHBOARD_UIDS, deployed: ReadonlyArray<keyof typeof STACK_DASHBOARD_UIDS>): DashboardLinkDefinition[] {
  return deployed.filter((d) => d !== self).map((d) => ({ title: TITLES[d], uid: STACK_DASHBOARD_UIDS[d] }));
}

/** What every stack dashboard is built from. */
export interface StackDashboardContext {
  /** Namespace of the stack (for log queries). */
  readonly namespace: string;
  /** The stack dashboards that are deployed, for the header links. */
  readonly deployed: ReadonlyArray<keyof typeof STACK_DASHBOARD_UIDS>;
}
