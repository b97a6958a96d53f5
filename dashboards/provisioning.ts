import { ProvisionedDatasource } from './datasources';
import { DashboardDefinition, allPanels, panelDatasource } from './model';
import { CONFIGMAP_DATA_BUDGET_BYTES, encodedDataBytes } from '../lib/configmap-budget';
import { dashboardJson } from './render';
import { dashboardUid, slugify } from './uid';
import { DashboardValidationError, dashboardProblems } from './validate';

/**
 * A set of dashboards as Grafana file provisioning sees it: each dashboard one JSON file in its own
 * ConfigMap (`grafana-dashboard-<uid>`, below the 1 MiB object limit whatever the others weigh),
 * grouped into folders, one provider per folder. Checks that need the whole set live here: unique uids,
 * links that resolve, datasources that are provisioned.
 */

/** The folder dashboards land in when their definition names none. */
export const DEFAULT_FOLDER = 'Vigil';

/** One dashboard, rendered. */
export interface ProvisionedDashboard {
  readonly uid: string;
  readonly title: string;
  /** Folder title. */
  readonly folder: string;
  /** `grafana-dashboard-<uid>`. */
  readonly configMapName: string;
  /** `<uid>.json`, the ConfigMap key and the file name Grafana reads. */
  readonly fileName: string;
  /** Pretty-printed dashboard JSON with sorted keys; without indentation when that is too large for one ConfigMap. */
  readonly json: string;
}

/** One folder of dashboards, and the directory its provider reads. */
export interface DashboardFolder {
  readonly title: string;
  /** Folder uid in Grafana, the slug of the title. */
  readonly uid: string;
  readonly dashboards: readonly ProvisionedDashboard[];
}

/** Options of {@link provisionDashboards}. */
export interface ProvisionDashboardsOptions {
  /**
   * The datasources Grafana will have; a dashboard querying another fails synth.
   * @default - every datasource (no check)
   */
  readonly datasources?: readonly ProvisionedDatasource[];
}

/** The uids of a set of dashboards, sorted. */
export function dashboardUids(dashboards: readonly DashboardDefinition[]): string[] {
  return dashboards.map(dashboardUid).sort();
}

/**
 * Whether a dashboard with this uid is in the set: what alert rules use to check that their
 * `dashboard` link opens something (pass `dashboardUids(...)` as the alert validator's
 * `knownDashboardUids`).
 */
export function dashboardExists(uid: string, dashboards: readonly DashboardDefinition[]): boolean {
  return dashboards.some((d) => dashboardUid(d) === uid);
}

