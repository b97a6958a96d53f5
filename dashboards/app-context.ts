import type { MetricCatalogue, MetricInfo } from '../alerts/metric-catalogue';
import type { VariableDefinition } from './model';
import { datasourceVariable, labelVariable } from './variables';

/**
 * What makes an application's dashboards reusable: the metric names, label names and the series
 * selector are parameters, so the same dashboard serves an app whose metrics carry a prefix
 * (`shop_http_requests_total`), call the status label `code`, or run under another job name.
 * The examples (examples/<app>/dashboards.ts) build their dashboards with it.
 */

/** Options every app dashboard takes. `L` are the label names the app's metrics use. */
export interface AppDashboardOptions<L extends string = string> {
  /**
   * Put in front of every app metric name, e.g. `shop_` for `shop_http_requests_total`. Exporter
   * and runtime metrics (node-exporter, process_*, nodejs_*) are not prefixed.
   * @default '' (the names the app's defaults give)
   */
  readonly metricPrefix?: string;
  /**
   * Label matchers selecting the app's series, e.g. `job="shop-api"` or `namespace="shop"`.
   * @default `job=~"$job"`, with a job picker listing the jobs that export the app's main metric
   */
  readonly selector?: string;
  /**
   * Regex narrowing the job picker (when `selector` is not set), e.g. `shop-.*`.
   * @default - every job that exports the app's main metric
   */
  readonly jobPattern?: string;
  /**
   * Label names where the app's differ from the defaults, e.g. `{ status: 'code' }`.
   * @default - the default names
   */
  readonly labels?: Partial<Record<L, string>>;
  /**
   * Grafana folder.
   * @default the app's name
   */
  readonly folder?: string;
  /**
   * Words in front of each dashboard title (and so of its uid), e.g. `shop` → "shop Overview".
   * @default the app's name
   */
  readonly titlePrefix?: string;
}

/** Helpers for writing an app's queries with its options applied. */
export interface AppContext<L extends string> {
  /** The app's metric name with the prefix. */
  readonly m: (name: string) => string;
  /** The label name the app uses for `label`. */
  readonly l: (label: L) => string;
  /** A selector with the app's matchers plus extra ones: `sel('queue_depth', 'queue="download"')` → `queue_depth{job=~"$job", queue="download"}`. */
  readonly sel: (metric: string, ...extra: string[]) => string;
  /** The app's matchers alone (`job=~"$job"`). */
  readonly matchers: string;
  /** Datasource picker, then the job picker unless a fixed selector was given. */
  readonly variables: VariableDefinition[];
  readonly folder: string;
  /** Dashboard title with the prefix: `title('Overview')` → `shop Overview`. */
  readonly title: (name: string) => string;
  /** The app's catalogue with the prefix and label renames applied. */
  readonly catalogue: (name: string, source: string, metrics: Readonly<Record<string, MetricInfo>>) => MetricCatalogue;
}

/** Applies an app's options. `mainMetric` (unprefixed) feeds the job picker. */
export function appContext<L extends string>(app: string, defaults: Readonly<Record<L, string>>, mainMetric: string, options: AppDashboardOptions<L> = {}): AppContext<L> {
  const prefix = options.metricPrefix ?? '';
  if (!/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/.test(prefix)) throw new Error(`${app} dashboards: metricPrefix "${prefix}" is not the start of a metric name; write letters, digits and "_", e.g. "${app.toLowerCase()}_"`);
  const labels: Record<string, string> = { ...defaults, ...(options.labels ?? {}) };
  for (const [k, v] of Object.entries(labels)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(v)) throw new Error(`${app} dashboards: labels.${k} "${v}" is not a label name`);
  }
  const m = (name: string) => `${prefix}${name}`;
  const matchers = options.selector ?? 'job=~"$job"';
  const variables: VariableDefinition[] = [datasourceVariable()];
  if (options.selector === undefined) {
    variables.push(labelVariable('job', options.jobPattern ? `${m(mainMetric)}{job=~"${options.jobPattern}"}` : m(mainMetric), 'job'));
  }
  // Catalogue labels are the default names; map each to the name the options give its key.
  const byDefaultName = new Map(Object.entries(defaults as Record<string, string>).map(([key, defaultName]) => [defaultName, labels[key]]));
  const rename = (l: string) => byDefaultName.get(l) ?? l;
  return {
    m,
    l: (label) => labels[label],
    sel: (metric, ...extra) => `${m(metric)}{${[matchers, ...extra].filter(Boolean).join(', ')}}`,
    matchers,
    variables,
    folder: options.folder ?? app,
    title: (name) => `${options.titlePrefix ?? app} ${name}`,
    catalogue: (name, source, metrics) => ({
      name,
      source,
      metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [m(k), { ...v, labels: v.labels?.map(rename) }])),
    }),
  };
}
