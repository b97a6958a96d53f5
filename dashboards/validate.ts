import { MetricCatalogue, seriesNames } from '../alerts/metric-catalogue';
import { matcherMatchesEmpty } from '../lib/logql';
import { closest } from '../lib/suggest';
import { DashboardDefinition, PanelDefinition, panelDatasource } from './model';
import { dashboardQueryMetrics, dashboardQueryProblems, queryLanguage, variableMetrics, variableProblems } from './queries';
import { DASHBOARD_UID_PATTERN, dashboardUid } from './uid';

/**
 * Synth-time checks of one dashboard definition. Every problem is collected, each naming the dashboard
 * and the panel (title and position), so a broken query fails `npm run synth` with a message that
 * says where to look.
 */

/** Thrown when dashboards do not validate; `problems` holds every message. */
export class DashboardValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in dashboards:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DashboardValidationError';
  }
}

const VARIABLE_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Where a panel is, for messages: `panel 'Request Rate' (row 'Overview', #2)`. */
function panelWhere(p: PanelDefinition, rowTitle: string | undefined, index: number): string {
  return `panel '${p.title}' (${rowTitle ? `row '${rowTitle}', ` : ''}#${index + 1})`;
}

/** Every problem of one dashboard; empty when it is valid. */
export function dashboardProblems(d: DashboardDefinition): string[] {
  const problems: string[] = [];
  let uid: string;
  try {
    uid = dashboardUid(d);
  } catch (e) {
    return [(e as Error).message];
  }
  const where = `dashboard '${d.title}' (uid ${uid})`;
  const add = (msg: string) => problems.push(`${where}: ${msg}`);

  const variables = d.variables ?? [];
  const defined = new Set(variables.map((v) => v.name));
  const seen = new Set<string>();
  for (const v of variables) {
    if (!VARIABLE_NAME.test(v.name)) add(`variable '${v.name}': expected letters, digits and "_" (it is referenced as $${v.name})`);
    if (seen.has(v.name)) add(`variable '${v.name}' is defined twice`);
    if (v.name.startsWith('__')) add(`variable '${v.name}': names starting with "__" are Grafana's built-ins`);
    seen.add(v.name);
    if (v.kind === 'custom' && v.values.length === 0) add(`variable '${v.name}': a custom variable needs at least one value`);
    for (const p of variableProblems(v, defined)) add(`variable '${v.name}': ${p}`);
    if (v.kind === 'query' && v.datasource === 'loki' && (v.includeAll ?? true) && v.allValue !== undefined && matcherMatchesEmpty('=~', v.allValue)) {
      add(`variable '${v.name}': allValue "${v.allValue}" matches the empty string, and Loki refuses a selector such as {${v.name}=~"$${v.name}"} when "All" is selected: use ".+" (the default for Loki variables)`);
    }
  }
  const datasourceVariables = variables.filter((v) => v.kind === 'datasource');
  if (new Set(datasourceVariables.map((v) => v.kind === 'datasource' && v.type)).size < datasourceVariables.length) {
    add('more than one datasource variable of the same type: panels would not know which one to use');
  }

  for (const l of d.links ?? []) {
    if (!DASHBOARD_UID_PATTERN.test(l.uid)) add(`link '${l.title}': "${l.uid}" is not a dashboard uid`);
  }

  const panels = d.rows.flatMap((r) => r.panels.map((p) => ({ p, row: r.title })));
  if (panels.length === 0) add('has no panels: add at least one row with a panel');

  const catalogue = d.metrics ? seriesNames(...d.metrics) : undefined;
  const checkMetrics = (names: string[], at: string) => {
    if (!catalogue || !d.metrics) return;
    for (const m of names) {
      if (catalogue.has(m)) continue;
      const near = closest(m, catalogue);
      add(`${at}: reads metric "${m}", which is in none of the dashboard's metric catalogues (${(d.metrics as MetricCatalogue[]).map((c) => c.name).join(', ')})${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : '; add it to a catalogue or fix the name'}`);
    }
  };
  for (const v of variables) checkMetrics(variableMetrics(v, defined), `variable '${v.name}'`);

  panels.forEach(({ p, row }, i) => {
    const at = panelWhere(p, row, i);
    if (!p.title.trim()) add(`${at}: the title is empty`);
    if (p.width !== undefined && !(Number.isInteger(p.width) && p.width >= 1 && p.width <= 24)) add(`${at}: width ${p.width} must be a whole number of grid columns from 1 to 24`);
    if (p.height !== undefined && !(Number.isInteger(p.height) && p.height >= 1 && p.height <= 100)) add(`${at}: height ${p.height} must be a whole number of grid rows from 1 to 100`);
    if (p.queries.length === 0) add(`${at}: has no queries`);
    if (p.queries.length > 26) add(`${at}: more than 26 queries (refIds A-Z); split the panel`);
    const steps = p.thresholds?.steps ?? [];
    steps.forEach((s, j) => {
      if (!Number.isFinite(s.value)) add(`${at}: threshold step ${j + 1} must be a finite number`);
      if (j > 0 && s.value <= steps[j - 1].value) add(`${at}: threshold steps must increase (${steps[j - 1].value} then ${s.value})`);
    });
    if (p.min !== undefined && p.max !== undefined && p.min >= p.max) add(`${at}: min ${p.min} must be below max ${p.max}`);
    for (const l of p.links ?? []) {
      if (!DASHBOARD_UID_PATTERN.test(l.uid)) add(`${at}: link '${l.title}': "${l.uid}" is not a dashboard uid`);
    }
    if (p.kind === 'stat' && p.sparkline && p.queries.some((q) => q.instant === true)) add(`${at}: sparkline needs a range query, and a query here is instant: remove instant: true or the sparkline`);
    const ds = panelDatasource(p);
    const language = queryLanguage(ds, p.kind);
    p.queries.forEach((q, j) => {
      const qat = `${at}, query ${String.fromCharCode(65 + j)}`;
      const queryProblems = dashboardQueryProblems(q.expr, language, defined);
      for (const problem of queryProblems) add(`${qat}: ${problem}`);
      if (language === 'promql' && queryProblems.length === 0) checkMetrics(dashboardQueryMetrics(q.expr, defined), qat);
    });
  });
  return problems;
}

/** Throws a {@link DashboardValidationError} listing every problem of the dashboards. */
export function assertDashboards(dashboards: readonly DashboardDefinition[]): void {
  const problems = dashboards.flatMap(dashboardProblems);
  if (problems.length) throw new DashboardValidationError(problems);
}
