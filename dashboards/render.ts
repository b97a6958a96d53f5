import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gaugePanel from '@grafana/grafana-foundation-sdk/gauge';
import * as logsPanel from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as statPanel from '@grafana/grafana-foundation-sdk/stat';
import * as tablePanel from '@grafana/grafana-foundation-sdk/table';
import * as timeseriesPanel from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE_NAMES, DATASOURCE_TYPES, DATASOURCE_UIDS } from './datasources';
import {
  DashboardDefinition, DashboardLinkDefinition, PANEL_SIZE, PanelDefinition, QueryDatasource, Thresholds,
  VariableDefinition, panelDatasource,
} from './model';
import { dashboardUid } from './uid';
import { assertDashboards } from './validate';

/**
 * Renders a dashboard definition to classic (schema v1) Grafana dashboard JSON through the
 * grafana-foundation-sdk builders: the JSON that file provisioning loads. Layout, panel ids and query
 * refIds are computed here, from the order of the definition, so they are stable across synths.
 */

/** Grid width of a Grafana dashboard. */
export const GRID_COLUMNS = 24;

/** The panel builders share this surface (standard options, thresholds, targets). */
type AnyPanelBuilder = cog.Builder<dashboard.Panel> & {
  id(id: number): unknown;
  title(t: string): unknown;
  description(d: string): unknown;
  datasource(ref: common.DataSourceRef): unknown;
  gridPos(g: dashboard.GridPos): unknown;
  withTarget(t: cog.Builder<cog.Dataquery>): unknown;
  unit(u: string): unknown;
  decimals(d: number): unknown;
  min(m: number): unknown;
  max(m: number): unknown;
  thresholds(t: cog.Builder<dashboard.ThresholdsConfig>): unknown;
  links(l: cog.Builder<dashboard.DashboardLink>[]): unknown;
};

/** The datasource reference of a panel: the dashboard's datasource variable of that type, or the provisioned uid. */
function datasourceRef(d: DashboardDefinition, ds: QueryDatasource): common.DataSourceRef {
  const variable = (d.variables ?? []).find((v) => v.kind === 'datasource' && v.type === ds);
  return { type: DATASOURCE_TYPES[ds], uid: variable ? `\${${variable.name}}` : DATASOURCE_UIDS[ds] };
}

function thresholdsBuilder(t: Thresholds): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    // `value: null` is how Grafana spells "the base color, below every step".
    .steps([{ value: null as unknown as number, color: t.base ?? 'green' }, ...t.steps.map((s) => ({ value: s.value, color: s.color }))]);
}

function linkBuilder(l: DashboardLinkDefinition): cog.Builder<dashboard.DashboardLink> {
  const b = new dashboard.DashboardLinkBuilder(l.title)
    .type(dashboard.DashboardLinkType.Link)
    .url(`/d/${l.uid}`)
    .icon('dashboard')
    .keepTime(true)
    .includeVars(l.includeVars ?? false)
    .targetBlank(false)
    .asDropdown(false)
    .tags([]);
  // The builder defaults `placement` to the controls menu, which hides the link; without it Grafana
  // shows the link in the dashboard header.
  return { build: () => { const { placement: _hidden, ...link } = b.build(); return link; } };
}

const REDUCER_IDS = { lastNotNull: 'lastNotNull', last: 'last', mean: 'mean', max: 'max', min: 'min', sum: 'sum' } as const;

