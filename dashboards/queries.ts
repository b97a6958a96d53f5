import { parser as logqlParser } from '@grafana/lezer-logql';
import { logqlIssues, logqlSemanticIssues } from '../lib/logql';
import { promqlIssues, promqlMetricNames } from '../lib/promql';
import type { QueryDatasource, VariableDefinition } from './model';

/**
 * Dashboard queries are PromQL/LogQL with Grafana variables in them. Grafana interpolates the variables
 * before the datasource sees the query, so validation does the same: each variable is replaced by a
 * placeholder of the right shape, then the query goes through the same parsers as the alert rules
 * (`alerts/promql.ts`, `alerts/logql.ts`).
 */

const VARIABLE_PLACEHOLDER_TEXT = 'vigil_var';

/** Placeholders for Grafana's built-in variables: durations where Grafana puts durations, numbers where it puts numbers. */
export const BUILTIN_VARIABLES: Readonly<Record<string, string>> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '6h',
  __auto: '1m',
  __range_s: '21600',
  __range_ms: '21600000',
  __interval_ms: '60000',
  __rate_interval_ms: '300000',
  __from: '1700000000000',
  __to: '1700021600000',
  // Grafana's global variables that print names and ids; in a label matcher they are a string.
  __org: VARIABLE_PLACEHOLDER_TEXT,
  __user: VARIABLE_PLACEHOLDER_TEXT,
  __dashboard: VARIABLE_PLACEHOLDER_TEXT,
  __name: VARIABLE_PLACEHOLDER_TEXT,
  __timezone: VARIABLE_PLACEHOLDER_TEXT,
};

/** Placeholder for a template variable's value: valid inside a label matcher string and as a label name in `by (...)`. */
export const VARIABLE_PLACEHOLDER = VARIABLE_PLACEHOLDER_TEXT;

