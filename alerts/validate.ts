import { z } from 'zod';
import { durationSeconds, isPromDuration } from '../lib/duration';
import { logqlIssues } from '../lib/logql';
import { isSeriesSelector, promqlIssues, promqlResultLabels } from '../lib/promql';
import type { QueryIssue } from '../lib/query-issues';
import { AlertRule, RecordingRule, resolveAlert, ResolvedAlert, SEVERITIES } from './rule';
import { PACK_NAME, packAlerts, RulePack } from './rule-pack';
import { checksOf, RuleTest } from './rule-test';
import { closest } from '../lib/suggest';
import { templateIssues } from '../lib/template';

/**
 * Synth-time validation of rule packs. Every problem is collected (not just the first), each naming
 * the pack, group, rule, field and position, with what to write instead.
 */

/** Names Prometheus accepts for alerts in rule files are any label value; Vigil asks for CamelCase. */
export const ALERT_NAME = /^[A-Z][A-Za-z0-9]*$/;
/** Label names Prometheus accepts (names starting with `__` are reserved for Prometheus). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** `level:metric:operations` (prometheus.io/docs/practices/rules). */
export const RECORD_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+$/;
/** Grafana dashboard UIDs: up to 40 letters, digits, `-` and `_`. */
const DASHBOARD_UID = /^[a-zA-Z0-9_-]{1,40}$/;

/** Annotations Vigil renders from typed fields; setting them through `annotations` is an error. */
export const RESERVED_ANNOTATIONS = ['summary', 'description', 'runbook_url', 'dashboard_uid', 'dashboard_url'];
/** Labels Vigil renders from typed fields. */
export const RESERVED_LABELS = ['severity', 'alertname'];

/** One validation problem. */
export interface RuleIssue {
  readonly pack: string;
  readonly source?: string;
  readonly group?: string;
  /** `alert 'Name'`, `record 'name'` or `test 'name'`, with its position. */
  readonly rule?: string;
  readonly field?: string;
  readonly message: string;
}

/** Render an issue as one line: where, then what to do. */
export function formatRuleIssue(i: RuleIssue): string {
  const where = [`pack '${i.pack}'${i.source ? ` (${i.source})` : ''}`];
  if (i.group) where.push(`group '${i.group}'`);
  if (i.rule) where.push(i.rule);
  return `${where.join(' › ')}${i.field ? ` › ${i.field}` : ''}: ${i.message}`;
}

/** Thrown when packs do not validate; `issues` holds every problem found. */
export class RuleValidationError extends Error {
  constructor(readonly issues: readonly RuleIssue[]) {
    super(`${issues.length} problem${issues.length === 1 ? '' : 's'} in alert rules:\n${issues.map((i) => `  - ${formatRuleIssue(i)}`).join('\n')}`);
    this.name = 'RuleValidationError';
  }
}

/** Options for validation. */
export interface ValidateOptions {
  /**
   * Dashboard UIDs that exist; an alert linking another UID is an error.
   * @default - dashboard links are not cross-checked
   */
  readonly knownDashboardUids?: readonly string[];
  /**
   * Panel ids of each known dashboard (by uid); an alert linking a panel that is not there is an error.
   * @default - panel ids are not checked
   */
  readonly knownDashboardPanels?: Readonly<Record<string, readonly number[]>>;
}

const thresholdText = z.union([
  z.string(),
  z.custom<(t: number) => string>((v) => typeof v === 'function', 'expected a string or a function (threshold) => string'),
]);
const duration = z.string().refine(isPromDuration, 'expected a Prometheus duration such as "30s", "5m", "1h" or "30d"');
const stringMap = z.record(z.string(), z.string());

