import {
  ALERTMANAGER_SELF, BLACKBOX_EXPORTER, PROMETHEUS_SELF, PROMETHEUS_SYNTHETIC,
} from '../metric-catalogue';
import type { MetricCatalogue } from '../metric-catalogue';
import { alertRule, formatNumber, percent } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';
import { sel } from './selector';

/**
 * Prometheus' counters of scrapes refused by a per-target limit: `targetScrapeSampleLimit` and
 * `targetScrapePoolExceededLabelLimits` in scrape/metrics.go at v3.14.0 (also in 2.x).
 */
export const PROMETHEUS_SCRAPE_LIMITS: MetricCatalogue = {
  name: 'prometheus-scrape-limits',
  source: 'prometheus/prometheus v3.14.0 scrape/metrics.go',
  metrics: {
    prometheus_target_scrapes_exceeded_sample_limit_total: { type: 'counter', help: 'Scrapes that hit the sample limit and were rejected.' },
    prometheus_target_scrape_pool_exceeded_label_limits_total: { type: 'counter', help: 'Scrapes that hit a label limit and were rejected.' },
  },
};

/** Options of the `stack` pack: Vigil watching itself and the exporters it runs. */
export interface StackPackOptions {
  /**
   * Matchers selecting Prometheus' own metrics.
   * @default 'job="prometheus"'
   */
  readonly prometheusSelector?: string;
  /**
   * Matchers selecting Alertmanager's metrics.
   * @default 'job="alertmanager"'
   */
  readonly alertmanagerSelector?: string;
  /**
   * Matchers selecting blackbox health-check probes.
   * @default 'job=~"health-check-.+"'
   */
  readonly healthCheckSelector?: string;
  /**
   * Fraction of a job's targets that must be down for `TargetDown`.
   * @default 0.1
   */
  readonly targetDownRatio?: number;
  /**
   * Days before a probed TLS certificate expires at which `HealthCheckCertificateExpiring` fires.
   * @default 14
   */
  readonly certificateExpiryDays?: number;
  /**
   * Alertmanager runs as a gossip cluster (more than one replica). A lone Alertmanager runs with
   * clustering off and registers no `alertmanager_cluster_*` metrics (app/app.go at v0.34.0), so
   * `AlertmanagerClusterMembersInconsistent` could never fire: it is left out.
   * @default true
   */
  readonly alertmanagerClustered?: boolean;
  /**
   * Job names of the typed scrape targets (`scrapeTargets`): `ScrapeTargetMissing` fires while one of
   * them has no target at all, which `TargetDown` (a ratio of targets) cannot see.
   * @default - none, and no `ScrapeTargetMissing`
   */
  readonly scrapeTargetJobs?: readonly string[];
  /**
   * Growth of Prometheus' head series within an hour, as a fraction of the count an hour before, above
   * which `PrometheusHeadSeriesGrowingFast` fires.
   * @default 0.5
   */
  readonly headSeriesGrowthRatio?: number;
  /**
   * Series the head must have gained within the hour too, so a small Prometheus restarting or starting
   * to scrape one more exporter does not raise it.
   * @default 20000
   */
  readonly headSeriesGrowthMinimum?: number;
}

