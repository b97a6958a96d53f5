import type { DashboardDefinition } from './model';

/**
 * Dashboard uids are the `/d/<uid>` part of a dashboard URL, the target of alert links and the name of
 * the dashboard's ConfigMap (`grafana-dashboard-<uid>`), so they must be stable and Kubernetes-safe:
 * lower-case letters, digits and `-`, at most 40 characters (Grafana's limit).
 */
export const DASHBOARD_UID_PATTERN = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** The slug of a title: `idkarr Overview` → `idkarr-overview`, `API Performance (p95)` → `api-performance-p95`. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The uid of a dashboard: its explicit uid, or the slug of its title cut to 40 characters. */
export function dashboardUid(d: Pick<DashboardDefinition, 'title' | 'uid'>): string {
  const uid = d.uid ?? slugify(d.title).slice(0, 40).replace(/-+$/, '');
  if (!DASHBOARD_UID_PATTERN.test(uid)) {
    const fix = d.uid === undefined
      ? 'give the dashboard an explicit uid'
      : `write lower-case letters, digits and "-" (at most 40), e.g. uid: "${slugify(d.uid).slice(0, 40) || 'my-dashboard'}"`;
    throw new Error(`dashboard "${d.title}": uid "${uid}" is not a valid dashboard uid; ${fix}`);
  }
  return uid;
}
