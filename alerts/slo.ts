import { z } from 'zod';
import { durationSeconds, formatDuration, isPromDuration } from '../lib/duration';
import type { MetricCatalogue } from './metric-catalogue';
import { sel } from './packs/selector';
import { AlertRule, alertRule, formatNumber, RecordingRule, recordingRule, Severity, SEVERITIES } from './rule';
import { ruleGroup } from './rule-group';
import type { RulePack } from './rule-pack';
import type { RuleTest } from './rule-test';

/**
 * Service level objectives as multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on
 * SLOs"): an SLO becomes recording rules for its error ratio over each window, and two alerts — a
 * page when the error budget burns fast, a ticket when it burns slowly — each firing only when both a
 * long and a short window exceed `factor × (1 − objective)`. The short window makes the alert resolve
 * quickly once the problem is fixed.
 */

/** Page or ticket. */
export type BurnRateTier = 'page' | 'ticket';

/** One long/short window pair of the burn-rate table. */
export interface BurnRateWindow {
  readonly tier: BurnRateTier;
  /** Share of the whole period's error budget that this pair alerts on, spent within `longWindow` (e.g. 2 for 2%). */
  readonly errorBudgetPercent: number;
  readonly shortWindow: string;
  readonly longWindow: string;
}

/**
 * The SRE workbook table. For a 30-day SLO the burn-rate factors are 14.4 (5m/1h), 6 (30m/6h),
 * 3 (2h/1d) and 1 (6h/3d); for other periods they scale so the same share of budget is spent.
 */
export const SRE_WORKBOOK_WINDOWS: readonly BurnRateWindow[] = [
  { tier: 'page', errorBudgetPercent: 2, shortWindow: '5m', longWindow: '1h' },
  { tier: 'page', errorBudgetPercent: 5, shortWindow: '30m', longWindow: '6h' },
  { tier: 'ticket', errorBudgetPercent: 10, shortWindow: '2h', longWindow: '1d' },
  { tier: 'ticket', errorBudgetPercent: 10, shortWindow: '6h', longWindow: '3d' },
];

/** Error and total queries; `{{.window}}` (as in Sloth) is replaced by each window, e.g. `[{{.window}}]`. */
export interface RatioIndicator {
  /** Rate of bad events, e.g. `sum(rate(http_requests_total{job="api", status=~"5.."}[{{.window}}]))`. */
  readonly errorQuery: string;
  /** Rate of all events, e.g. `sum(rate(http_requests_total{job="api"}[{{.window}}]))`. */
  readonly totalQuery: string;
}

/** Requests slower than a histogram bucket boundary are the bad events. */
export interface LatencyIndicator {
  /** Histogram base name (without `_bucket`), e.g. `http_request_duration_seconds`. */
  readonly histogram: string;
  /**
   * Matchers selecting the service's series, e.g. `job="api"`.
   * @default - all series of the histogram
   */
  readonly selector?: string;
  /** Latency threshold in seconds; must be one of the histogram's bucket boundaries (`le`). */
  readonly thresholdSeconds: number;
  /**
   * The histogram's bucket boundaries (`le`), when they are not the Prometheus client libraries'
   * defaults; the threshold must be one of them, or the bucket series it reads does not exist.
   * @default DEFAULT_HISTOGRAM_BUCKETS
   */
  readonly buckets?: readonly number[];
}

/** The bucket boundaries Prometheus client libraries give a histogram by default. */
export const DEFAULT_HISTOGRAM_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How an SLO's alerts are rendered. */
export interface SloAlerting {
  /**
   * Severity of the fast-burn (page) alert.
   * @default 'critical'
   */
  readonly pageSeverity?: Severity;
  /**
   * Severity of the slow-burn (ticket) alert.
   * @default 'warning'
   */
  readonly ticketSeverity?: Severity;
  /**
   * `for` of both alerts; the short window already filters blips.
   * @default - none
   */
  readonly for?: string;
  /**
   * Render the ticket alert.
   * @default true
   */
  readonly ticket?: boolean;
}

