import type { RuleTest } from './rule-test';

/**
 * The typed rule model: alerting rules and recording rules as plain data. A rule is a value, not a
 * construct, so a pack can be filtered, overridden and rendered by pure functions, and a threshold edit
 * is a one-line change in TypeScript and a one-line diff in the rendered YAML.
 */

/** Alert severity, as the mixin style guide defines it: `critical` pages, `warning` opens a ticket, `info` is for context. */
export type Severity = 'critical' | 'warning' | 'info';
export const SEVERITIES = ['critical', 'warning', 'info'] as const satisfies readonly Severity[];

/** Text that may depend on the alert's threshold, so that overriding the threshold updates it too. */
export type ThresholdText = string | ((threshold: number) => string);

/** A link from an alert to the Grafana dashboard to open first. */
export interface DashboardLink {
  /** Dashboard UID (the `/d/<uid>` part of its URL). */
  readonly uid: string;
  /**
   * Panel to focus (`viewPanel`).
   * @default - the whole dashboard
   */
  readonly panelId?: number;
}

/** Properties of an alerting rule. */
export interface AlertRuleProps {
  /** CamelCase alert name, unique among all rendered packs (e.g. `NodeHighCpuUsage`). */
  readonly name: string;
  /**
   * The PromQL (LogQL in a Loki pack) condition. When the alert has a `threshold`, write a function
   * that builds the expression from it: `(t) => \`instance:node_cpu_utilisation:rate5m > ${t}\``.
   */
  readonly expr: ThresholdText;
  /**
   * The number the expression compares against. Declaring it makes the threshold overridable in one
   * line (`{ NodeHighCpuUsage: { threshold: 0.95 } }`) without rewriting the expression.
   * @default - the alert has no tunable threshold (`expr` must then be a string)
   */
  readonly threshold?: number;
  /**
   * How long the condition must hold before the alert fires (Prometheus duration).
   * @default - fires on the first evaluation where the condition holds
   */
  readonly for?: string;
  /**
   * How long the alert keeps firing after the condition stopped holding (Prometheus duration, needs
   * Prometheus 2.42 or later).
   * @default - resolves as soon as the condition stops holding
   */
  readonly keepFiringFor?: string;
  /** `critical` pages someone, `warning` goes to a ticket queue/chat, `info` is context only. */
  readonly severity: Severity;
  /**
   * Extra labels on the alert (routing, ownership). `severity` and `alertname` are set by Vigil.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** One-line headline (the `summary` annotation), a sentence ending with a period. May use templates. */
  readonly summary: ThresholdText;
  /** What is happening, with the affected object and value (`{{ $labels.instance }}`, `{{ $value | humanize }}`). */
  readonly description: ThresholdText;
  /**
   * The runbook: a repository path rendered as a URL under the configured runbook base URL, or an
   * absolute `https://` URL used as is.
   * @default `docs/runbooks/<name>.md`
   */
  readonly runbook?: string;
  /**
   * Dashboard to open from the notification (rendered as `dashboard_uid`, plus `dashboard_url` when a
   * Grafana URL is configured).
   * @default - no dashboard link
   */
  readonly dashboard?: DashboardLink;
  /**
   * Further annotations. `summary`, `description`, `runbook_url`, `dashboard_uid` and `dashboard_url`
   * are reserved for the fields above.
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * promtool unit tests for this alert; checks without an explicit `alert` test this one.
   * @default []
   */
  readonly tests?: readonly RuleTest[];
}

/** An alerting rule (the data; see `alertRule`). */
export interface AlertRule extends AlertRuleProps {
  readonly kind: 'alert';
}

/** Properties of a recording rule. */
export interface RecordingRuleProps {
  /** Series name in the `level:metric:operations` form, e.g. `job:http_requests:rate5m`. */
  readonly record: string;
  /** The expression whose result is recorded. */
  readonly expr: string;
  /**
   * Labels added to every recorded series.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A recording rule (the data; see `recordingRule`). */
export interface RecordingRule extends RecordingRuleProps {
  readonly kind: 'record';
}

export type Rule = AlertRule | RecordingRule;

/** Define an alerting rule. Validation happens when packs are rendered, with all problems listed at once. */
export function alertRule(props: AlertRuleProps): AlertRule {
  return { kind: 'alert', ...props };
}

/** Define a recording rule. */
export function recordingRule(props: RecordingRuleProps): RecordingRule {
  return { kind: 'record', ...props };
}

/** An alert with its threshold applied: every text field is a plain string. */
export interface ResolvedAlert {
  readonly name: string;
  readonly expr: string;
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly severity: Severity;
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly description: string;
  readonly runbook: string;
  readonly dashboard?: DashboardLink;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Repository path of an alert's runbook when it does not set one. */
export function defaultRunbookPath(alertName: string): string {
  return `docs/runbooks/${alertName}.md`;
}

function applyThreshold(text: ThresholdText, threshold: number | undefined, field: string, alert: string): string {
  if (typeof text === 'string') return text;
  if (threshold === undefined) {
    throw new Error(`alert '${alert}': ${field} is a function of the threshold but the alert has no threshold: set threshold (e.g. threshold: 0.9) or make ${field} a string`);
  }
  return text(threshold);
}

/** Apply the threshold to the text fields and fill defaults. */
export function resolveAlert(rule: AlertRule): ResolvedAlert {
  return {
    name: rule.name,
    expr: normalizeExpr(applyThreshold(rule.expr, rule.threshold, 'expr', rule.name)),
    for: rule.for,
    keepFiringFor: rule.keepFiringFor,
    severity: rule.severity,
    labels: Object.fromEntries(Object.entries(rule.labels ?? {}).map(([k, v]) => [k, expandIndentTabs(v)])),
    summary: expandIndentTabs(applyThreshold(rule.summary, rule.threshold, 'summary', rule.name)),
    description: expandIndentTabs(applyThreshold(rule.description, rule.threshold, 'description', rule.name)),
    runbook: rule.runbook ?? defaultRunbookPath(rule.name),
    dashboard: rule.dashboard,
    annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, expandIndentTabs(v)])),
  };
}

/**
 * Tabs in the indentation of a line (natural in a template literal) replaced by two spaces each: a
 * YAML block whose line starts with a tab is refused by Prometheus' and Loki's YAML parser ("found a
 * tab character where an indentation space is expected"). Tabs after the first other character stay.
 */
export function expandIndentTabs(text: string): string {
  return text.includes('\t') ? text.replace(/^[ \t]+/gm, (ws) => ws.replace(/\t/g, '  ')) : text;
}

/**
 * Expressions as they are rendered: indentation tabs expanded, surrounding blank lines and trailing
 * spaces removed, common indentation taken off, so a template literal renders as a clean YAML block.
 */
export function normalizeExpr(expr: string): string {
  const lines = expandIndentTabs(expr).split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/**
 * Format a threshold for PromQL and prose without float noise (`0.1 + 0.2` → `0.3`,
 * `14.4 * 0.001` → `0.0144`): whole numbers exactly, fractions to at most 10 significant digits.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`threshold ${n} is not a finite number`);
  // Whole numbers exactly (16 GiB is 17179869184, not 17179869180); fractions without float noise.
  if (Number.isSafeInteger(n)) return String(n);
  return String(Number(n.toPrecision(10)));
}

/** A ratio as a percentage for prose: 0.9 → `90%`, 0.955 → `95.5%`. */
export function percent(ratio: number): string {
  return `${formatNumber(ratio * 100)}%`;
}