const alertShape = z.strictObject({
  kind: z.literal('alert'),
  name: z.string().regex(ALERT_NAME, 'expected a CamelCase name starting with a capital letter, letters and digits only (e.g. "NodeHighCpuUsage")'),
  expr: thresholdText,
  threshold: z.number().refine(Number.isFinite, 'expected a finite number').optional(),
  for: duration.optional(),
  keepFiringFor: duration.optional(),
  severity: z.enum(SEVERITIES, `expected one of ${SEVERITIES.map((s) => `'${s}'`).join(', ')}`),
  labels: stringMap.optional(),
  summary: thresholdText,
  description: thresholdText,
  runbook: z.string().regex(/^(https?:\/\/\S+|[A-Za-z0-9_.\-/]+\.md(#[A-Za-z0-9_-]+)?)$/, 'expected a repository path such as "docs/runbooks/MyAlert.md" or an absolute https:// URL').optional(),
  dashboard: z.strictObject({
    uid: z.string().regex(DASHBOARD_UID, 'expected a Grafana dashboard UID: up to 40 letters, digits, "-" or "_"'),
    panelId: z.number().int().positive().optional(),
  }).optional(),
  annotations: stringMap.optional(),
  tests: z.array(z.any()).optional(),
});

const recordShape = z.strictObject({
  kind: z.literal('record'),
  record: z.string().regex(RECORD_NAME, 'expected a name of the form level:metric:operations, e.g. "job:http_requests:rate5m"'),
  expr: z.string(),
  labels: stringMap.optional(),
});

const groupShape = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected letters, digits, ".", "_" and "-", e.g. "node.alerts"'),
  interval: duration.optional(),
  limit: z.number().int().nonnegative().optional(),
  rules: z.array(z.any()).min(1, 'a group needs at least one rule: add rules or remove the group'),
});

const ruleTestShape = z.strictObject({
  name: z.string().min(1, 'give the test a name that says what it shows'),
  interval: z.string().optional(),
  series: z.array(z.strictObject({ series: z.string(), values: z.string() })),
  alerts: z.array(z.strictObject({
    at: z.string(),
    alert: z.string().optional(),
    state: z.enum(['inactive', 'pending', 'firing'], "expected 'inactive', 'pending' or 'firing'"),
    alerts: z.array(z.strictObject({ labels: stringMap.optional(), annotations: stringMap.optional() })).optional(),
  })).optional(),
  samples: z.array(z.strictObject({
    at: z.string(),
    expr: z.string(),
    samples: z.array(z.strictObject({ labels: z.string(), value: z.number() })),
  })).optional(),
  externalLabels: stringMap.optional(),
});

const packShape = z.strictObject({
  name: z.string().regex(PACK_NAME, 'expected lower-case letters, digits and "-", e.g. "node" (it becomes the file name)'),
  target: z.enum(['prometheus', 'loki']).optional(),
  source: z.string().optional(),
  groups: z.array(z.any()),
  tests: z.array(z.any()).optional(),
  catalogues: z.array(z.any()).optional(),
});

function zodIssues(schema: z.ZodType, value: unknown, base: Omit<RuleIssue, 'message' | 'field'>): RuleIssue[] {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ ...base, field: i.path.length > 0 ? i.path.join('.') : undefined, message: i.message }));
}

function queryIssues(pack: RulePack, expr: string): QueryIssue[] {
  return (pack.target ?? 'prometheus') === 'loki' ? logqlIssues(expr) : promqlIssues(expr);
}

function queryMessage(pack: RulePack, i: QueryIssue): string {
  const lang = (pack.target ?? 'prometheus') === 'loki' ? 'LogQL' : 'PromQL';
  return `${lang} error at ${i.line}:${i.column}: ${i.message}`;
}

function labelIssues(labels: Readonly<Record<string, string>> | undefined, base: Omit<RuleIssue, 'message' | 'field'>, reserved: readonly string[]): RuleIssue[] {
  const out: RuleIssue[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (!LABEL_NAME.test(k) || k.startsWith('__')) {
      out.push({ ...base, field: `labels.${k}`, message: `"${k}" is not a legal label name: use letters, digits and "_", not starting with a digit or "__" (e.g. "${k.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^[0-9_]+/, '') || 'team'}")` });
    }
    if (reserved.includes(k)) out.push({ ...base, field: `labels.${k}`, message: `"${k}" is set by Vigil: ${k === 'severity' ? "use the rule's severity field" : 'remove it'}` });
    for (const t of templateIssues(v)) out.push({ ...base, field: `labels.${k}`, message: `template: ${t}` });
  }
  return out;
}

