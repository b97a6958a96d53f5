import type { MetricCatalogue } from '../alerts/metric-catalogue';

/**
 * The typed dashboard model: a dashboard is plain data (rows of panels, each with its queries), so a
 * dashboard can be parametrized by a function, checked by pure functions (every query parsed, every
 * metric looked up in a catalogue, every link resolved) and rendered to classic Grafana dashboard JSON
 * through @grafana/grafana-foundation-sdk (`dashboards/render.ts`).
 */

/** Datasources a panel or variable can query; Vigil provisions each under this uid. */
export type QueryDatasource = 'prometheus' | 'loki';

/** One threshold step: from `value` upwards the field takes `color`. */
export interface ThresholdStep {
  readonly value: number;
  /** A Grafana color name (`green`, `orange`, `red`) or a hex color. */
  readonly color: string;
}

/** Thresholds of a panel, drawn as colors on stat/gauge panels and as lines on time series. */
export interface Thresholds {
  /**
   * Color below the first step.
   * @default 'green'
   */
  readonly base?: string;
  /** Steps in increasing order of value. */
  readonly steps: readonly ThresholdStep[];
}

/** One query of a panel. */
export interface QueryDefinition {
  /**
   * PromQL, or LogQL when the panel's datasource is Loki. Grafana variables are allowed
   * (`$namespace`, `${job}`, `$__rate_interval`, `$__range`); they are substituted before the query is
   * parsed at synth time.
   */
  readonly expr: string;
  /**
   * Legend template, e.g. `{{ status }}`.
   * @default - the series' labels
   */
  readonly legend?: string;
  /**
   * Evaluate once at the end of the time range instead of over it.
   * @default - true for stat, gauge and table panels, false otherwise
   */
  readonly instant?: boolean;
}

/** A link to another dashboard, by uid (checked: the uid must be provisioned too). */
export interface DashboardLinkDefinition {
  readonly title: string;
  /** Uid of the target dashboard. */
  readonly uid: string;
  /**
   * Carry the current template variable values over (only useful when both dashboards define them).
   * @default false
   */
  readonly includeVars?: boolean;
}

/** Legend of a time series panel. */
export interface LegendOptions {
  /** @default 'list' */
  readonly mode?: 'list' | 'table' | 'hidden';
  /** @default 'bottom' */
  readonly placement?: 'bottom' | 'right';
  /**
   * Values shown next to each series (Grafana reducer ids).
   * @default - none
   */
  readonly calcs?: readonly Reducer[];
}

/** Grafana reducers used for stat/gauge values and legend calculations. */
export type Reducer = 'lastNotNull' | 'last' | 'mean' | 'max' | 'min' | 'sum';

/** What every panel kind has. */
export interface PanelCommon {
  readonly title: string;
  /**
   * Shown in the panel's info tooltip.
   * @default - none
   */
  readonly description?: string;
  /** The queries; at least one. */
  readonly queries: readonly QueryDefinition[];
  /**
   * Datasource the queries go to.
   * @default 'prometheus' ('loki' for logs panels)
   */
  readonly datasource?: QueryDatasource;
  /**
   * Width in grid columns (1–24).
   * @default 12 for time series, 6 for stat and gauge, 24 for table and logs
   */
  readonly width?: number;
  /**
   * Height in grid rows (one row is 30 px).
   * @default 8 for time series and tables, 4 for stat, 6 for gauge, 10 for logs
   */
  readonly height?: number;
  /**
   * Grafana unit id: `s`, `ms`, `bytes`, `percentunit` (0–1), `percent` (0–100), `reqps`, `short`, `none`.
   * @default - Grafana's default (`short`)
   */
  readonly unit?: string;
  /** @default - automatic */
  readonly decimals?: number;
  /** @default - automatic */
  readonly min?: number;
  /** @default - automatic */
  readonly max?: number;
  /** @default - none */
  readonly thresholds?: Thresholds;
  /**
   * Links shown in the panel header to other dashboards.
   * @default - none
   */
  readonly links?: readonly DashboardLinkDefinition[];
}

/** A time series graph. */
export interface TimeseriesPanel extends PanelCommon {
  readonly kind: 'timeseries';
  /** @default a list at the bottom */
  readonly legend?: LegendOptions;
  /**
   * Stack the series on top of each other.
   * @default false
   */
  readonly stacked?: boolean;
  /**
   * Area fill under the lines, 0–100.
   * @default 10
   */
  readonly fillOpacity?: number;
  /**
   * Draw the thresholds as dashed lines.
   * @default true when thresholds are set
   */
  readonly showThresholds?: boolean;
}

/** One big number. */
export interface StatPanel extends PanelCommon {
  readonly kind: 'stat';
  /** @default 'lastNotNull' */
  readonly reducer?: Reducer;
  /**
   * Draw a sparkline behind the number (its queries are then range queries unless they set
   * `instant`; `instant: true` with a sparkline fails synth).
   * @default false
   */
  readonly sparkline?: boolean;
  /**
   * Color the value or the background by the thresholds.
   * @default 'value'
   */
  readonly colorMode?: 'value' | 'background' | 'none';
}

/** A gauge dial. */
export interface GaugePanel extends PanelCommon {
  readonly kind: 'gauge';
  /** @default 'lastNotNull' */
  readonly reducer?: Reducer;
}

