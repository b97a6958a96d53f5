import { alertRule, formatNumber, recordingRule } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';

/** Options of the `logs` pack (LogQL rules for the Loki ruler). */
export interface LogsPackOptions {
  /**
   * Stream selector of the logs to watch.
   * @default '{namespace=~".+"}'
   */
  readonly streamSelector?: string;
  /**
   * Stream labels the alerts are grouped by (as the log agent sets them).
   * @default ['namespace', 'container']
   */
  readonly groupBy?: readonly string[];
  /**
   * RE2 pattern of an error line.
   * @default '(?i)\\b(error|fatal|panic)\\b'
   */
  readonly errorPattern?: string;
  /**
   * Error lines per 5 minutes above which `LogErrorRateHigh` fires.
   * @default 50
   */
  readonly errorLinesThreshold?: number;
  /**
   * RE2 pattern of a failed authentication (seed: "User Authentication Issues").
   * @default '(?i)(authentication failed|invalid credentials|invalid password|login failed|unauthorized)'
   */
  readonly authFailurePattern?: string;
  /**
   * Failed authentications per 5 minutes above which `LogAuthenticationFailures` fires.
   * @default 20
   */
  readonly authFailuresThreshold?: number;
  /**
   * Also record the error-line rate per group as a metric. A Loki recording rule's result only goes
   * somewhere when the Loki ruler remote-writes it to Prometheus; the stack's Loki does not (its ruler
   * has no remote write, Prometheus no remote-write receiver), so `VigilStack` refuses a pack with it
   * on. For a Loki whose ruler you configured with remote write yourself.
   * @default false
   */
  readonly recordErrorRate?: boolean;
}

/** LogQL raw string literal (backticks: no escaping of regex backslashes). */
function raw(pattern: string): string {
  if (pattern.includes('`')) throw new Error(`log pattern ${pattern} contains a backtick, which LogQL raw strings cannot hold`);
  return `\`${pattern}\``;
}

/** The `logs` pack: error-log rate per service and authentication failures, evaluated by the Loki ruler. */
export function logsRulePack(options: LogsPackOptions = {}): RulePack {
  const stream = options.streamSelector ?? '{namespace=~".+"}';
  const by = options.groupBy ?? ['namespace', 'container'];
  const errors = options.errorPattern ?? '(?i)\\b(error|fatal|panic)\\b';
  const auth = options.authFailurePattern ?? '(?i)(authentication failed|invalid credentials|invalid password|login failed|unauthorized)';
  const where = by.map((l) => `{{ $labels.${l} }}`).join('/');
  const grouping = by.join(', ');

  const errorRate = alertRule({
    name: 'LogErrorRateHigh',
    threshold: options.errorLinesThreshold ?? 50,
    expr: (t) => `sum by (${grouping}) (count_over_time(${stream} |~ ${raw(errors)} [5m])) > ${formatNumber(t)}`,
    for: '10m',
    severity: 'warning',
    summary: (t) => `A service logs more than ${formatNumber(t)} errors per 5 minutes.`,
    description: `${where} logged {{ $value }} error lines in the last 5 minutes.`,
  });
  const authFailures = alertRule({
    name: 'LogAuthenticationFailures',
    threshold: options.authFailuresThreshold ?? 20,
    expr: (t) => `sum by (${grouping}) (count_over_time(${stream} |~ ${raw(auth)} [5m])) > ${formatNumber(t)}`,
    for: '5m',
    severity: 'warning',
    summary: (t) => `More than ${formatNumber(t)} failed logins per 5 minutes.`,
    description: `${where} logged {{ $value }} failed authentications in the last 5 minutes: a misconfigured client or someone guessing passwords.`,
  });

  const groups = [ruleGroup({ name: 'logs.alerts', rules: [errorRate, authFailures] })];
  if (options.recordErrorRate) {
    groups.unshift(ruleGroup({
      name: 'logs.rules',
      rules: [recordingRule({ record: `${by.join('_')}:log_error_lines:rate5m`, expr: `sum by (${grouping}) (rate(${stream} |~ ${raw(errors)} [5m]))` })],
    }));
  }
  return { name: 'logs', target: 'loki', source: 'alerts/packs/logs.ts', groups };
}