function panelBuilder(p: PanelDefinition): AnyPanelBuilder {
  switch (p.kind) {
    case 'timeseries': {
      const legend = p.legend ?? {};
      const b = new timeseriesPanel.PanelBuilder()
        .lineWidth(1)
        .fillOpacity(p.fillOpacity ?? 10)
        .showPoints(common.VisibilityMode.Never)
        .spanNulls(false)
        .legend(new common.VizLegendOptionsBuilder()
          .displayMode({ list: common.LegendDisplayMode.List, table: common.LegendDisplayMode.Table, hidden: common.LegendDisplayMode.Hidden }[legend.mode ?? 'list'])
          .placement(legend.placement === 'right' ? common.LegendPlacement.Right : common.LegendPlacement.Bottom)
          .showLegend((legend.mode ?? 'list') !== 'hidden')
          .calcs([...(legend.calcs ?? [])]))
        .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
      if (p.stacked) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
      if (p.thresholds && (p.showThresholds ?? true)) {
        b.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
      }
      return b;
    }
    case 'stat':
      return new statPanel.PanelBuilder()
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs([REDUCER_IDS[p.reducer ?? 'lastNotNull']]).values(false))
        .graphMode(p.sparkline ? common.BigValueGraphMode.Area : common.BigValueGraphMode.None)
        .colorMode({ value: common.BigValueColorMode.Value, background: common.BigValueColorMode.Background, none: common.BigValueColorMode.None }[p.colorMode ?? 'value'])
        .textMode(common.BigValueTextMode.Auto)
        .justifyMode(common.BigValueJustifyMode.Auto);
    case 'gauge':
      return new gaugePanel.PanelBuilder()
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs([REDUCER_IDS[p.reducer ?? 'lastNotNull']]).values(false))
        .showThresholdMarkers(true)
        .showThresholdLabels(false);
    case 'table':
      return new tablePanel.PanelBuilder().showHeader(true);
    case 'logs':
      return new logsPanel.PanelBuilder()
        .showTime(true)
        .wrapLogMessage(true)
        .enableLogDetails(true)
        .sortOrder(common.LogsSortOrder.Descending)
        .dedupStrategy(common.LogsDedupStrategy.None);
  }
}

function targetBuilder(p: PanelDefinition, q: PanelDefinition['queries'][number], refId: string, ds: common.DataSourceRef): cog.Builder<cog.Dataquery> {
  // A stat's sparkline is drawn from a range query; without one it shows only the number.
  const instant = q.instant ?? (['stat', 'gauge', 'table'].includes(p.kind) && !(p.kind === 'stat' && p.sparkline));
  if (panelDatasource(p) === 'loki') {
    const b = new loki.DataqueryBuilder().refId(refId).datasource(ds).expr(q.expr).editorMode(loki.QueryEditorMode.Code)
      .queryType(instant ? loki.LokiQueryType.Instant : loki.LokiQueryType.Range);
    if (q.legend !== undefined) b.legendFormat(q.legend);
    if (p.kind === 'logs') b.maxLines(1000);
    return b;
  }
  const b = new prometheus.DataqueryBuilder().refId(refId).datasource(ds).expr(q.expr).editorMode(prometheus.QueryEditorMode.Code);
  if (instant) b.instant();
  else b.range();
  if (p.kind === 'table') b.format(prometheus.PromQueryFormat.Table);
  if (q.legend !== undefined) b.legendFormat(q.legend);
  return b;
}

function variableBuilder(d: DashboardDefinition, v: VariableDefinition): cog.Builder<dashboard.VariableModel> {
  const label = v.label ?? v.name;
  switch (v.kind) {
    case 'datasource':
      return new dashboard.DatasourceVariableBuilder(v.name).label(label).type(DATASOURCE_TYPES[v.type])
        .current({ selected: true, text: DATASOURCE_NAMES[v.type], value: DATASOURCE_UIDS[v.type] })
        .multi(false).includeAll(false);
    case 'query': {
      const all = v.includeAll ?? true;
      const b = new dashboard.QueryVariableBuilder(v.name).label(label)
        .datasource(datasourceRef(d, v.datasource ?? 'prometheus'))
        .query(v.query).definition(v.query)
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc)
        .multi(v.multi ?? true)
        .includeAll(all);
      if (all) b.allValue(v.allValue ?? defaultAllValue(v.datasource ?? 'prometheus')).current({ selected: true, text: 'All', value: '$__all' });
      return b;
    }
    case 'custom': {
      const all = v.includeAll ?? false;
      const b = new dashboard.CustomVariableBuilder(v.name).label(label).values(v.values.map((x) => x.replace(/,/g, '\\,')).join(',') /* Grafana splits the list at unescaped commas */)
        .multi(v.multi ?? false).includeAll(all)
        .options(v.values.map((value, i) => ({ selected: !all && i === 0, text: value, value })));
      b.current(all ? { selected: true, text: 'All', value: '$__all' } : { selected: true, text: v.values[0], value: v.values[0] });
      return b;
    }
  }
}

/** Positions of the panels: rows stack downwards, panels fill each line left to right and wrap before overflowing. */
interface Placed {
  readonly row?: { title: string; collapsed: boolean; y: number };
  readonly panels: Array<{ p: PanelDefinition; gridPos: dashboard.GridPos }>;
}

