import YAML from 'yaml';
import type { DashboardDefinition, VariableDefinition } from '../dashboards/model';
import { allPanels, panelDatasource } from '../dashboards/model';
import { VARIABLE_PLACEHOLDER, queryLanguage, substituteVariables, variablePromql } from '../dashboards/queries';
import type { RuleFile } from './component';
import { LabelMatch, matchesEmpty, parsePromql, selectorParts } from '../lib/promql';
import { MetricDrop, RelabelConfig, ScrapeJob, escapeRegex } from './scrape-jobs';

/**
 * `prometheus.metricFilter`: which series of the infrastructure jobs (kubelet, cAdvisor,
 * kube-state-metrics, node-exporter) Prometheus keeps.
 *
 * - `none`: everything they expose.
 * - `curated`: everything but the drops each component declares on its jobs (`metricDrops`, each with
 *   its reason), and node-exporter's curated collectors switched off; `keepMetrics` are spared.
 * - `queried`: only the metric names the generated rules and dashboards read (`queriedMetrics`) plus
 *   `prometheus.keepMetrics`; node-exporter collectors that feed none of them are switched off.
 *
 * In every mode, a name a rule or panel reads survives: a curated drop that would remove it (or, for a
 * drop limited by labels, series a selector of it can match) exempts it.
 */
export type MetricFilterMode = 'none' | 'curated' | 'queried';

export type { LabelMatch };

/** What the generated rules and dashboards read. */
export interface QueriedMetrics {
  /** Metric names read by name. */
  readonly names: ReadonlySet<string>;
  /**
   * RE2 patterns over metric names: `{__name__=~"..."}` matchers, and names built from a dashboard
   * variable (`${prefix}_requests_total` becomes `.+_requests_total`).
   */
  readonly patterns: readonly string[];
  /** The label matchers of every selector of a name (one array per selector). */
  readonly selectors: ReadonlyMap<string, ReadonlyArray<readonly LabelMatch[]>>;
  /** Where a selector names no metric at all (`{job="x"}`), which no keep list can serve. */
  readonly unnamed: readonly string[];
}

/** Collects what `expr` reads into `acc`. `where` names the rule or panel. */
function collect(expr: string, where: string, acc: Collector): void {
  parsePromql(expr).iterate({
    enter: (ref) => {
      if (ref.name !== 'VectorSelector') return;
      const { name, matches: all } = selectorParts(expr, ref.node);
      const matches: LabelMatch[] = [];
      let byPattern = false;
      for (const m of all) {
        if (m.label !== '__name__') matches.push(m);
        else if (m.op === '=~') {
          acc.patterns.add(m.value);
          byPattern = true;
        } else acc.unnamed.add(where);
      }
      if (name === undefined) {
        if (!byPattern) acc.unnamed.add(where);
        return;
      }
      if (name.includes(VARIABLE_PLACEHOLDER)) {
        acc.patterns.add(name.split(VARIABLE_PLACEHOLDER).map(escapeRegex).join('.+'));
        return;
      }
      acc.names.add(name);
      const list = acc.selectors.get(name) ?? [];
      list.push(matches);
      acc.selectors.set(name, list);
    },
  });
}

class Collector {
  readonly names = new Set<string>();
  readonly patterns = new Set<string>();
  readonly selectors = new Map<string, LabelMatch[][]>();
  readonly unnamed = new Set<string>();
}

/**
 * The keep list of a stack: every metric its rendered Prometheus rule files (shipped packs, SLOs and the
 * user's packs, overrides applied) and its dashboards (the stack's, the SLOs' and the user's, panels and
 * variable queries) read.
 */
export function queriedMetrics(ruleFiles: readonly RuleFile[], dashboards: readonly DashboardDefinition[]): QueriedMetrics {
  const acc = new Collector();
  for (const f of ruleFiles) {
    const doc = YAML.parse(f.content) as { groups?: Array<{ name: string; rules?: Array<{ alert?: string; record?: string; expr?: string | number }> }> };
    for (const g of doc?.groups ?? []) {
      for (const r of g.rules ?? []) {
        if (r.expr !== undefined) collect(String(r.expr), `rule file ${f.fileName} › ${r.alert ? `alert ${r.alert}` : `record ${r.record}`}`, acc);
      }
    }
  }
  for (const d of dashboards) {
    const defined = new Set((d.variables ?? []).map((v) => v.name));
    for (const v of d.variables ?? []) {
      const expr = promqlOfVariable(v);
      if (expr !== undefined) collect(substituteVariables(expr, defined).text, `dashboard '${d.title}' › variable ${v.name}`, acc);
    }
    for (const p of allPanels(d)) {
      if (queryLanguage(panelDatasource(p), p.kind) !== 'promql') continue;
      for (const q of p.queries) collect(substituteVariables(q.expr, defined).text, `dashboard '${d.title}' › panel '${p.title}'`, acc);
    }
  }
  return { names: acc.names, patterns: [...acc.patterns].sort(), selectors: acc.selectors, unnamed: [...acc.unnamed].sort() };
}

function promqlOfVariable(v: VariableDefinition): string | undefined {
  if (v.kind !== 'query' || (v.datasource ?? 'prometheus') !== 'prometheus') return undefined;
  return variablePromql(v.query).expr;
}