/** A service level objective. */
export interface SloDefinition {
  /** Lower-case name with `-`, e.g. `idkarr-availability`; alert names are its CamelCase form. */
  readonly name: string;
  /** Objective in percent, e.g. 99.9. */
  readonly objective: number;
  /**
   * Compliance period.
   * @default '30d'
   */
  readonly window?: string;
  /** The indicator: error/total queries, or a latency threshold on a histogram. */
  readonly sli: { readonly ratio: RatioIndicator } | { readonly latency: LatencyIndicator };
  /**
   * What the SLO promises, quoted in alert descriptions.
   * @default - derived from the indicator
   */
  readonly description?: string;
  /**
   * Labels added to the recorded series and alerts (e.g. `{ service: 'idkarr' }`).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Alert severities and options.
   * @default {}
   */
  readonly alerting?: SloAlerting;
  /**
   * The burn-rate window table.
   * @default SRE_WORKBOOK_WINDOWS
   */
  readonly windows?: readonly BurnRateWindow[];
}

/** Lower-case words joined by single dashes: the alert names (CamelCase) and dashboard uids (`slo-<name>`) of two SLOs then never coincide. */
const SLO_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const duration = z.string().refine(isPromDuration, 'expected a Prometheus duration such as "30d"');

/** zod schema of an SLO definition (strict: misspelt keys fail). */
export const sloDefinitionSchema = z.strictObject({
  name: z.string().regex(SLO_NAME, 'expected lower-case letters and digits, words joined by single "-", e.g. "api-availability"')
    // Its dashboard's uid is `slo-<name>`: Grafana uids hold 40 characters, and `slo-overview` is the overview's.
    .max(36, 'at most 36 characters: the SLO dashboard\'s uid "slo-<name>" holds 40')
    .refine((n) => n !== 'overview', '"overview" is taken: the SLO overview dashboard has the uid "slo-overview"; name the SLO after its service, e.g. "api-availability"'),
  objective: z.number().gt(0, 'expected a percentage above 0').lt(100, 'expected a percentage below 100, e.g. 99.9'),
  window: duration.optional(),
  sli: z.union([
    z.strictObject({
      ratio: z.strictObject({
        errorQuery: z.string().includes('{{.window}}', { message: 'must use {{.window}} for the range, e.g. [{{.window}}]' }),
        totalQuery: z.string().includes('{{.window}}', { message: 'must use {{.window}} for the range, e.g. [{{.window}}]' }),
      }),
    }),
    z.strictObject({
      latency: z.strictObject({
        histogram: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'expected a metric name').refine((s) => !s.endsWith('_bucket'), 'give the base name, without _bucket'),
        selector: z.string().refine((v) => !/^\s*\{/.test(v), 'write the matchers without braces, e.g. job="api" (they are put inside the selector\'s braces)').optional(),
        thresholdSeconds: z.number().positive('expected a positive number of seconds, e.g. 0.5'),
        buckets: z.array(z.number().positive()).min(1).readonly().optional(),
      }),
    }),
  ]),
  description: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  alerting: z.strictObject({
    pageSeverity: z.enum(SEVERITIES).optional(),
    ticketSeverity: z.enum(SEVERITIES).optional(),
    for: duration.optional(),
    ticket: z.boolean().optional(),
  }).optional(),
  windows: z.array(z.strictObject({
    tier: z.enum(['page', 'ticket']),
    errorBudgetPercent: z.number().positive().max(100),
    shortWindow: duration,
    longWindow: duration,
  // readonly: what `availabilitySlo()`/`latencySlo()` return (readonly arrays) must type-check as config.
  })).min(1).readonly().optional(),
});