/** The `stack` pack: the dead man's switch, scrape health, Prometheus/Alertmanager health, health checks (each exporter's own pack says when its server is down). */
export function stackRulePack(options: StackPackOptions = {}): RulePack {
  const P = options.prometheusSelector ?? 'job="prometheus"';
  const A = options.alertmanagerSelector ?? 'job="alertmanager"';
  const H = options.healthCheckSelector ?? 'job=~"health-check-.+"';
  const prom = { job: 'prometheus', instance: '10.0.0.5:9090' };
  const am = { job: 'alertmanager', instance: '10.0.0.6:9093' };

  const watchdog = alertRule({
    name: 'Watchdog',
    expr: 'vector(1)',
    severity: 'info',
    // Routing sends heartbeat="true" to the dead man's switch receiver, never to people.
    labels: { heartbeat: 'true' },
    summary: 'Alerting pipeline heartbeat; this alert always fires.',
    description: 'Watchdog fires all the time so that an external dead man\'s switch can notice when Prometheus, Alertmanager or the notification path stops working. Route it to a heartbeat receiver; if the heartbeat stops arriving, alerting is broken.',
    tests: [{
      name: 'Watchdog always fires',
      series: [],
      alerts: [{ at: '1m', state: 'firing', alerts: [{}] }, { at: '1h', state: 'firing', alerts: [{}] }],
    }],
  });

  const targetDown = alertRule({
    name: 'TargetDown',
    threshold: options.targetDownRatio ?? 0.1,
    expr: (t) => `
      count by (job, namespace) (up == 0)
        /
      count by (job, namespace) (up) > ${formatNumber(t)}
    `,
    for: '10m',
    severity: 'warning',
    summary: (t) => `More than ${percent(t)} of the targets of a scrape job are down.`,
    description: '{{ $value | humanizePercentage }} of the {{ $labels.job }} targets{{ with $labels.namespace }} in namespace {{ . }}{{ end }} are down.',
    tests: [{
      name: 'TargetDown: one of two targets down',
      series: [
        { series: 'up{job="api", namespace="apps", instance="10.0.1.1:8080"}', values: '1 1 0x30' },
        { series: 'up{job="api", namespace="apps", instance="10.0.1.2:8080"}', values: '1x32' },
      ],
      alerts: [
        { at: '1m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels: { job: 'api', namespace: 'apps' } }] },
        { at: '20m', state: 'firing', alerts: [{ labels: { job: 'api', namespace: 'apps' }, annotations: { description: '50% of the api targets in namespace apps are down.' } }] },
      ],
    }],
  });

  // An empty job has no `up` series at all: TargetDown's ratio never sees it. A target whose selector,
  // namespace or port matches nothing (a port number is the pods' port, not the Service's) is silent.
  const targetJobs = options.scrapeTargetJobs ?? [];
  const [firstJob = 'api', ...otherJobs] = targetJobs;
  const present = (values: string) => otherJobs.map((j) => ({ series: `up{job="${j}", namespace="apps", instance="10.0.1.9:8080"}`, values }));
  const targetMissing = alertRule({
    name: 'ScrapeTargetMissing',
    expr: targetJobs.map((j) => `absent(up{job="${j}"})`).join('\nor\n'),
    for: '15m',
    severity: 'warning',
    summary: 'A declared scrape target has nothing to scrape.',
    description: 'Prometheus has no target for job {{ $labels.job }}: no Service in its namespace matches the selector, the Service has no ready endpoints, or none of them has the configured port (a port number is the port the pods serve on, the Service\'s targetPort; a port name is the Service port\'s name).',
    tests: [
      {
        name: 'ScrapeTargetMissing: the job has no target',
        series: [...present('1x40'), { series: `up{job="${firstJob}-other", instance="10.0.1.8:8080"}`, values: '1x40' }],
        alerts: [
          { at: '10m', state: 'pending', alerts: [{ labels: { job: firstJob } }] },
          { at: '20m', state: 'firing', alerts: [{ labels: { job: firstJob }, annotations: { description: `Prometheus has no target for job ${firstJob}: no Service in its namespace matches the selector, the Service has no ready endpoints, or none of them has the configured port (a port number is the port the pods serve on, the Service's targetPort; a port name is the Service port's name).` } }] },
        ],
      },
      {
        name: 'ScrapeTargetMissing: a target that is down is TargetDown\'s, not missing',
        series: [...present('1x40'), { series: `up{job="${firstJob}", namespace="apps", instance="10.0.1.1:8080"}`, values: '0x40' }],
        alerts: [{ at: '20m', state: 'inactive' }],
      },
    ],
  });

  // Every scrape over a per-target limit is refused whole: the target is down and its series stop, which
  // protects the rest. The counters say which limit; the target is the one whose up turned 0.
  const limitExceeded = alertRule({
    name: 'ScrapeLimitExceeded',
    expr: `
      label_replace(increase(${sel('prometheus_target_scrapes_exceeded_sample_limit_total', P)}[5m]), "limit", "sample_limit", "", "") > 0
        or
      label_replace(increase(${sel('prometheus_target_scrape_pool_exceeded_label_limits_total', P)}[5m]), "limit", "label_limit", "", "") > 0
    `,
    for: '5m',
    severity: 'warning',
    summary: 'A scrape target exposes more than its limits allow, and its scrapes are refused.',
    description: 'Prometheus {{ $labels.instance }} refused {{ printf "%.0f" $value }} scrapes in the last 5 minutes over the {{ $labels.limit }} (prometheus.scrapeLimits or the target\'s limits): that target is down and none of its series are stored.',
    tests: [
      {
        name: 'ScrapeLimitExceeded: a target over the sample limit',
        series: [
          { series: 'prometheus_target_scrapes_exceeded_sample_limit_total{job="prometheus", instance="10.0.0.5:9090"}', values: '0x10 1+2x30' },
          { series: 'prometheus_target_scrape_pool_exceeded_label_limits_total{job="prometheus", instance="10.0.0.5:9090"}', values: '0x40' },
        ],
        alerts: [
          { at: '10m', state: 'inactive' },
          { at: '13m', state: 'pending', alerts: [{ labels: { ...prom, limit: 'sample_limit' } }] },
          { at: '25m', state: 'firing', alerts: [{ labels: { ...prom, limit: 'sample_limit' }, annotations: { description: 'Prometheus 10.0.0.5:9090 refused 10 scrapes in the last 5 minutes over the sample_limit (prometheus.scrapeLimits or the target\'s limits): that target is down and none of its series are stored.' } }] },
        ],
      },
      {
        name: 'ScrapeLimitExceeded: a label too long',
        series: [
          { series: 'prometheus_target_scrapes_exceeded_sample_limit_total{job="prometheus", instance="10.0.0.5:9090"}', values: '0x40' },
          { series: 'prometheus_target_scrape_pool_exceeded_label_limits_total{job="prometheus", instance="10.0.0.5:9090"}', values: '0x10 1+1x30' },
        ],
        alerts: [{ at: '25m', state: 'firing', alerts: [{ labels: { ...prom, limit: 'label_limit' }, annotations: { description: 'Prometheus 10.0.0.5:9090 refused 5 scrapes in the last 5 minutes over the label_limit (prometheus.scrapeLimits or the target\'s limits): that target is down and none of its series are stored.' } }] }],
      },
      {
        name: 'ScrapeLimitExceeded: no refused scrape',
        series: [{ series: 'prometheus_target_scrapes_exceeded_sample_limit_total{job="prometheus", instance="10.0.0.5:9090"}', values: '3x40' }],
        alerts: [{ at: '30m', state: 'inactive' }],
      },
    ],
  });

  // A label with unbounded values (a user id, a URL with ids in it, a timestamp) multiplies series
  // by the thousand within minutes: memory follows until the pod is OOM-killed, and then every alert
  // is gone. Caught while it grows, before the limit of the pod is reached.
  const growthMinimum = options.headSeriesGrowthMinimum ?? 20000;
  const seriesGrowth = alertRule({
    name: 'PrometheusHeadSeriesGrowingFast',
    threshold: options.headSeriesGrowthRatio ?? 0.5,
    expr: (t) => `
      (
        ${sel('prometheus_tsdb_head_series', P)} - ${sel('prometheus_tsdb_head_series', P)} offset 1h
      ) / ${sel('prometheus_tsdb_head_series', P)} offset 1h > ${formatNumber(t)}
        and
      ${sel('prometheus_tsdb_head_series', P)} - ${sel('prometheus_tsdb_head_series', P)} offset 1h > ${formatNumber(growthMinimum)}
    `,
    for: '15m',
    severity: 'warning',
    summary: (t) => `Prometheus' active series grew by more than ${percent(t)} within an hour.`,
    description: 'Prometheus {{ $labels.instance }} holds {{ $value | humanizePercentage }} more series in its head block than an hour ago: a new target or label is multiplying series; its memory grows with them.',
    tests: [
      {
        name: 'PrometheusHeadSeriesGrowingFast: a label with unbounded values',
        interval: '5m',
        series: [{ series: 'prometheus_tsdb_head_series{job="prometheus", instance="10.0.0.5:9090"}', values: '100000x12 100000+10000x24' }],
        alerts: [
          { at: '1h', state: 'inactive' },
          { at: '1h35m', state: 'pending', alerts: [{ labels: prom }] },
          { at: '2h', state: 'firing', alerts: [{ labels: prom, annotations: { description: 'Prometheus 10.0.0.5:9090 holds 110% more series in its head block than an hour ago: a new target or label is multiplying series; its memory grows with them.' } }] },
        ],
      },
      {
        name: 'PrometheusHeadSeriesGrowingFast: a small Prometheus doubling is not alarming',
        interval: '5m',
        series: [{ series: 'prometheus_tsdb_head_series{job="prometheus", instance="10.0.0.5:9090"}', values: '5000x12 5000+1000x24' }],
        alerts: [{ at: '2h', state: 'inactive' }],
      },
    ],
  });

  const ruleFailures = alertRule({
    name: 'PrometheusRuleFailures',
    expr: `increase(${sel('prometheus_rule_evaluation_failures_total', P)}[5m]) > 0`,
    for: '15m',
    severity: 'critical',
    summary: 'Prometheus is failing to evaluate rules.',
    description: 'Prometheus {{ $labels.instance }} failed {{ printf "%.0f" $value }} evaluations of rule group {{ $labels.rule_group }} in the last 5 minutes; its alerts may not fire.',
    tests: [{
      name: 'PrometheusRuleFailures: failing evaluations',
      series: [
        { series: `prometheus_rule_evaluation_failures_total{job="prometheus", instance="10.0.0.5:9090", rule_group="/etc/prometheus/rules/node.yml;node.alerts"}`, values: '0x10 1+1x30' },
        { series: `prometheus_rule_evaluation_failures_total{job="prometheus", instance="10.0.0.5:9090", rule_group="/etc/prometheus/rules/stack.yml;stack.alerts"}`, values: '0x40' },
      ],
      alerts: [
        { at: '10m', state: 'inactive' },
        { at: '20m', state: 'pending', alerts: [{ labels: { ...prom, rule_group: '/etc/prometheus/rules/node.yml;node.alerts' } }] },
        { at: '30m', state: 'firing', alerts: [{ labels: { ...prom, rule_group: '/etc/prometheus/rules/node.yml;node.alerts' }, annotations: { description: 'Prometheus 10.0.0.5:9090 failed 5 evaluations of rule group /etc/prometheus/rules/node.yml;node.alerts in the last 5 minutes; its alerts may not fire.' } }] },
      ],
    }],
  });

  const sendErrors = alertRule({
    name: 'PrometheusErrorSendingAlerts',
    threshold: 0.03,
    expr: (t) => `
      rate(${sel('prometheus_notifications_errors_total', P)}[5m])
        /
      rate(${sel('prometheus_notifications_sent_total', P)}[5m]) > ${formatNumber(t)}
    `,
    for: '15m',
    severity: 'critical',
    summary: 'Prometheus cannot deliver alerts to Alertmanager.',
    description: 'Prometheus {{ $labels.instance }} failed to send {{ $value | humanizePercentage }} of its alerts to Alertmanager {{ $labels.alertmanager }}.',
    tests: [{
      name: 'PrometheusErrorSendingAlerts: 10% of sends fail',
      series: [
        { series: 'prometheus_notifications_sent_total{job="prometheus", instance="10.0.0.5:9090", alertmanager="http://10.0.0.6:9093/api/v2/alerts"}', values: '0+10x40' },
        { series: 'prometheus_notifications_errors_total{job="prometheus", instance="10.0.0.5:9090", alertmanager="http://10.0.0.6:9093/api/v2/alerts"}', values: '0x5 0+1x35' },
      ],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '15m', state: 'pending', alerts: [{ labels: { ...prom, alertmanager: 'http://10.0.0.6:9093/api/v2/alerts' } }] },
        { at: '30m', state: 'firing', alerts: [{ labels: { ...prom, alertmanager: 'http://10.0.0.6:9093/api/v2/alerts' }, annotations: { description: 'Prometheus 10.0.0.5:9090 failed to send 10% of its alerts to Alertmanager http://10.0.0.6:9093/api/v2/alerts.' } }] },
      ],
    }],
  });

  const noAlertmanagers = alertRule({
    name: 'PrometheusNotConnectedToAlertmanagers',
    expr: `max_over_time(${sel('prometheus_notifications_alertmanagers_discovered', P)}[5m]) < 1`,
    for: '10m',
    severity: 'warning',
    summary: 'Prometheus is not connected to any Alertmanager.',
    description: 'Prometheus {{ $labels.instance }} has discovered no Alertmanager, so no alert reaches anyone.',
    tests: [{
      name: 'PrometheusNotConnectedToAlertmanagers: discovery drops to zero',
      series: [{ series: 'prometheus_notifications_alertmanagers_discovered{job="prometheus", instance="10.0.0.5:9090"}', values: '1x5 0x40' }],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '15m', state: 'pending', alerts: [{ labels: prom }] },
        { at: '25m', state: 'firing', alerts: [{ labels: prom }] },
      ],
    }],
  });

  const promReload = alertRule({
    name: 'PrometheusConfigReloadFailed',
    expr: `max_over_time(${sel('prometheus_config_last_reload_successful', P)}[5m]) == 0`,
    for: '10m',
    severity: 'warning',
    summary: 'Prometheus could not load its new configuration.',
    description: 'The last configuration reload of Prometheus {{ $labels.instance }} failed; it keeps running the previous configuration and rules.',
    tests: [{
      name: 'PrometheusConfigReloadFailed: reload fails',
      series: [{ series: 'prometheus_config_last_reload_successful{job="prometheus", instance="10.0.0.5:9090"}', values: '1x5 0x40' }],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '15m', state: 'pending', alerts: [{ labels: prom }] },
        { at: '25m', state: 'firing', alerts: [{ labels: prom }] },
      ],
    }],
  });

  const tsdbCase = (name: string, metric: string): RulePack['tests'] => [{
    name: `${name}: counter increases`,
    interval: '15m',
    series: [{ series: `${metric}{job="prometheus", instance="10.0.0.5:9090"}`, values: '0x4 1+1x40' }],
    alerts: [
      { at: '1h', state: 'inactive' },
      { at: '3h', state: 'pending', alerts: [{ labels: prom }] },
      { at: '5h30m', state: 'firing', alerts: [{ labels: prom }] },
    ],
  }];

  const compactions = alertRule({
    name: 'PrometheusTsdbCompactionsFailing',
    expr: `increase(${sel('prometheus_tsdb_compactions_failed_total', P)}[3h]) > 0`,
    for: '4h',
    severity: 'warning',
    summary: 'Prometheus TSDB compactions are failing.',
    description: 'Prometheus {{ $labels.instance }} keeps failing to compact blocks; disk usage grows and queries slow down until this is fixed.',
    tests: tsdbCase('PrometheusTsdbCompactionsFailing', 'prometheus_tsdb_compactions_failed_total'),
  });

  const reloads = alertRule({
    name: 'PrometheusTsdbReloadsFailing',
    expr: `increase(${sel('prometheus_tsdb_reloads_failures_total', P)}[3h]) > 0`,
    for: '4h',
    severity: 'warning',
    summary: 'Prometheus cannot load TSDB blocks from disk.',
    description: 'Prometheus {{ $labels.instance }} keeps failing to reload blocks from disk; the data directory may be corrupt or full.',
    tests: tsdbCase('PrometheusTsdbReloadsFailing', 'prometheus_tsdb_reloads_failures_total'),
  });

  const walCorruptions = alertRule({
    name: 'PrometheusTsdbWalCorruptions',
    expr: `increase(${sel('prometheus_tsdb_wal_corruptions_total', P)}[3h]) > 0`,
    severity: 'warning',
    summary: 'Prometheus found a corrupted write-ahead log.',
    description: 'Prometheus {{ $labels.instance }} repaired {{ printf "%.0f" $value }} write-ahead log corruptions in the last 3 hours; recent samples were probably lost.',
    tests: [{
      name: 'PrometheusTsdbWalCorruptions: corruption after a crash',
      series: [{ series: 'prometheus_tsdb_wal_corruptions_total{job="prometheus", instance="10.0.0.5:9090"}', values: '0x10 1x50' }],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '30m', state: 'firing', alerts: [{ labels: prom, annotations: { description: 'Prometheus 10.0.0.5:9090 repaired 1 write-ahead log corruptions in the last 3 hours; recent samples were probably lost.' } }] },
      ],
    }],
  });

  const amReload = alertRule({
    name: 'AlertmanagerConfigReloadFailed',
    expr: `max_over_time(${sel('alertmanager_config_last_reload_successful', A)}[5m]) == 0`,
    for: '10m',
    severity: 'critical',
    summary: 'Alertmanager could not load its new configuration.',
    description: 'The last configuration reload of Alertmanager {{ $labels.instance }} failed; it keeps routing with the previous configuration.',
    tests: [{
      name: 'AlertmanagerConfigReloadFailed: reload fails',
      series: [{ series: 'alertmanager_config_last_reload_successful{job="alertmanager", instance="10.0.0.6:9093"}', values: '1x5 0x40' }],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '15m', state: 'pending', alerts: [{ labels: am }] },
        { at: '25m', state: 'firing', alerts: [{ labels: am }] },
      ],
    }],
  });

  const amFailed = alertRule({
    name: 'AlertmanagerFailedToSendNotifications',
    threshold: 0.01,
    // `reason` exists on the failure counter since Alertmanager 0.26 only; summing it away works on both.
    expr: (t) => `
      sum without (reason) (rate(${sel('alertmanager_notifications_failed_total', A)}[5m]))
        /
      sum without (reason) (rate(${sel('alertmanager_notifications_total', A)}[5m])) > ${formatNumber(t)}
    `,
    for: '5m',
    severity: 'warning',
    summary: 'Alertmanager is failing to deliver notifications.',
    description: 'Alertmanager {{ $labels.instance }} failed {{ $value | humanizePercentage }} of its {{ $labels.integration }} notifications in the last 5 minutes.',
    tests: [{
      name: 'AlertmanagerFailedToSendNotifications: slack failing',
      series: [
        { series: 'alertmanager_notifications_total{job="alertmanager", instance="10.0.0.6:9093", integration="slack"}', values: '0+4x30' },
        { series: 'alertmanager_notifications_failed_total{job="alertmanager", instance="10.0.0.6:9093", integration="slack", reason="serverError"}', values: '0x5 0+1x25' },
        { series: 'alertmanager_notifications_total{job="alertmanager", instance="10.0.0.6:9093", integration="email"}', values: '0+4x30' },
        { series: 'alertmanager_notifications_failed_total{job="alertmanager", instance="10.0.0.6:9093", integration="email", reason="other"}', values: '0x30' },
      ],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '9m', state: 'pending', alerts: [{ labels: { ...am, integration: 'slack' } }] },
        { at: '20m', state: 'firing', alerts: [{ labels: { ...am, integration: 'slack' }, annotations: { description: 'Alertmanager 10.0.0.6:9093 failed 25% of its slack notifications in the last 5 minutes.' } }] },
      ],
    }],
  });

  const amMembers = alertRule({
    name: 'AlertmanagerClusterMembersInconsistent',
    expr: `
      max_over_time(${sel('alertmanager_cluster_members', A)}[5m])
        < on (job) group_left ()
      count by (job) (max_over_time(${sel('alertmanager_cluster_members', A)}[5m]))
    `,
    for: '15m',
    severity: 'warning',
    summary: 'Alertmanager replicas do not see each other.',
    description: 'Alertmanager {{ $labels.instance }} sees {{ $value }} cluster members, fewer than the replicas running; notifications may be duplicated or silences not shared.',
    tests: [{
      name: 'AlertmanagerClusterMembersInconsistent: one replica partitioned',
      series: [
        { series: 'alertmanager_cluster_members{job="alertmanager", instance="10.0.0.6:9093"}', values: '3x10 1x40' },
        { series: 'alertmanager_cluster_members{job="alertmanager", instance="10.0.0.7:9093"}', values: '3x10 2x40' },
        { series: 'alertmanager_cluster_members{job="alertmanager", instance="10.0.0.8:9093"}', values: '3x10 2x40' },
      ],
      alerts: [
        { at: '10m', state: 'inactive' },
        { at: '20m', state: 'pending', alerts: [{ labels: { job: 'alertmanager', instance: '10.0.0.6:9093' } }, { labels: { job: 'alertmanager', instance: '10.0.0.7:9093' } }, { labels: { job: 'alertmanager', instance: '10.0.0.8:9093' } }] },
        {
          at: '40m',
          state: 'firing',
          alerts: [
            { labels: { job: 'alertmanager', instance: '10.0.0.6:9093' }, annotations: { description: 'Alertmanager 10.0.0.6:9093 sees 1 cluster members, fewer than the replicas running; notifications may be duplicated or silences not shared.' } },
            { labels: { job: 'alertmanager', instance: '10.0.0.7:9093' }, annotations: { description: 'Alertmanager 10.0.0.7:9093 sees 2 cluster members, fewer than the replicas running; notifications may be duplicated or silences not shared.' } },
            { labels: { job: 'alertmanager', instance: '10.0.0.8:9093' }, annotations: { description: 'Alertmanager 10.0.0.8:9093 sees 2 cluster members, fewer than the replicas running; notifications may be duplicated or silences not shared.' } },
          ],
        },
      ],
    }],
  });



  const check = { job: 'health-check-api', check: 'api', instance: 'https://api.example.com/healthz' };
  const healthCheck = alertRule({
    name: 'HealthCheckFailing',
    expr: `${sel('probe_success', H)} == 0`,
    for: '2m',
    severity: 'critical',
    summary: 'A health check is failing.',
    description: 'Health check {{ $labels.check }} against {{ $labels.instance }} is failing.',
    tests: [{
      name: 'HealthCheckFailing: endpoint returns errors',
      series: [
        { series: 'probe_success{job="health-check-api", check="api", instance="https://api.example.com/healthz"}', values: '1x3 0x10' },
        { series: 'probe_success{job="blackbox-exporter", instance="10.0.2.3:9115"}', values: '0x13' },
      ],
      alerts: [
        { at: '3m', state: 'inactive' },
        { at: '5m', state: 'pending', alerts: [{ labels: check }] },
        { at: '8m', state: 'firing', alerts: [{ labels: check, annotations: { description: 'Health check api against https://api.example.com/healthz is failing.' } }] },
      ],
    }],
  });

  const certificate = alertRule({
    name: 'HealthCheckCertificateExpiring',
    threshold: options.certificateExpiryDays ?? 14,
    expr: (t) => `(${sel('probe_ssl_earliest_cert_expiry', H)} - time()) / 86400 < ${formatNumber(t)}`,
    severity: 'warning',
    summary: (t) => `A TLS certificate expires in less than ${formatNumber(t)} days.`,
    description: 'The TLS certificate served at {{ $labels.instance }} (check {{ $labels.check }}) expires in {{ printf "%.1f" $value }} days.',
    tests: [
      {
        name: 'HealthCheckCertificateExpiring: certificate valid for 10 more days',
        series: [{ series: 'probe_ssl_earliest_cert_expiry{job="health-check-api", check="api", instance="https://api.example.com/healthz"}', values: '864000x10' }],
        alerts: [{ at: '5m', state: 'firing', alerts: [{ labels: check, annotations: { description: 'The TLS certificate served at https://api.example.com/healthz (check api) expires in 10.0 days.' } }] }],
      },
      {
        name: 'HealthCheckCertificateExpiring: certificate valid for 60 days',
        series: [{ series: 'probe_ssl_earliest_cert_expiry{job="health-check-api", check="api", instance="https://api.example.com/healthz"}', values: '5184000x10' }],
        alerts: [{ at: '5m', state: 'inactive' }],
      },
    ],
  });

  return {
    name: 'stack',
    source: 'alerts/packs/stack.ts',
    catalogues: [PROMETHEUS_SYNTHETIC, PROMETHEUS_SELF, PROMETHEUS_SCRAPE_LIMITS, ALERTMANAGER_SELF, BLACKBOX_EXPORTER],
    groups: [
      ruleGroup({ name: 'stack.heartbeat', rules: [watchdog] }),
      ruleGroup({ name: 'stack.scrape', rules: [targetDown, ...(targetJobs.length ? [targetMissing] : []), limitExceeded] }),
      ruleGroup({ name: 'stack.prometheus', rules: [ruleFailures, seriesGrowth, sendErrors, noAlertmanagers, promReload, compactions, reloads, walCorruptions] }),
      ruleGroup({ name: 'stack.alertmanager', rules: [amReload, amFailed, ...(options.alertmanagerClustered ?? true ? [amMembers] : [])] }),
      ruleGroup({ name: 'stack.exporters', rules: [healthCheck, certificate] }),
    ],
  };
}