/** `$name`, `${name}`, `${name:format}` and the deprecated `[[name]]`. */
const VARIABLE_REF = /\$\{(\w+)(?:\.\w+)*(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/g;

/** A duration placeholder for a variable in a range or step (`[$window]`, `[1h:$step]`) or after `offset`. */
const DURATION_PLACEHOLDER = '5m';
function inDurationPosition(text: string, offset: number): boolean {
  return /(\[\s*|\[[^\]]*:\s*|\boffset\s+-?)$/.test(text.slice(Math.max(0, offset - 40), offset));
}

/** The result of substituting Grafana variables in a query. */
export interface Substituted {
  /** The query with every variable replaced. */
  readonly text: string;
  /** Variables the query uses that are neither built in nor defined on the dashboard. */
  readonly undefinedVariables: readonly string[];
  /** True when anything was substituted (error positions then refer to `text`). */
  readonly changed: boolean;
}

/** Replaces Grafana variables with placeholders; `defined` are the dashboard's own variable names. */
export function substituteVariables(expr: string, defined: ReadonlySet<string>): Substituted {
  const missing = new Set<string>();
  let changed = false;
  const text = expr.replace(VARIABLE_REF, (_m, a: string | undefined, b: string | undefined, c: string | undefined, offset: number, whole: string) => {
    const name = (a ?? b ?? c)!;
    changed = true;
    if (name in BUILTIN_VARIABLES) return BUILTIN_VARIABLES[name];
    if (!defined.has(name)) missing.add(name);
    return inDurationPosition(whole, offset) ? DURATION_PLACEHOLDER : VARIABLE_PLACEHOLDER;
  });
  return { text, undefinedVariables: [...missing].sort(), changed };
}

/** What a query is expected to be: a PromQL expression, a LogQL metric query or a LogQL log query. */
export type QueryLanguage = 'promql' | 'logql-metric' | 'logql-log';

/** The language of a panel's queries. */
export function queryLanguage(datasource: QueryDatasource, panelKind: string): QueryLanguage {
  if (datasource === 'prometheus') return 'promql';
  return panelKind === 'logs' ? 'logql-log' : 'logql-metric';
}

/**
 * Problems with one dashboard query, as messages (empty when the query is fine). `defined` are the
 * dashboard's variable names.
 */
export function dashboardQueryProblems(expr: string, language: QueryLanguage, defined: ReadonlySet<string>): string[] {
  const sub = substituteVariables(expr, defined);
  if (sub.undefinedVariables.length) {
    return [`uses undefined variable(s) ${sub.undefinedVariables.map((v) => `$${v}`).join(', ')}: define them in the dashboard's variables or write the value`];
  }
  const after = sub.changed ? ` (in "${sub.text}", after substituting Grafana variables)` : '';
  if (language === 'promql') {
    const i = promqlIssues(sub.text)[0];
    if (!i) return [];
    const logql = isLogSelectorQuery(sub.text) || logqlIssues(sub.text).length === 0;
    return [`PromQL does not parse at ${i.line}:${i.column}: ${i.message}${after}${logql ? "; this is a LogQL query: set the panel's datasource: 'loki'" : ''}`];
  }
  const isLogQuery = isLogSelectorQuery(sub.text);
  if (language === 'logql-log') {
    if (isLogQuery) {
      const s = logqlSemanticIssues(sub.text)[0];
      return s ? [`LogQL at ${s.line}:${s.column}: ${s.message}${after}`] : [];
    }
    const i = logqlIssues(sub.text)[0];
    if (i) return [`LogQL does not parse at ${i.line}:${i.column}: ${i.message}${after}`];
    return ['a logs panel shows log lines: write a log query such as {namespace="apps"} |= "error", not a metric query'];
  }
  if (isLogQuery) return ['a graph needs a LogQL metric query: wrap the selector, e.g. sum(count_over_time({namespace="apps"} |= "error" [$__auto]))'];
  const i = logqlIssues(sub.text)[0];
  if (!i) return [];
  return [`LogQL ${logqlSemanticIssues(sub.text).length ? '' : 'does not parse '}at ${i.line}:${i.column}: ${i.message}${after}`];
}

/** True when `expr` parses as a LogQL log query (a selector with an optional pipeline). */
function isLogSelectorQuery(expr: string): boolean {
  const tree = logqlParser.parse(expr);
  let broken = false;
  tree.iterate({ enter: (n) => { if (n.type.isError) broken = true; return !broken; } });
  return !broken && tree.topNode.getChild('Expr')?.getChild('LogExpr') != null;
}

/** Metric names a PromQL dashboard query reads (after substituting variables). */
export function dashboardQueryMetrics(expr: string, defined: ReadonlySet<string>): string[] {
  // A name built from a variable (`$metric`, `${prefix}_requests_total`) is only known at view time.
  return promqlMetricNames(substituteVariables(expr, defined).text).filter((m) => !m.includes(VARIABLE_PLACEHOLDER));
}

/** The parts of a Prometheus variable query: `label_values(<selector>, <label>)`, `label_values(<label>)`, `query_result(<expr>)`. */
const LABEL_VALUES = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_]\w*)\s*\)\s*$/s;
const QUERY_RESULT = /^\s*query_result\(\s*(.+)\)\s*$/s;

/** The PromQL part of a Prometheus variable query, or undefined when the query has none (`label_values(job)`). */
export function variablePromql(query: string): { expr?: string; problem?: string } {
  const lv = LABEL_VALUES.exec(query);
  if (lv) return { expr: lv[1] };
  const qr = QUERY_RESULT.exec(query);
  if (qr) return { expr: qr[1] };
  return { problem: 'expected label_values(<selector>, <label>), label_values(<label>) or query_result(<PromQL>)' };
}

/** Problems with a variable's query (Prometheus variables only; Loki variable queries are passed through). */
export function variableProblems(v: VariableDefinition, defined: ReadonlySet<string>): string[] {
  if (v.kind !== 'query' || (v.datasource ?? 'prometheus') !== 'prometheus') return [];
  const part = variablePromql(v.query);
  if (part.problem) return [part.problem];
  return part.expr === undefined ? [] : dashboardQueryProblems(part.expr, 'promql', defined);
}

/** Metric names a variable's query reads. */
export function variableMetrics(v: VariableDefinition, defined: ReadonlySet<string>): string[] {
  if (v.kind !== 'query' || (v.datasource ?? 'prometheus') !== 'prometheus') return [];
  const expr = variablePromql(v.query).expr;
  return expr === undefined ? [] : dashboardQueryMetrics(expr, defined);
}