/** Every problem of a set of dashboards: each dashboard's own, then the cross-references. */
export function dashboardSetProblems(dashboards: readonly DashboardDefinition[], options: ProvisionDashboardsOptions = {}): string[] {
  const problems = dashboards.flatMap(dashboardProblems);
  if (problems.length) return problems;
  const byUid = new Map<string, string>();
  const folderByUid = new Map<string, string>();
  const titlesByFolder = new Map<string, string>();
  for (const d of dashboards) {
    const uid = dashboardUid(d);
    const other = byUid.get(uid);
    if (other !== undefined) problems.push(`dashboards '${other}' and '${d.title}' have the same uid "${uid}": give one of them an explicit uid`);
    byUid.set(uid, d.title);
    const folder = d.folder ?? DEFAULT_FOLDER;
    const folderUid = slugify(folder);
    if (!folderUid || folderUid.length > 40) problems.push(`dashboard '${d.title}': folder "${folder}" needs a name of 1–40 letters or digits`);
    if (folderUid === 'general') problems.push(`dashboard '${d.title}': folder "${folder}" would have the uid "general", which Grafana reserves for its root folder and refuses in file provisioning (the folder's dashboards never load): name the folder otherwise, e.g. "${folder} dashboards"`);
    const sameTitle = titlesByFolder.get(`${folderUid}\u0000${d.title}`);
    if (sameTitle !== undefined) problems.push(`dashboards with uids "${sameTitle}" and "${uid}" are both titled '${d.title}' in folder "${folder}": Grafana's provisioning then stops applying updates to that folder; give one another title or folder`);
    titlesByFolder.set(`${folderUid}\u0000${d.title}`, uid);
    const sameUid = folderByUid.get(folderUid);
    if (sameUid !== undefined && sameUid !== folder) problems.push(`folders "${sameUid}" and "${folder}" differ only in case or punctuation: use one spelling`);
    folderByUid.set(folderUid, folder);
  }
  for (const d of dashboards) {
    const links = [...(d.links ?? []).map((l) => ({ l, at: 'link' })), ...allPanels(d).flatMap((p) => (p.links ?? []).map((l) => ({ l, at: `panel '${p.title}' link` })))];
    for (const { l, at } of links) {
      if (!byUid.has(l.uid)) problems.push(`dashboard '${d.title}': ${at} '${l.title}' points to uid "${l.uid}", which is not provisioned (known: ${[...byUid.keys()].sort().join(', ')})`);
    }
    if (options.datasources) {
      const used = new Set([...allPanels(d).map(panelDatasource), ...(d.variables ?? []).flatMap((v) => (v.kind === 'datasource' ? [v.type] : v.kind === 'query' ? [v.datasource ?? 'prometheus'] : []))]);
      for (const ds of [...used].sort()) {
        if (!options.datasources.includes(ds)) problems.push(`dashboard '${d.title}' queries ${ds}, which is not deployed: enable it or leave the dashboard out`);
      }
    }
  }
  return problems;
}

/**
 * The dashboard's JSON as its ConfigMap can hold it for `kubectl apply`: pretty-printed (a review diff
 * is line by line), or, for a dashboard too large for that (about 100 panels and more), the same JSON
 * without indentation, which is about half the size. One file cannot span ConfigMaps (Grafana reads
 * each dashboard from one file), so a dashboard too large even then fails synth: split it.
 */
function fittingJson(d: DashboardDefinition, uid: string): string {
  const pretty = dashboardJson(d);
  const key = `${uid}.json`;
  if (encodedDataBytes({ [key]: pretty }) <= CONFIGMAP_DATA_BUDGET_BYTES) return pretty;
  const compact = `${JSON.stringify(JSON.parse(pretty))}\n`;
  if (encodedDataBytes({ [key]: compact }) <= CONFIGMAP_DATA_BUDGET_BYTES) return compact;
  throw new DashboardValidationError([`dashboard "${d.title}" (${uid}) renders to ${Math.round(Buffer.byteLength(compact) / 1024)} KiB even without indentation, more than one ConfigMap can hold for kubectl apply (${CONFIGMAP_DATA_BUDGET_BYTES / 1024} KiB; the last-applied annotation is limited to 256 KiB): split it into several dashboards linked to each other`]);
}

/** Validates and renders a set of dashboards, grouped into folders (folders and dashboards sorted by name and uid). */
export function provisionDashboards(dashboards: readonly DashboardDefinition[], options: ProvisionDashboardsOptions = {}): DashboardFolder[] {
  const problems = dashboardSetProblems(dashboards, options);
  if (problems.length) throw new DashboardValidationError(problems);
  const folders = new Map<string, ProvisionedDashboard[]>();
  for (const d of dashboards) {
    const uid = dashboardUid(d);
    const folder = d.folder ?? DEFAULT_FOLDER;
    folders.set(folder, [...(folders.get(folder) ?? []), {
      uid, title: d.title, folder, configMapName: `grafana-dashboard-${uid}`, fileName: `${uid}.json`, json: fittingJson(d, uid),
    }]);
  }
  return [...folders.entries()]
    .map(([title, list]) => ({ title, uid: slugify(title), dashboards: [...list].sort((a, b) => a.uid.localeCompare(b.uid)) }))
    .sort((a, b) => a.uid.localeCompare(b.uid));
}
