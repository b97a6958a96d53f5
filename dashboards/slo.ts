import { MetricCatalogue, PROMETHEUS_SYNTHETIC } from '../alerts/metric-catalogue';
import { SRE_WORKBOOK_WINDOWS, SloDefinition, burnRateFactor, sloAlertNames, sloRules } from '../alerts/slo';
import { DashboardDefinition, DashboardLinkDefinition, gauge, row, stat, table, timeseries } from './model';
import { dashboardUid } from './uid';
import { datasourceVariable } from './variables';

/**
 * SLO dashboards, one per SLO declared with `alerts/slo.ts`. They read the series that the SLO's
 * recording rules write (`slo:sli_error:ratio_rate<window>`, `slo:error_budget_remaining:ratio`,
 * `slo:objective:ratio`, all labelled `slo="<name>"`), so a dashboard costs no more than the alerts
 * already do, and shows exactly what the burn-rate alerts see.
 */

/** Folder of the SLO dashboards. */
export const SLO_FOLDER = 'SLOs';

/** Title of an SLO's dashboard; its uid is the slug, `slo-<name>`. */
export function sloDashboardTitle(slo: Pick<SloDefinition, 'name'>): string {
  return `SLO / ${slo.name}`;
}

/** The recorded series an SLO's rules write, as a catalogue the dashboard is checked against. */
export function sloMetricCatalogue(slos: readonly SloDefinition[]): MetricCatalogue {
  const metrics: Record<string, { type: 'gauge'; help: string; labels: string[] }> = {};
  for (const slo of slos) {
    for (const r of sloRules(slo).records) metrics[r.record] = { type: 'gauge', help: 'Recorded by the SLO rules (alerts/slo.ts).', labels: ['slo'] };
  }
  return { name: 'slo-recording-rules', source: 'alerts/slo.ts recording rules', metrics };
}

/** Options of {@link sloDashboard}. */
export interface SloDashboardOptions {
  /** @default 'SLOs' */
  readonly folder?: string;
  /**
   * Further header links (e.g. to the service's own dashboard).
   * @default []
   */
  readonly links?: readonly DashboardLinkDefinition[];
}

const pct = (ratio: number) => Number((ratio * 100).toPrecision(10));