function validateAlert(pack: RulePack, alert: AlertRule, base: Omit<RuleIssue, 'message' | 'field'>, options: ValidateOptions): RuleIssue[] {
  const out = zodIssues(alertShape, alert, base);
  if (out.length > 0) return out;
  const fn = [alert.expr, alert.summary, alert.description].some((t) => typeof t === 'function');
  if (fn && alert.threshold === undefined) {
    return [{ ...base, field: 'threshold', message: 'expr, summary or description is a function of the threshold but no threshold is set: add threshold: <number>' }];
  }
  if (typeof alert.expr !== 'function' && alert.threshold !== undefined) {
    out.push({ ...base, field: 'threshold', message: fn
      ? `threshold ${alert.threshold} builds the text but not the expression, so an override of the threshold would change the text and leave the expression: write expr as a function, expr: (t) => \`... > \${t}\``
      : `threshold ${alert.threshold} is never used: write expr as a function, expr: (t) => \`... > \${t}\`, or remove threshold` });
  }
  let resolved: ResolvedAlert;
  try {
    resolved = resolveAlert(alert);
  } catch (e) {
    return [...out, { ...base, field: 'expr', message: (e as Error).message }];
  }
  for (const i of queryIssues(pack, resolved.expr)) out.push({ ...base, field: 'expr', message: queryMessage(pack, i) });
  if (alert.for !== undefined && durationSeconds(alert.for) === 0) out.push({ ...base, field: 'for', message: `for: "${alert.for}" is zero, the default: remove it` });
  out.push(...labelIssues(alert.labels, base, RESERVED_LABELS));
  for (const [k, v] of Object.entries(alert.labels ?? {})) {
    // A label is part of the alert's identity: one that changes with the value makes a new alert at
    // every evaluation, so an alert with a `for` is pending forever and never fires.
    if (/\{\{[^}]*(\$value|\.Value)\b/.test(v)) out.push({ ...base, field: `labels.${k}`, message: 'the value ({{ $value }}) in a label changes the alert\'s identity at every evaluation, so it never stays pending long enough to fire: put it in an annotation (description) instead' });
  }
  if ((pack.target ?? 'prometheus') === 'prometheus') out.push(...labelReferenceIssues(resolved, base));
  for (const field of ['summary', 'description'] as const) {
    const text = resolved[field];
    if (text.trim().length === 0) out.push({ ...base, field, message: `${field} is required: write ${field === 'summary' ? 'a one-line headline, e.g. "Node CPU usage is high."' : 'what is happening and where, e.g. "{{ $labels.instance }} has been down for 5 minutes."'}` });
    for (const t of templateIssues(text)) out.push({ ...base, field, message: `template: ${t}` });
  }
  for (const [k, v] of Object.entries(alert.annotations ?? {})) {
    if (RESERVED_ANNOTATIONS.includes(k)) out.push({ ...base, field: `annotations.${k}`, message: `"${k}" is rendered from a typed field: set ${k === 'runbook_url' ? 'runbook' : k.startsWith('dashboard') ? 'dashboard' : k} instead` });
    if (!LABEL_NAME.test(k)) out.push({ ...base, field: `annotations.${k}`, message: `"${k}" is not a legal annotation name: use letters, digits and "_"` });
    for (const t of templateIssues(v)) out.push({ ...base, field: `annotations.${k}`, message: `template: ${t}` });
  }
  if (alert.dashboard && options.knownDashboardUids && !options.knownDashboardUids.includes(alert.dashboard.uid)) {
    const near = closest(alert.dashboard.uid, options.knownDashboardUids);
    out.push({ ...base, field: 'dashboard.uid', message: `no dashboard has UID "${alert.dashboard.uid}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : ''}` });
  }
  const panels = alert.dashboard && options.knownDashboardPanels?.[alert.dashboard.uid];
  if (alert.dashboard?.panelId !== undefined && panels && !panels.includes(alert.dashboard.panelId)) {
    out.push({ ...base, field: 'dashboard.panelId', message: `dashboard "${alert.dashboard.uid}" has no panel ${alert.dashboard.panelId}, so the link would open an error: its panel ids are ${panels.join(', ')} (panels are numbered in reading order, rows included)` });
  }
  return out;
}

/**
 * `{{ $labels.x }}` where the expression's result cannot carry `x` (an aggregation `by (...)` without
 * it, a misspelt name): the text prints nothing. Checked only when the expression fixes its labels.
 */
function labelReferenceIssues(alert: ResolvedAlert, base: Omit<RuleIssue, 'message' | 'field'>): RuleIssue[] {
  const available = promqlResultLabels(alert.expr);
  if (!available) return [];
  const out: RuleIssue[] = [];
  const texts: Array<[string, string]> = [
    ['summary', alert.summary], ['description', alert.description],
    ...Object.entries(alert.annotations).map(([k, v]): [string, string] => [`annotations.${k}`, v]),
    ...Object.entries(alert.labels).map(([k, v]): [string, string] => [`labels.${k}`, v]),
  ];
  for (const [field, text] of texts) {
    const refs = new Set<string>();
    for (const m of text.matchAll(/\{\{[^}]*\}\}/g)) {
      for (const r of m[0].matchAll(/(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)|index\s+(?:\$labels|\.Labels)\s+"([^"]+)"/g)) refs.add(r[1] ?? r[2]);
    }
    for (const label of refs) {
      if (available.has(label)) continue;
      const near = closest(label, available);
      out.push({ ...base, field, message: `{{ $labels.${label} }} is always empty: the expression's result has ${available.size ? `only the labels ${[...available].sort().join(', ')}` : 'no labels'}${near.length ? `; did you mean $labels.${near[0]}?` : ''} Add ${label} to the expression's by (...) clause or fix the name` });
    }
  }
  return out;
}

