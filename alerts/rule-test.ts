/**
 * promtool unit tests as typed data. A test gives input series and a list of checks; each check says
 * whether an alert is `inactive`, `pending` (condition true but its `for` has not elapsed) or `firing`
 * at an evaluation time. Rendering turns them into a `promtool test rules` file: `firing` and the
 * empty expectation of `inactive`/`pending` become `alert_rule_test` entries, and `pending`/`inactive`
 * also query the `ALERTS` series, so "not before its `for`" is proven rather than assumed.
 */

/** One input series in promtool's expanding notation. */
export interface InputSeries {
  /** Series selector with labels, e.g. `up{job="node-exporter", instance="10.0.0.1:9100"}`. */
  readonly series: string;
  /** Values, e.g. `1x10`, `0+60x30` (start+step x count), `_` for a missing sample, `stale`. */
  readonly values: string;
}

/** An alert expected at a check (labels/annotations as rendered, minus what Vigil fills in). */
export interface ExpectedAlert {
  /**
   * Labels of the alert beyond `alertname`, `severity` and the rule's static labels (those are added
   * automatically): usually the labels of the series that matched.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Expected text of the templated annotations (`description` with `{{ $value }}` and so on). Static
   * annotations (`runbook_url`, a summary without templates) are filled in from the rule.
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

export type AlertState = 'inactive' | 'pending' | 'firing';

/** One check: the state of one alert at one evaluation time. */
export interface AlertCheck {
  /** Evaluation time since the start of the series (Prometheus duration, e.g. `10m`). */
  readonly at: string;
  /**
   * Alert name.
   * @default - the alert the test is attached to
   */
  readonly alert?: string;
  /** `inactive`: neither pending nor firing; `pending`: waiting for `for`; `firing`. */
  readonly state: AlertState;
  /** The alerts expected when `pending` or `firing` (required then, not allowed for `inactive`). */
  readonly alerts?: readonly ExpectedAlert[];
}

/** A PromQL check, e.g. the output of a recording rule. */
export interface SampleCheck {
  /** Evaluation time. */
  readonly at: string;
  /** Expression to evaluate. */
  readonly expr: string;
  /** Expected samples: `labels` in series notation (`job:http_requests:rate5m{job="api"}`), and the value. */
  readonly samples: ReadonlyArray<{ readonly labels: string; readonly value: number }>;
}

/** A promtool test case. */
export interface RuleTest {
  /** What the case shows, e.g. `NodeHighCpuUsage fires after 15m above 90%`. */
  readonly name: string;
  /**
   * Spacing of input samples.
   * @default '1m'
   */
  readonly interval?: string;
  /** Input series. */
  readonly series: readonly InputSeries[];
  /**
   * Alert checks.
   * @default []
   */
  readonly alerts?: readonly AlertCheck[];
  /**
   * Expression checks.
   * @default []
   */
  readonly samples?: readonly SampleCheck[];
  /**
   * External labels visible to templates as `$externalLabels`.
   * @default {}
   */
  readonly externalLabels?: Readonly<Record<string, string>>;
}

/** Every alert check of a test, with the alert name filled in from `defaultAlert` when omitted. */
export function checksOf(test: RuleTest, defaultAlert?: string): Array<AlertCheck & { alert: string }> {
  return (test.alerts ?? []).map((c) => {
    const alert = c.alert ?? defaultAlert;
    if (!alert) throw new Error(`rule test '${test.name}': the check at ${c.at} names no alert: set alert: '<AlertName>'`);
    return { ...c, alert };
  });
}