/** One SLO: objective, compliance, error budget remaining and the burn rate over each alert window. */
export function sloDashboard(slo: SloDefinition, options: SloDashboardOptions = {}): DashboardDefinition {
  const period = slo.window ?? '30d';
  const windows = slo.windows ?? SRE_WORKBOOK_WINDOWS;
  const budget = Number((1 - slo.objective / 100).toPrecision(10));
  const m = `slo="${slo.name}"`;
  const ranges = [...new Set(windows.flatMap((w) => [w.shortWindow, w.longWindow]))];
  const ordered = sloRules(slo).records.map((r) => r.record).filter((r) => ranges.some((w) => r === `slo:sli_error:ratio_rate${w}`));
  // Burn rate 1 spends the budget exactly over the period; the alert factors are the lines to watch.
  const factors = [...new Set(windows.map((w) => burnRateFactor(w, period)))].sort((a, b) => a - b);
  const alerts = sloAlertNames(slo);
  return {
    title: sloDashboardTitle(slo),
    uid: `slo-${slo.name}`, // the name itself, not a slug of the title that could merge two names
    description: slo.description ?? `SLO ${slo.name}: ${slo.objective}% over ${period}.`,
    folder: options.folder ?? SLO_FOLDER,
    tags: ['slo'],
    variables: [datasourceVariable()],
    links: [...(options.links ?? [])],
    metrics: [sloMetricCatalogue([slo]), PROMETHEUS_SYNTHETIC],
    rows: [
      row('Objective', [
        stat({ title: 'Objective', queries: [{ expr: `max(slo:objective:ratio{${m}})` }], unit: 'percentunit', decimals: 3, colorMode: 'none' }),
        stat({
          title: `Compliance over ${period}`, unit: 'percentunit', decimals: 3,
          queries: [{ expr: `1 - max(slo:sli_error:ratio_rate${period}{${m}})` }],
          thresholds: { base: 'red', steps: [{ value: slo.objective / 100, color: 'green' }] },
        }),
        gauge({
          title: 'Error budget remaining', unit: 'percentunit', min: 0, max: 1,
          description: `Share of the ${period} error budget (${pct(budget)}% of events) not yet spent.`,
          queries: [{ expr: `max(slo:error_budget_remaining:ratio{${m}})` }],
          thresholds: { base: 'red', steps: [{ value: 0, color: 'orange' }, { value: 0.25, color: 'green' }] },
        }),
        stat({
          title: 'Burn-rate alerts firing', description: `${alerts.page} (page) and ${alerts.ticket} (ticket).`,
          queries: [{ expr: `count(ALERTS{alertstate="firing", alertname=~"${alerts.page}|${alerts.ticket}"}) or vector(0)` }],
          thresholds: { steps: [{ value: 1, color: 'red' }] }, colorMode: 'background',
        }),
      ]),
      row('Burn rate', [
        timeseries({
          title: 'Burn rate by window', unit: 'short', width: 24, min: 0,
          description: `Error ratio over each alert window divided by the budget (${pct(budget)}%). 1 spends the budget exactly over ${period}; the dashed lines are the alert thresholds (${factors.join(', ')}).`,
          queries: ordered.map((record) => ({ expr: `max(${record}{${m}}) / ${budget}`, legend: record.replace('slo:sli_error:ratio_rate', '') })),
          thresholds: { base: 'green', steps: factors.map((f, i) => ({ value: f, color: i === factors.length - 1 ? 'red' : 'orange' })) },
          legend: { mode: 'table', placement: 'right', calcs: ['lastNotNull', 'max'] },
        }),
        timeseries({
          title: 'Error budget remaining', unit: 'percentunit',
          queries: [{ expr: `max(slo:error_budget_remaining:ratio{${m}})`, legend: 'remaining' }],
          thresholds: { base: 'red', steps: [{ value: 0, color: 'orange' }, { value: 0.25, color: 'green' }] },
        }),
        timeseries({
          title: 'Error ratio', unit: 'percentunit',
          queries: [{ expr: `max(${ordered[0]}{${m}})`, legend: ordered[0].replace('slo:sli_error:ratio_rate', 'over ') }],
          thresholds: { base: 'green', steps: [{ value: budget, color: 'red' }] },
          description: `The dashed line is the error ratio the objective allows (${pct(budget)}%).`,
        }),
      ]),
    ],
  };
}

/** One dashboard per SLO, plus an overview table of all of them linking to each. */
export function sloDashboards(slos: readonly SloDefinition[], options: SloDashboardOptions = {}): DashboardDefinition[] {
  if (slos.length === 0) return [];
  const each = slos.map((slo) => sloDashboard(slo, { ...options, links: [{ title: 'All SLOs', uid: 'slo-overview' }, ...(options.links ?? [])] }));
  const overview: DashboardDefinition = {
    title: 'SLO overview',
    description: 'Every declared SLO: error budget remaining and the fastest current burn rate.',
    folder: options.folder ?? SLO_FOLDER,
    tags: ['slo'],
    variables: [datasourceVariable()],
    metrics: [sloMetricCatalogue(slos)],
    links: each.map((d) => ({ title: d.title, uid: dashboardUid(d) })),
    rows: [row(undefined, [
      table({ title: 'Error budget remaining', unit: 'percentunit', queries: [{ expr: 'min by (slo) (slo:error_budget_remaining:ratio)' }], thresholds: { base: 'red', steps: [{ value: 0, color: 'orange' }, { value: 0.25, color: 'green' }] } }),
      timeseries({ title: 'Error budget remaining by SLO', unit: 'percentunit', width: 24, queries: [{ expr: 'min by (slo) (slo:error_budget_remaining:ratio)', legend: '{{ slo }}' }] }),
    ])],
  };
  return [overview, ...each];
}