function validateRecord(pack: RulePack, rule: RecordingRule, base: Omit<RuleIssue, 'message' | 'field'>): RuleIssue[] {
  const out = zodIssues(recordShape, rule, base);
  if (out.length > 0) return out;
  for (const i of queryIssues(pack, rule.expr)) out.push({ ...base, field: 'expr', message: queryMessage(pack, i) });
  out.push(...labelIssues(rule.labels, base, []));
  return out;
}

function validateTest(pack: RulePack, test: RuleTest, owner: string | undefined, alertsByName: Map<string, AlertRule>, base: Omit<RuleIssue, 'message' | 'field'>): RuleIssue[] {
  const out: RuleIssue[] = [];
  const where = { ...base, rule: `test '${test.name}'${owner ? ` of alert '${owner}'` : ''}` };
  const shape = zodIssues(ruleTestShape, test, where);
  if (shape.length > 0) return shape;
  if ((pack.target ?? 'prometheus') !== 'prometheus') {
    return [{ ...where, message: 'promtool tests only run PromQL rules: remove tests from Loki packs' }];
  }
  if (test.interval !== undefined && !isPromDuration(test.interval)) out.push({ ...where, field: 'interval', message: `"${test.interval}" is not a Prometheus duration: write e.g. "1m"` });
  test.series.forEach((s, i) => {
    if (!isSeriesSelector(s.series)) {
      out.push({ ...where, field: `series[${i}]`, message: `"${s.series}" is not a series selector: write metric{label="value", ...}` });
    }
    if (!/^\s*(\S+\s*)+$/.test(s.values)) out.push({ ...where, field: `series[${i}].values`, message: 'values are empty: write e.g. "1x10" or "0+60x30"' });
  });
  let checks;
  try {
    checks = checksOf(test, owner);
  } catch (e) {
    return [...out, { ...where, message: (e as Error).message }];
  }
  checks.forEach((c, i) => {
    const field = `alerts[${i}]`;
    if (!isPromDuration(c.at)) out.push({ ...where, field: `${field}.at`, message: `"${c.at}" is not a Prometheus duration: write e.g. "10m"` });
    if (!alertsByName.has(c.alert)) {
      out.push({ ...where, field: `${field}.alert`, message: `pack has no alert '${c.alert}'; did you mean ${closest(c.alert, alertsByName.keys()).map((n) => `'${n}'`).join(', ')}?` });
    }
    if (c.state === 'inactive' && c.alerts && c.alerts.length > 0) out.push({ ...where, field: `${field}.alerts`, message: "an 'inactive' check expects no alerts: remove alerts or change state" });
    if (c.state !== 'inactive' && (!c.alerts || c.alerts.length === 0)) out.push({ ...where, field: `${field}.alerts`, message: `a '${c.state}' check must list the expected alerts (at least their labels)` });
    const rule = alertsByName.get(c.alert);
    if (c.state === 'pending' && (c.alerts ?? []).some((a) => a.annotations && Object.keys(a.annotations).length > 0)) {
      out.push({ ...where, field: `${field}.alerts`, message: "a 'pending' check compares labels only (promtool lists firing alerts; pending ones are checked through the ALERTS series, which has no annotations): remove the annotations, or check them at a time the alert is 'firing'" });
    }
    if (c.state === 'pending' && rule && !rule.for) out.push({ ...where, field: `${field}.state`, message: `alert '${c.alert}' has no 'for', so it is never pending: check 'firing' or 'inactive'` });
  });
  (test.samples ?? []).forEach((s, i) => {
    for (const q of promqlIssues(s.expr)) out.push({ ...where, field: `samples[${i}].expr`, message: `PromQL error at ${q.line}:${q.column}: ${q.message}` });
    if (!isPromDuration(s.at)) out.push({ ...where, field: `samples[${i}].at`, message: `"${s.at}" is not a Prometheus duration` });
  });
  return out;
}