/** `^(?:re)$` as a JavaScript RegExp (RE2's syntax for what Vigil writes is a subset of it). */
function whole(re: string): RegExp {
  return new RegExp(`^(?:${re})$`, 's');
}

/** True when a selector with these matchers can select a series whose `label` is empty (an RE2 construct JavaScript cannot decide counts as accepting: the drop then spares the name). */
function acceptsEmpty(m: LabelMatch): boolean {
  return matchesEmpty(m) ?? true;
}

/**
 * True when a drop would remove series a selector of `name` reads. A drop limited by labels is passed
 * only by a selector that rules out one of its conditions; that is decided exactly for conditions that
 * match the empty value (`container: ''`) and conservatively (the selector reads them) otherwise.
 */
function dropHits(drop: MetricDrop, name: string, q: QueriedMetrics): boolean {
  if (!whole(drop.names).test(name)) return false;
  const where = Object.entries(drop.where ?? {});
  if (!where.length) return true;
  return (q.selectors.get(name) ?? [[]]).some((matches) => !where.some(([label, re]) => re === ''
    && matches.some((m) => m.label === label && !acceptsEmpty(m))));
}

/** Temporary label marking series a drop must spare; removed again before the series is stored. */
const EXEMPT_LABEL = '__tmp_vigil_queried';

/**
 * `metric_relabel_configs` of an infrastructure job: the curated drops (with every queried name they
 * would hit exempted), and in `queried` mode the keep list first.
 */
export function metricRelabelConfigs(drops: readonly MetricDrop[], mode: MetricFilterMode, q: QueriedMetrics, keepMetrics: readonly string[]): RelabelConfig[] {
  if (mode === 'none') return [];
  // In `queried` mode the keep list already removed every name no one reads; only drops limited by
  // labels can still remove something.
  const active = mode === 'queried' ? drops.filter((d) => d.where && Object.keys(d.where).length) : drops;
  // keepMetrics are exempted whole, in every mode: the user asked for those series.
  const exempt = [...[...q.names].filter((n) => active.some((d) => dropHits(d, n, q))).sort().map(escapeRegex), ...(active.length ? keepMetrics : [])];
  const out: RelabelConfig[] = [];
  if (mode === 'queried') {
    const keep = [...[...q.names].sort().map(escapeRegex), ...q.patterns, ...keepMetrics];
    out.push({ source_labels: ['__name__'], regex: keep.join('|'), action: 'keep' });
  }
  if (exempt.length) out.push({ source_labels: ['__name__'], regex: exempt.join('|'), target_label: EXEMPT_LABEL, replacement: 'true' });
  for (const d of active) {
    const where = Object.entries(d.where ?? {});
    const labels = [...(exempt.length ? [EXEMPT_LABEL] : []), '__name__', ...where.map(([l]) => l)];
    const regex = [...(exempt.length ? [''] : []), `(?:${d.names})`, ...where.map(([, r]) => r)].join(';');
    out.push({ source_labels: labels, regex, action: 'drop' });
  }
  if (exempt.length) out.push({ regex: EXEMPT_LABEL, action: 'labeldrop' });
  return out;
}

/**
 * The jobs with their `metric_relabel_configs` filled in: each job that declares `metricDrops` (the
 * infrastructure jobs) is filtered as `mode` says; every other job is left as it is.
 */
export function applyMetricFilter(jobs: readonly ScrapeJob[], mode: MetricFilterMode, q: QueriedMetrics, keepMetrics: readonly string[]): ScrapeJob[] {
  if (mode === 'queried' && q.unnamed.length) {
    throw new Error(`prometheus.metricFilter 'queried' keeps the metric names that rules and dashboards read, but ${q.unnamed.length === 1 ? 'this query reads' : 'these queries read'} series without naming a metric: ${q.unnamed.join('; ')}. Name the metric in the selector, add the names to prometheus.keepMetrics, or use metricFilter 'curated'`);
  }
  return jobs.map((j) => {
    if (j.kind === 'probe' || !j.metricDrops) return j;
    const relabel = metricRelabelConfigs(j.metricDrops, mode, q, keepMetrics);
    return relabel.length ? { ...j, metricRelabel: [...(j.metricRelabel ?? []), ...relabel] } : j;
  });
}

/** True when a keep pattern may match some name starting with `prefix` (by its literal beginning). */
function patternMayMatchPrefix(pattern: string, prefix: string): boolean {
  const literal = /^[A-Za-z0-9_:]*/.exec(pattern.replace(/^\^/, ''))![0];
  // A trailing literal character before a quantifier (`node_x?`) is not certain: drop it.
  const sure = /^[?*{]/.test(pattern.replace(/^\^/, '').slice(literal.length)) ? literal.slice(0, -1) : literal;
  return prefix.startsWith(sure) || sure.startsWith(prefix);
}

/** True when anything in the keep list (names, patterns, keepMetrics) comes from a collector with these prefixes. */
export function feedsQueries(prefixes: readonly string[], q: QueriedMetrics, keepMetrics: readonly string[]): boolean {
  return prefixes.some((p) => [...q.names].some((n) => n.startsWith(p))
    || [...q.patterns, ...keepMetrics].some((re) => patternMayMatchPrefix(re, p)));
}