/** A table of instant values, one row per series. */
export interface TablePanel extends PanelCommon {
  readonly kind: 'table';
}

/** Log lines from Loki. */
export interface LogsPanel extends PanelCommon {
  readonly kind: 'logs';
}

export type PanelDefinition = TimeseriesPanel | StatPanel | GaugePanel | TablePanel | LogsPanel;
export type PanelKind = PanelDefinition['kind'];

/** A row of panels; the row header can be collapsed in Grafana. */
export interface RowDefinition {
  /**
   * Row header.
   * @default - no header: the panels are laid out directly
   */
  readonly title?: string;
  /**
   * Start collapsed (the panels load when the row is opened).
   * @default false
   */
  readonly collapsed?: boolean;
  readonly panels: readonly PanelDefinition[];
}

/** A datasource picker (`$datasource`): panels of that type query the picked datasource. */
export interface DatasourceVariable {
  readonly kind: 'datasource';
  readonly name: string;
  /** @default the name */
  readonly label?: string;
  readonly type: QueryDatasource;
}

/** Values from a query, e.g. `label_values(up{job=~"$job"}, instance)`. */
export interface QueryVariable {
  readonly kind: 'query';
  readonly name: string;
  /** @default the name */
  readonly label?: string;
  /** `label_values(<selector>, <label>)`, `label_values(<label>)` or `query_result(<PromQL>)`. */
  readonly query: string;
  /** @default 'prometheus' */
  readonly datasource?: QueryDatasource;
  /** @default true */
  readonly multi?: boolean;
  /** @default true */
  readonly includeAll?: boolean;
  /**
   * Regex matched when "All" is selected; `.*` also matches series without the label. Loki refuses a
   * stream selector whose matchers all match the empty string, so a Loki variable's is `.+`.
   * @default '.*' ('.+' for a Loki variable)
   */
  readonly allValue?: string;
}

/** A fixed list of values. */
export interface CustomVariable {
  readonly kind: 'custom';
  readonly name: string;
  /** @default the name */
  readonly label?: string;
  readonly values: readonly string[];
  /** @default false */
  readonly multi?: boolean;
  /** @default false */
  readonly includeAll?: boolean;
}

export type VariableDefinition = DatasourceVariable | QueryVariable | CustomVariable;

/** A dashboard. */
export interface DashboardDefinition {
  readonly title: string;
  /**
   * Stable uid: the `/d/<uid>` part of its URL and the name of its ConfigMap. Lower-case letters,
   * digits and `-`, at most 40 characters.
   * @default - the slug of the title (`Node overview` → `node-overview`)
   */
  readonly uid?: string;
  /** @default - none */
  readonly description?: string;
  /**
   * Grafana folder the dashboard is provisioned into.
   * @default 'Vigil'
   */
  readonly folder?: string;
  /**
   * Tags (Grafana's dashboard search filters on them); `vigil` is always added.
   * @default []
   */
  readonly tags?: readonly string[];
  /** @default [] */
  readonly variables?: readonly VariableDefinition[];
  /**
   * Links in the dashboard header to other dashboards.
   * @default []
   */
  readonly links?: readonly DashboardLinkDefinition[];
  readonly rows: readonly RowDefinition[];
  /** @default '1m' */
  readonly refresh?: string;
  /**
   * Start of the default time range.
   * @default 'now-6h'
   */
  readonly timeFrom?: string;
  /**
   * The metric catalogues the Prometheus queries may read. When set, a query reading any other metric
   * fails synth (a typo or a renamed metric would otherwise be an empty panel).
   * @default - metric names are not checked
   */
  readonly metrics?: readonly MetricCatalogue[];
}

type Without<T> = Omit<T, 'kind'>;

/** A time series panel. */
export const timeseries = (p: Without<TimeseriesPanel>): TimeseriesPanel => ({ kind: 'timeseries', ...p });
/** A stat panel. */
export const stat = (p: Without<StatPanel>): StatPanel => ({ kind: 'stat', ...p });
/** A gauge panel. */
export const gauge = (p: Without<GaugePanel>): GaugePanel => ({ kind: 'gauge', ...p });
/** A table panel. */
export const table = (p: Without<TablePanel>): TablePanel => ({ kind: 'table', ...p });
/** A logs panel (Loki). */
export const logs = (p: Without<LogsPanel>): LogsPanel => ({ kind: 'logs', ...p });
/** A row of panels. */
export const row = (title: string | undefined, panels: readonly PanelDefinition[], options: { collapsed?: boolean } = {}): RowDefinition => ({ title, panels, ...options });

/** Default width and height of each panel kind. */
export const PANEL_SIZE: Readonly<Record<PanelKind, { readonly width: number; readonly height: number }>> = {
  timeseries: { width: 12, height: 8 },
  stat: { width: 6, height: 4 },
  gauge: { width: 6, height: 6 },
  table: { width: 24, height: 8 },
  logs: { width: 24, height: 10 },
};

/** The datasource a panel queries. */
export function panelDatasource(p: PanelDefinition): QueryDatasource {
  return p.kind === 'logs' ? 'loki' : (p.datasource ?? 'prometheus');
}

/** Every panel of a dashboard, in order. */
export function allPanels(d: DashboardDefinition): PanelDefinition[] {
  return d.rows.flatMap((r) => r.panels);
}
