import { MetricCatalogue, PROCESS_METRICS, PROMETHEUS_SYNTHETIC } from '../metric-catalogue';
import { AlertRule, alertRule, formatNumber, percent, recordingRule, Severity } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';
import type { RuleTest } from '../rule-test';
import { quote, sel } from './selector';

/** One alert on the application's health-check gauge (1 = passing, 0 = failing), as the seeds export it. */
export interface HealthGaugeAlert {
  /** Alert name, e.g. `DownloadClientDown`. */
  readonly alert: string;
  /**
   * Regular expression on the check label, e.g. `download_client:.*`.
   * @default '.+'
   */
  readonly check?: string;
  /**
   * How long the check must fail.
   * @default '5m'
   */
  readonly for?: string;
  /**
   * Severity.
   * @default 'warning'
   */
  readonly severity?: Severity;
  /**
   * Summary annotation.
   * @default 'A health check of <app> is failing.'
   */
  readonly summary?: string;
}

/** Keys of the alerts the HTTP pack ships, for renaming them with `alertNames`. */
export type HttpAlertKey = 'HighErrorRatio' | 'HighErrorRate' | 'HighLatency' | 'ProcessHighMemory' | 'ServiceDown';

/** Options of an HTTP application pack. Every option has a default; set `app` and `jobSelector` for your service. */
export interface HttpPackOptions {
  /**
   * Application name: the pack and file name, the `app` label on recorded series, and the prefix of
   * alert names in CamelCase (`idkarr` → `IdkarrHighErrorRatio`).
   * @default 'http'
   */
  readonly app?: string;
  /**
   * Matchers selecting the application's series, e.g. `job="idkarr-api"`.
   * @default 'job=~".+"' (every job that exports the request metrics)
   */
  readonly jobSelector?: string;
  /**
   * Prefix of the default metric names (Barbossa uses `barbossa_`).
   * @default ''
   */
  readonly metricPrefix?: string;
  /**
   * Request counter.
   * @default '<metricPrefix>http_requests_total'
   */
  readonly requestsMetric?: string;
  /**
   * Request duration histogram (base name, without `_bucket`).
   * @default '<metricPrefix>http_request_duration_seconds'
   */
  readonly durationHistogram?: string;
  /**
   * Label holding the HTTP status (`status`, `status_code`, `code`).
   * @default 'status'
   */
  readonly statusLabel?: string;
  /**
   * Regular expression on the status label that counts as an error.
   * @default '5..'
   */
  readonly errorStatus?: string;
  /**
   * Label holding the route (`path`, `route`, `endpoint`, `handler`), for the per-route request rate.
   * @default 'path'
   */
  readonly routeLabel?: string;
  /**
   * Error ratio (0–1) above which `<App>HighErrorRatio` fires.
   * @default 0.05
   */
  readonly errorRatioThreshold?: number;
  /**
   * Errors per second above which `<App>HighErrorRate` fires.
   * @default 0.1
   */
  readonly errorRateThreshold?: number;
  /**
   * Latency quantile watched by `<App>HighLatency` (0.95 = p95).
   * @default 0.95
   */
  readonly latencyQuantile?: number;
  /**
   * Latency in seconds above which `<App>HighLatency` fires.
   * @default 2
   */
  readonly latencyThresholdSeconds?: number;
  /**
   * Resident memory in bytes above which `<App>ProcessHighMemory` fires.
   * @default 2147483648 (2 GiB)
   */
  readonly memoryThresholdBytes?: number;
  /**
   * The health-check gauge the application exports.
   * @default 'health_check_status'
   */
  readonly healthCheckMetric?: string;
  /**
   * Label of the health-check gauge naming the check.
   * @default 'check'
   */
  readonly healthCheckLabel?: string;
  /**
   * Alerts on the health-check gauge; an empty list ships none.
   * @default [{ alert: '<App>HealthCheckFailing' }]
   */
  readonly healthChecks?: readonly HealthGaugeAlert[];
  /**
   * New names for shipped alerts (their runbooks stay the shared `Http*` ones), e.g. to keep a seed's
   * `HighErrorRate`: `{ HighErrorRatio: 'HighErrorRate' }`.
   * @default {}
   */
  readonly alertNames?: Partial<Record<HttpAlertKey, string>>;
  /**
   * Labels added to every alert (team, service) for routing.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

function camel(name: string): string {
  return name.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

/** `p95` for 0.95, `p99_9` for 0.999. */
function quantileName(q: number): string {
  return `p${formatNumber(q * 100).replace('.', '_')}`;
}

/**
 * An HTTP application pack: request-rate, error and latency recording rules (shared with dashboards)
 * and alerts on error ratio, error rate, latency quantile, process memory, target up-ness and the
 * application's health-check gauge.
 */
export function httpRulePack(options: HttpPackOptions = {}): RulePack {
  const app = options.app ?? 'http';
  const S = options.jobSelector ?? 'job=~".+"';
  const prefix = options.metricPrefix ?? '';
  const requests = options.requestsMetric ?? `${prefix}http_requests_total`;
  const duration = options.durationHistogram ?? `${prefix}http_request_duration_seconds`;
  const status = options.statusLabel ?? 'status';
  const errorStatus = options.errorStatus ?? '5..';
  const route = options.routeLabel ?? 'path';
  const q = options.latencyQuantile ?? 0.95;
  const healthMetric = options.healthCheckMetric ?? 'health_check_status';
  const healthLabel = options.healthCheckLabel ?? 'check';
  const App = camel(app);
  const name = (key: HttpAlertKey) => options.alertNames?.[key] ?? `${App}${key}`;
  const labels = options.labels ?? {};
  // Tests are written against the default options; a customised pack keeps its rules but not the tests.
  const withTests = Object.keys(options).length === 0;
  const tests = (t: RuleTest[]): RuleTest[] | undefined => (withTests ? t : undefined);

  const base = requests.replace(/_total$/, '');
  const rec = {
    requests: `job:${base}:rate5m`,
    routeRequests: `job_${route}:${base}:rate5m`,
    errors: `job:${base}_errors:rate5m`,
    errorRatio: `job:${base}_errors:ratio_rate5m`,
    buckets: `job_le:${duration}_bucket:rate5m`,
    latency: `job:${duration}:${quantileName(q)}_rate5m`,
  };
  const appLabel = { app };
  const only = `app=${quote(app)}`;

  const records = [
    recordingRule({ record: rec.requests, expr: `sum by (job) (rate(${sel(requests, S)}[5m]))`, labels: appLabel }),
    recordingRule({ record: rec.routeRequests, expr: `sum by (job, ${route}) (rate(${sel(requests, S)}[5m]))`, labels: appLabel }),
    recordingRule({ record: rec.errors, expr: `sum by (job) (rate(${sel(requests, S, `${status}=~${quote(errorStatus)}`)}[5m]))`, labels: appLabel }),
    recordingRule({ record: rec.errorRatio, expr: `${sel(rec.errors, only)}\n  /\n${sel(rec.requests, only)}`, labels: appLabel }),
    recordingRule({ record: rec.buckets, expr: `sum by (job, le) (rate(${sel(`${duration}_bucket`, S)}[5m]))`, labels: appLabel }),
    recordingRule({ record: rec.latency, expr: `histogram_quantile(${formatNumber(q)}, ${sel(rec.buckets, only)})`, labels: appLabel }),
  ];

  const job = { job: 'api', app };
  const req = (statusValue: string, perSecond: number) => ({
    series: `${requests}{job="api", instance="10.0.1.1:8080", ${status}="${statusValue}", ${route}="/api/items"}`,
    values: `0+${formatNumber(perSecond * 60)}x40`,
  });

  const errorRatio = alertRule({
    name: name('HighErrorRatio'),
    runbook: 'docs/runbooks/HttpHighErrorRatio.md',
    threshold: options.errorRatioThreshold ?? 0.05,
    expr: (t) => `${sel(rec.errorRatio, only)} > ${formatNumber(t)}`,
    for: '5m',
    severity: 'critical',
    labels,
    summary: (t) => `More than ${percent(t)} of ${app} requests fail.`,
    description: '{{ $value | humanizePercentage }} of the requests to {{ $labels.job }} fail with a server error.',
    tests: tests([
      {
        name: 'HighErrorRatio: 10% of requests fail',
        series: [req('200', 9), req('500', 1)],
        alerts: [
          { at: '4m', state: 'pending', alerts: [{ labels: job }] },
          { at: '15m', state: 'firing', alerts: [{ labels: job, annotations: { description: '10% of the requests to api fail with a server error.' } }] },
        ],
        samples: [{ at: '15m', expr: sel(rec.requests, only), samples: [{ labels: `${rec.requests}{app="${app}", job="api"}`, value: 10 }] }],
      },
      { name: 'HighErrorRatio: 1% of requests fail', series: [req('200', 9.9), req('500', 0.1)], alerts: [{ at: '20m', state: 'inactive' }] },
    ]),
  });

  const errorRate = alertRule({
    name: name('HighErrorRate'),
    runbook: 'docs/runbooks/HttpHighErrorRate.md',
    threshold: options.errorRateThreshold ?? 0.1,
    expr: (t) => `${sel(rec.errors, only)} > ${formatNumber(t)}`,
    for: '5m',
    severity: 'warning',
    labels,
    summary: (t) => `${app} answers more than ${formatNumber(t)} server errors per second.`,
    description: '{{ $labels.job }} answers {{ printf "%.2f" $value }} server errors per second.',
    tests: tests([
      {
        name: 'HighErrorRate: half an error per second',
        series: [req('200', 10), req('503', 0.5)],
        alerts: [
          { at: '4m', state: 'pending', alerts: [{ labels: job }] },
          { at: '15m', state: 'firing', alerts: [{ labels: job, annotations: { description: 'api answers 0.50 server errors per second.' } }] },
        ],
      },
      { name: 'HighErrorRate: no server errors', series: [req('200', 10), req('404', 1)], alerts: [{ at: '20m', state: 'inactive' }] },
    ]),
  });

  // Ten requests per second, with `slow` of them slower than 2.5s (the rest under 0.1s).
  const histogram = (slow: number) => [
    ['0.1', 10 - slow], ['0.5', 10 - slow], ['2.5', 10 - slow], ['+Inf', 10],
  ].map(([le, perSecond]) => ({
    series: `${duration}_bucket{job="api", instance="10.0.1.1:8080", le="${le}"}`,
    values: `0+${formatNumber(Number(perSecond) * 60)}x40`,
  }));
  const latency = alertRule({
    name: name('HighLatency'),
    runbook: 'docs/runbooks/HttpHighLatency.md',
    threshold: options.latencyThresholdSeconds ?? 2,
    expr: (t) => `${sel(rec.latency, only)} > ${formatNumber(t)}`,
    for: '5m',
    severity: 'warning',
    labels,
    summary: (t) => `${app} ${quantileName(q)} latency is above ${formatNumber(t)}s.`,
    description: `The ${quantileName(q)} latency of {{ $labels.job }} is {{ $value | humanizeDuration }}.`,
    tests: tests([
      {
        name: 'HighLatency: a tenth of requests take over 2.5s',
        series: histogram(1),
        alerts: [
          { at: '4m', state: 'pending', alerts: [{ labels: job }] },
          { at: '15m', state: 'firing', alerts: [{ labels: job, annotations: { description: 'The p95 latency of api is 2.5s.' } }] },
        ],
      },
      { name: 'HighLatency: all requests fast', series: histogram(0), alerts: [{ at: '20m', state: 'inactive' }] },
    ]),
  });

  const process = { job: 'api', instance: '10.0.1.1:8080' };
  const memory = alertRule({
    name: name('ProcessHighMemory'),
    runbook: 'docs/runbooks/HttpProcessHighMemory.md',
    threshold: options.memoryThresholdBytes ?? 2 * 1024 ** 3,
    expr: (t) => `${sel('process_resident_memory_bytes', S)} > ${formatNumber(t)}`,
    for: '10m',
    severity: 'warning',
    labels,
    summary: (t) => `A ${app} process uses more than ${formatNumber(t / 1024 ** 2)} MiB of memory.`,
    description: '{{ $labels.job }} process {{ $labels.instance }} uses {{ $value | humanize1024 }}B of resident memory.',
    tests: tests([{
      name: 'ProcessHighMemory: 3 GiB resident',
      series: [{ series: 'process_resident_memory_bytes{job="api", instance="10.0.1.1:8080"}', values: '1073741824x5 3221225472x30' }],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '10m', state: 'pending', alerts: [{ labels: process }] },
        { at: '20m', state: 'firing', alerts: [{ labels: process, annotations: { description: 'api process 10.0.1.1:8080 uses 3GiB of resident memory.' } }] },
      ],
    }]),
  });

  const down = alertRule({
    name: name('ServiceDown'),
    runbook: 'docs/runbooks/HttpServiceDown.md',
    expr: `${sel('up', S)} == 0`,
    for: '1m',
    severity: 'critical',
    labels,
    summary: `A ${app} instance is down.`,
    description: 'Prometheus cannot scrape {{ $labels.job }} instance {{ $labels.instance }}; the service is down or unreachable.',
    tests: tests([{
      name: 'ServiceDown: instance stops answering',
      series: [{ series: 'up{job="api", instance="10.0.1.1:8080"}', values: '1x3 0x10' }],
      alerts: [
        { at: '3m', state: 'inactive' },
        { at: '4m', state: 'pending', alerts: [{ labels: process }] },
        { at: '8m', state: 'firing', alerts: [{ labels: process }] },
      ],
    }]),
  });

  const healthChecks: readonly HealthGaugeAlert[] = options.healthChecks ?? [{ alert: `${App}HealthCheckFailing` }];
  const health: AlertRule[] = healthChecks.map((h) => alertRule({
    name: h.alert,
    runbook: 'docs/runbooks/HttpHealthCheckFailing.md',
    expr: `${sel(healthMetric, S, `${healthLabel}=~${quote(h.check ?? '.+')}`)} == 0`,
    for: h.for ?? '5m',
    severity: h.severity ?? 'warning',
    labels,
    summary: h.summary ?? `A health check of ${app} is failing.`,
    description: `Health check {{ $labels.${healthLabel} }} of {{ $labels.job }} reports failure.`,
    tests: tests([{
      name: `${h.alert}: download client unreachable`,
      series: [
        { series: `${healthMetric}{job="api", instance="10.0.1.1:8080", ${healthLabel}="download_client:qbittorrent"}`, values: '1x3 0x20' },
        { series: `${healthMetric}{job="api", instance="10.0.1.1:8080", ${healthLabel}="database"}`, values: '1x23' },
      ],
      alerts: [
        { at: '3m', state: 'inactive' },
        { at: '6m', state: 'pending', alerts: [{ labels: { ...process, [healthLabel]: 'download_client:qbittorrent' } }] },
        { at: '15m', state: 'firing', alerts: [{ labels: { ...process, [healthLabel]: 'download_client:qbittorrent' } }] },
      ],
    }]),
  }));

  const catalogue: MetricCatalogue = {
    name: `${app}-http`,
    source: `application instrumentation (${app})`,
    metrics: {
      [requests]: { type: 'counter', help: 'HTTP requests served.', labels: [status, route] },
      [duration]: { type: 'histogram', help: 'HTTP request duration.', labels: [route] },
      [healthMetric]: { type: 'gauge', help: 'Health check result: 1 passing, 0 failing.', labels: [healthLabel] },
    },
  };

  return {
    name: app,
    source: 'alerts/packs/http.ts',
    catalogues: [PROMETHEUS_SYNTHETIC, PROCESS_METRICS, catalogue],
    groups: [
      ruleGroup({ name: `${app}.rules`, rules: records }),
      ruleGroup({ name: `${app}.alerts`, rules: [errorRatio, errorRate, latency, memory, down, ...health] }),
    ],
  };
}