/** Options of `availabilitySlo`: "99.9% of requests succeed". */
export interface AvailabilitySloOptions {
  /** SLO name, e.g. `idkarr-availability`. */
  readonly name: string;
  /**
   * Matchers selecting the service's requests, e.g. `job="idkarr-api"`.
   * @default - all series of the metric
   */
  readonly selector?: string;
  /**
   * Objective in percent.
   * @default 99.9
   */
  readonly objective?: number;
  /**
   * Request counter.
   * @default 'http_requests_total'
   */
  readonly metric?: string;
  /**
   * Matchers that make a request an error.
   * @default 'status=~"5.."'
   */
  readonly errorSelector?: string;
  /**
   * Compliance period.
   * @default '30d'
   */
  readonly window?: string;
  /**
   * Extra labels.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** "99.9% of requests succeed" in one line: `availabilitySlo({ name: 'api-availability', selector: 'job="api"' })`. */
/** Matchers written with braces (`{job="api"}`) would end up inside the selector's own braces. */
function checkSelector(slo: string, field: string, value: string | undefined): void {
  if (value !== undefined && /^\s*\{/.test(value)) {
    throw new Error(`SLO '${slo}': ${field} "${value}": write the matchers without braces, e.g. ${field}: '${value.trim().replace(/^\{\s*|\s*\}$/g, '')}'`);
  }
}

export function availabilitySlo(o: AvailabilitySloOptions): SloDefinition {
  checkSelector(o.name, 'selector', o.selector);
  checkSelector(o.name, 'errorSelector', o.errorSelector);
  const metric = o.metric ?? 'http_requests_total';
  const objective = o.objective ?? 99.9;
  return {
    name: o.name,
    objective,
    window: o.window,
    labels: o.labels,
    description: `${formatNumber(objective)}% of requests succeed`,
    sli: {
      ratio: {
        errorQuery: `sum(rate(${sel(metric, o.selector, o.errorSelector ?? 'status=~"5.."')}[{{.window}}]))`,
        totalQuery: `sum(rate(${sel(metric, o.selector)}[{{.window}}]))`,
      },
    },
  };
}

/** Options of `latencySlo`: "p95 < 500ms", i.e. 95% of requests faster than 0.5s. */
export interface LatencySloOptions {
  /** SLO name, e.g. `idkarr-latency`. */
  readonly name: string;
  /**
   * Matchers selecting the service's requests.
   * @default - all series of the histogram
   */
  readonly selector?: string;
  /**
   * Share of requests (percent) that must be faster than the threshold: 95 means p95.
   * @default 95
   */
  readonly objective?: number;
  /**
   * Latency threshold in seconds (a bucket boundary of the histogram).
   * @default 0.5
   */
  readonly thresholdSeconds?: number;
  /**
   * The histogram's bucket boundaries, when they are not the client libraries' defaults.
   * @default DEFAULT_HISTOGRAM_BUCKETS
   */
  readonly buckets?: readonly number[];
  /**
   * Histogram base name.
   * @default 'http_request_duration_seconds'
   */
  readonly histogram?: string;
  /**
   * Compliance period.
   * @default '30d'
   */
  readonly window?: string;
  /**
   * Extra labels.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** "p95 < 500ms" in one line: `latencySlo({ name: 'api-latency', selector: 'job="api"' })`. */
export function latencySlo(o: LatencySloOptions): SloDefinition {
  checkSelector(o.name, 'selector', o.selector);
  const objective = o.objective ?? 95;
  const threshold = o.thresholdSeconds ?? 0.5;
  return {
    name: o.name,
    objective,
    window: o.window,
    labels: o.labels,
    description: `${formatNumber(objective)}% of requests are faster than ${formatNumber(threshold * 1000)}ms`,
    sli: { latency: { histogram: o.histogram ?? 'http_request_duration_seconds', selector: o.selector, thresholdSeconds: threshold, ...(o.buckets ? { buckets: o.buckets } : {}) } },
  };
}

/** Burn-rate factor of a window pair: budget share × period / long window (14.4 for 2% of 30d in 1h). */
export function burnRateFactor(w: BurnRateWindow, period: string): number {
  return Number(((w.errorBudgetPercent / 100) * durationSeconds(period) / durationSeconds(w.longWindow)).toPrecision(10));
}

/** The alert threshold of a window pair: factor × (1 − objective), rounded so YAML reads `0.0144`. */
export function burnRateThreshold(w: BurnRateWindow, slo: SloDefinition): number {
  const budget = Number((1 - slo.objective / 100).toPrecision(10));
  return Number((burnRateFactor(w, slo.window ?? '30d') * budget).toPrecision(10));
}

/** `le` matcher for a bucket boundary. Prometheus 3 writes integer boundaries as `1.0`, Prometheus 2 as `1`. */
function leMatcher(seconds: number): string {
  const v = formatNumber(seconds);
  return Number.isInteger(seconds) ? `le=~"${v}(\\\\.0)?"` : `le="${v}"`;
}

/** The error-ratio query of an SLO over one window. */
export function sloErrorRatioQuery(slo: SloDefinition, window: string): string {
  if ('ratio' in slo.sli) {
    const fill = (q: string) => q.split('{{.window}}').join(window);
    return `(${fill(slo.sli.ratio.errorQuery)})\n/\n(${fill(slo.sli.ratio.totalQuery)})`;
  }
  const l = slo.sli.latency;
  return `1 - (\n  sum(rate(${sel(`${l.histogram}_bucket`, l.selector, leMatcher(l.thresholdSeconds))}[${window}]))\n  /\n  sum(rate(${sel(`${l.histogram}_count`, l.selector)}[${window}]))\n)`;
}

function camel(name: string): string {
  return name.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

/** Alert names of an SLO: `<CamelName>ErrorBudgetFastBurn` (page) and `...SlowBurn` (ticket). */
export function sloAlertNames(slo: SloDefinition): { page: string; ticket: string } {
  return { page: `${camel(slo.name)}ErrorBudgetFastBurn`, ticket: `${camel(slo.name)}ErrorBudgetSlowBurn` };
}

/** Recording rules and alerts of one SLO. */
export function sloRules(slo: SloDefinition): { records: RecordingRule[]; alerts: AlertRule[] } {
  const parsed = sloDefinitionSchema.safeParse(slo);
  if (!parsed.success) {
    throw new Error(`SLO '${slo.name}': ${parsed.error.issues.map((i) => `${i.path.join('.') || '(definition)'}: ${i.message}`).join('; ')}`);
  }
  const period = slo.window ?? '30d';
  const windows = slo.windows ?? SRE_WORKBOOK_WINDOWS;
  for (const w of windows) {
    if (durationSeconds(w.shortWindow) >= durationSeconds(w.longWindow)) throw new Error(`SLO '${slo.name}': window pair ${w.shortWindow}/${w.longWindow}: the short window must be shorter than the long one`);
    if (durationSeconds(w.longWindow) > durationSeconds(period)) throw new Error(`SLO '${slo.name}': window ${w.longWindow} is longer than the SLO period ${period}`);
  }
  if ('latency' in slo.sli) {
    const l = slo.sli.latency;
    const buckets = l.buckets ?? DEFAULT_HISTOGRAM_BUCKETS;
    if (!buckets.includes(l.thresholdSeconds)) {
      throw new Error(`SLO '${slo.name}': thresholdSeconds ${formatNumber(l.thresholdSeconds)} is not a bucket boundary of ${l.histogram} (${l.buckets ? 'its buckets' : 'the client libraries\' default buckets'}: ${buckets.map(formatNumber).join(', ')}), so ${l.histogram}_bucket{le="${formatNumber(l.thresholdSeconds)}"} has no data and the SLO never measures anything: use one of them${l.buckets ? '' : ', or declare the histogram\'s own buckets: [...]'}`);
    }
  }
  if (slo.objective < 1) {
    throw new Error(`SLO '${slo.name}': objective ${slo.objective} is a percentage, so this asks for ${slo.objective}% good events; for ${formatNumber(slo.objective * 100)}% write objective: ${formatNumber(slo.objective * 100)}`);
  }
  for (const w of windows) {
    const factor = burnRateFactor(w, period);
    const threshold = burnRateThreshold(w, slo);
    if (threshold >= 1) {
      throw new Error(`SLO '${slo.name}': with objective ${formatNumber(slo.objective)}% the ${w.tier} alert's ${w.shortWindow}/${w.longWindow} burn threshold is ${formatNumber(threshold)} (factor ${formatNumber(factor)} × error budget ${formatNumber(1 - slo.objective / 100)}), and an error ratio never exceeds 1, so it can never fire: raise the objective (at least ${formatNumber(Math.ceil((100 - 100 / factor) * 100) / 100)}% for this window) or declare windows with a smaller errorBudgetPercent`);
    }
    if (factor < 1) {
      throw new Error(`SLO '${slo.name}': the ${w.tier} alert's ${w.shortWindow}/${w.longWindow} pair has a burn-rate factor of ${formatNumber(factor)} over a ${period} period (${w.errorBudgetPercent}% of the budget in ${w.longWindow}), so it fires while the error budget would still last the period: declare windows whose longWindow spends at least its share in time, e.g. errorBudgetPercent ${formatNumber(Math.ceil(durationSeconds(w.longWindow) / durationSeconds(period) * 1000) / 10)} or more for ${w.longWindow}, or a shorter longWindow`);
    }
  }
  const labels = { ...(slo.labels ?? {}), slo: slo.name };
  const match = `slo="${slo.name}"`;
  const budget = Number((1 - slo.objective / 100).toPrecision(10));
  const ranges = [...new Set(windows.flatMap((w) => [w.shortWindow, w.longWindow]))].sort((a, b) => durationSeconds(a) - durationSeconds(b));

  const records: RecordingRule[] = ranges.map((w) => recordingRule({ record: `slo:sli_error:ratio_rate${w}`, expr: sloErrorRatioQuery(slo, w), labels }));
  // Averaging the 5m ratio over the period is much cheaper than a rate over the whole period. When the
  // period is itself one of the alert windows (a 3d SLO and the 3d/6h pair), its rate is recorded
  // already under that name: a second rule writing the same series would make promtool's lint fail
  // and leave the budget reading whichever rule ran last.
  if (!ranges.includes(period)) {
    records.push(recordingRule({
      record: `slo:sli_error:ratio_rate${period}`,
      expr: `avg_over_time(slo:sli_error:ratio_rate${ranges[0]}{${match}}[${period}])`,
      labels,
    }));
  }
  records.push(
    recordingRule({ record: 'slo:objective:ratio', expr: `vector(${formatNumber(slo.objective / 100)})`, labels }),
    recordingRule({
      record: 'slo:error_budget_remaining:ratio',
      expr: `1 - slo:sli_error:ratio_rate${period}{${match}} / ${formatNumber(budget)}`,
      labels,
    }),
  );

  const what = slo.description ?? ('ratio' in slo.sli ? `${formatNumber(slo.objective)}% of events succeed` : `${formatNumber(slo.objective)}% of requests are faster than ${formatNumber(slo.sli.latency.thresholdSeconds)}s`);
  const names = sloAlertNames(slo);
  const alerting = slo.alerting ?? {};
  const alerts: AlertRule[] = [];
  for (const tier of ['page', 'ticket'] as const) {
    const pairs = windows.filter((w) => w.tier === tier);
    if (pairs.length === 0 || (tier === 'ticket' && alerting.ticket === false)) continue;
    const expr = pairs
      .map((w) => {
        const t = formatNumber(burnRateThreshold(w, slo));
        return `(\n  slo:sli_error:ratio_rate${w.longWindow}{${match}} > ${t}\n  and\n  slo:sli_error:ratio_rate${w.shortWindow}{${match}} > ${t}\n)`;
      })
      .join('\nor\n');
    // Budget exhaustion time at the slowest burn rate this alert catches.
    const slowest = Math.min(...pairs.map((w) => burnRateFactor(w, period)));
    const exhaustion = formatDuration(Math.round(durationSeconds(period) / slowest));
    alerts.push(alertRule({
      name: names[tier],
      expr,
      for: alerting.for,
      severity: tier === 'page' ? (alerting.pageSeverity ?? 'critical') : (alerting.ticketSeverity ?? 'warning'),
      labels,
      runbook: tier === 'page' ? 'docs/runbooks/SloErrorBudgetFastBurn.md' : 'docs/runbooks/SloErrorBudgetSlowBurn.md',
      summary: `SLO ${slo.name} is burning its error budget ${tier === 'page' ? 'fast' : 'steadily'}.`,
      description: `SLO ${slo.name} (${what} over ${period}): the error ratio is {{ $value | humanizePercentage }}; at this rate the whole ${period} error budget is gone within ${exhaustion}.`,
    }));
  }
  return { records, alerts };
}

/** Options of an SLO pack. */
export interface SloPackOptions {
  /**
   * Pack (and file) name.
   * @default 'slos'
   */
  readonly name?: string;
  /** The SLOs. */
  readonly slos: readonly SloDefinition[];
  /**
   * promtool tests for the generated rules.
   * @default []
   */
  readonly tests?: readonly RuleTest[];
  /**
   * Catalogues of the metrics the SLO queries read.
   * @default - not checked
   */
  readonly catalogues?: readonly MetricCatalogue[];
}

/** A pack with one recording group and one alert group per SLO. */
export function sloRulePack(options: SloPackOptions): RulePack {
  const name = options.name ?? 'slos';
  const seen = new Set<string>();
  const groups = options.slos.flatMap((slo) => {
    if (seen.has(slo.name)) throw new Error(`SLO '${slo.name}' is declared twice in pack '${name}': rename one`);
    seen.add(slo.name);
    const { records, alerts } = sloRules(slo);
    return [
      ruleGroup({ name: `slo-${slo.name}.rules`, rules: records }),
      ruleGroup({ name: `slo-${slo.name}.alerts`, rules: alerts }),
    ];
  });
  return { name, source: 'alerts/slo.ts', groups, tests: options.tests, catalogues: options.catalogues };
}