/** Every problem in `packs`; empty when they render cleanly. */
export function ruleIssues(packs: readonly RulePack[], options: ValidateOptions = {}): RuleIssue[] {
  const out: RuleIssue[] = [];
  const packNames = new Map<string, number>();
  const groupOwners = new Map<string, string>();
  const alertOwners = new Map<string, string>();
  const recordOwners = new Map<string, string>(); // record name and labels → `pack/group`
  for (const pack of packs) {
    const base = { pack: pack.name, source: pack.source };
    const shape = zodIssues(packShape, pack, base);
    if (shape.length > 0) { out.push(...shape); continue; }
    packNames.set(pack.name, (packNames.get(pack.name) ?? 0) + 1);
    if (packNames.get(pack.name) === 2) out.push({ ...base, message: `two packs are named '${pack.name}' and would write the same file: rename one` });
    const alertsByName = new Map<string, AlertRule>();
    for (const group of pack.groups) {
      const gbase = { ...base, group: group.name };
      const gshape = zodIssues(groupShape, group, gbase);
      if (gshape.length > 0) { out.push(...gshape); continue; }
      const prev = groupOwners.get(group.name);
      if (prev !== undefined) out.push({ ...gbase, field: 'name', message: `group name already used in pack '${prev}': group names must be unique, e.g. "${pack.name}.${group.name}"` });
      else groupOwners.set(group.name, pack.name);
      group.rules.forEach((rule, idx) => {
        const position = `rule ${idx + 1}`;
        if (rule.kind === 'alert') {
          const rbase = { ...gbase, rule: `alert '${rule.name}' (${position})` };
          out.push(...validateAlert(pack, rule, rbase, options));
          const owner = alertOwners.get(rule.name);
          if (owner !== undefined) {
            out.push({ ...rbase, field: 'name', message: `alert name already used in pack '${owner}': alert names must be unique so overrides and runbooks are unambiguous; rename it (e.g. "${rule.name}${pack.name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}")` });
          } else {
            alertOwners.set(rule.name, pack.name);
          }
          alertsByName.set(rule.name, rule);
        } else if (rule.kind === 'record') {
          const rbase = { ...gbase, rule: `record '${rule.record}' (${position})` };
          out.push(...validateRecord(pack, rule, rbase));
          const labels = Object.entries(rule.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
          const key = JSON.stringify([rule.record, labels]);
          const first = recordOwners.get(key);
          if (first !== undefined) {
            out.push({ ...rbase, field: 'record', message: `${first === `${pack.name}/${group.name}` ? `group '${group.name}' records` : `pack '${first.split('/')[0]}' (group '${first.split('/').slice(1).join('/')}') records`} ${rule.record}${labels.length ? ` with the same labels` : ''} already: two rules writing one series overwrite each other (promtool's lint reports a duplicate); remove this one, or give them distinguishing labels (e.g. labels: { app: '${pack.name}' })` });
          } else {
            recordOwners.set(key, `${pack.name}/${group.name}`);
          }
        } else {
          out.push({ ...gbase, rule: position, message: 'not a rule: build rules with alertRule({...}) or recordingRule({...})' });
        }
      });
    }
    for (const t of pack.tests ?? []) out.push(...validateTest(pack, t, undefined, alertsByName, base));
    for (const a of packAlerts(pack)) for (const t of a.tests ?? []) out.push(...validateTest(pack, t, a.name, alertsByName, base));
  }
  return out;
}

/** Throws a `RuleValidationError` listing every problem in `packs`. */
export function validateRulePacks(packs: readonly RulePack[], options: ValidateOptions = {}): void {
  const issues = ruleIssues(packs, options);
  if (issues.length > 0) throw new RuleValidationError(issues);
}