function layout(d: DashboardDefinition): Placed[] {
  let y = 0;
  return d.rows.map((r) => {
    const rowY = y;
    if (r.title !== undefined) y += 1;
    let x = 0;
    let lineHeight = 0;
    const panels = r.panels.map((p) => {
      const w = p.width ?? PANEL_SIZE[p.kind].width;
      const h = p.height ?? PANEL_SIZE[p.kind].height;
      if (x + w > GRID_COLUMNS) {
        x = 0;
        y += lineHeight;
        lineHeight = 0;
      }
      const gridPos = { x, y, w, h };
      x += w;
      lineHeight = Math.max(lineHeight, h);
      return { p, gridPos };
    });
    y += lineHeight;
    // A collapsed row takes one grid row; its panels live inside it and push the rest down only when opened.
    if (r.title !== undefined && r.collapsed) y = rowY + 1;
    return { row: r.title !== undefined ? { title: r.title, collapsed: r.collapsed ?? false, y: rowY } : undefined, panels };
  });
}

/** The dashboard JSON object (validated first; throws naming the dashboard and panel on any problem). */
export function renderDashboard(d: DashboardDefinition): dashboard.Dashboard {
  assertDashboards([d]);
  const uid = dashboardUid(d);
  const b = new dashboard.DashboardBuilder(d.title)
    .uid(uid)
    .tags([...new Set(['vigil', ...(d.tags ?? [])])])
    .readonly()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh(d.refresh ?? '1m')
    .time({ from: d.timeFrom ?? 'now-6h', to: 'now' })
    .timezone('browser')
    .timepicker(new dashboard.TimePickerBuilder().refreshIntervals(['30s', '1m', '5m', '15m', '1h']))
    .variables((d.variables ?? []).map((v) => variableBuilder(d, v)))
    .links((d.links ?? []).map(linkBuilder));
  if (d.description) b.description(d.description);

  let id = 1;
  for (const placed of layout(d)) {
    // Ids follow reading order (a row, then its panels), so they are stable while nothing is inserted above.
    const rowId = placed.row ? id++ : 0;
    const built = placed.panels.map(({ p, gridPos }) => {
      const pb = panelBuilder(p);
      const ds = datasourceRef(d, panelDatasource(p));
      pb.id(id++);
      pb.title(p.title);
      pb.gridPos(gridPos);
      pb.datasource(ds);
      if (p.description) pb.description(p.description);
      if (p.unit) pb.unit(p.unit);
      if (p.decimals !== undefined) pb.decimals(p.decimals);
      if (p.min !== undefined) pb.min(p.min);
      if (p.max !== undefined) pb.max(p.max);
      if (p.thresholds) pb.thresholds(thresholdsBuilder(p.thresholds));
      if (p.links?.length) pb.links(p.links.map(linkBuilder));
      p.queries.forEach((q, i) => pb.withTarget(targetBuilder(p, q, String.fromCharCode(65 + i), ds)));
      return pb;
    });
    if (!placed.row) {
      built.forEach((pb) => b.withPanel(pb));
      continue;
    }
    const rb = new dashboard.RowBuilder(placed.row.title).id(rowId).gridPos({ x: 0, y: placed.row.y, w: GRID_COLUMNS, h: 1 });
    if (placed.row.collapsed) {
      built.forEach((pb) => rb.withPanel(pb));
      b.withRow(rb.collapsed(true));
    } else {
      b.withRow(rb.collapsed(false));
      built.forEach((pb) => b.withPanel(pb));
    }
  }
  return b.build();
}

/** Recursively sorts object keys, so the JSON does not depend on the order builders set fields in. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** Pretty-printed dashboard JSON with sorted keys and a final newline: one property per line, so a PR diff is line-level. */
export function dashboardJson(d: DashboardDefinition): string {
  return `${JSON.stringify(sortKeys(renderDashboard(d)), null, 2)}\n`;
}

/**
 * The regex "All" stands for: `.*` for Prometheus (it also matches series without the label), `.+`
 * for Loki, which refuses a stream selector whose matchers all match the empty string, so
 * `{namespace=~"$namespace"}` with `.*` would fail in the dashboard's default state.
 */
export function defaultAllValue(datasource: QueryDatasource): string {
  return datasource === 'loki' ? '.+' : '.*';
}

/** The ids of a dashboard's panels (rows excluded), as the rendered JSON numbers them: what `viewPanel` may name. */
export function dashboardPanelIds(d: DashboardDefinition): number[] {
  const out: number[] = [];
  let id = 1;
  for (const placed of layout(d)) {
    if (placed.row) id++;
    for (let i = 0; i < placed.panels.length; i++) out.push(id++);
  }
  return out;
}
