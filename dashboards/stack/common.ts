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

/** A deployed stack dashboard, as the header links of the others point to it. */
export interface StackDashboardLink {
  readonly uid: string;
  readonly title: string;
}

/** Header links from one stack dashboard to the others that are deployed, in the order of the components. */
export function stackLinks(selfUid: string, deployed: readonly StackDashboardLink[]): DashboardLinkDefinition[] {
  return deployed.filter((d) => d.uid !== selfUid).map((d) => ({ title: d.title, uid: d.uid }));
}

/** What every stack dashboard is built from. */
export interface StackDashboardContext {
  /** Namespace of the stack (for log queries). */
  readonly namespace: string;
  /** The stack dashboards that are deployed, for the header links. */
  readonly deployed: readonly StackDashboardLink[];
}
