import type { MetricCatalogue } from '../metric-catalogue';
import { alertRule, formatNumber, percent } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';
import type { RuleTest } from '../rule-test';
import { quote, sel } from './selector';

/** Options of a background-job queue pack (BullMQ, Celery, any worker that exports queue depth and job counts). */
export interface QueuePackOptions {
  /**
   * Pack (and file) name.
   * @default 'queues'
   */
  readonly name?: string;
  /**
   * Prefix of the alert names, e.g. `Downloads` → `DownloadsQueueBacklog`.
   * @default ''
   */
  readonly alertPrefix?: string;
  /**
   * Matchers selecting the application's series.
   * @default 'job=~".+"'
   */
  readonly selector?: string;
  /**
   * Gauge of jobs waiting in a queue (idkarr `queue_depth`, CanvasCast `job_queue_depth`, Barbossa `barbossa_celery_queue_length`).
   * @default 'queue_depth'
   */
  readonly depthMetric?: string;
  /**
   * Extra matchers on the depth gauge, e.g. `state="waiting"`.
   * @default 'state="waiting"'
   */
  readonly depthSelector?: string;
  /**
   * Label naming the queue.
   * @default 'queue'
   */
  readonly queueLabel?: string;
  /**
   * Waiting jobs above which `QueueBacklog` fires.
   * @default 100
   */
  readonly backlogThreshold?: number;
  /**
   * How long the backlog must last.
   * @default '10m'
   */
  readonly backlogFor?: string;
  /**
   * Counter of finished jobs with a status label (MediaNest `background_jobs_total{queue, status}`).
   * @default 'background_jobs_total'
   */
  readonly jobsMetric?: string;
  /**
   * Label of the job counter holding the outcome.
   * @default 'status'
   */
  readonly statusLabel?: string;
  /**
   * Regular expression on the status label for failed jobs.
   * @default '(?i)failed'
   */
  readonly failedStatus?: string;
  /**
   * Failed share of finished jobs above which `JobFailureRatio` fires.
   * @default 0.1
   */
  readonly failureRatioThreshold?: number;
}

/** A queue pack: backlog, stalled queues (jobs waiting, none finishing) and job failure ratio. */
export function queueRulePack(options: QueuePackOptions = {}): RulePack {
  const name = options.name ?? 'queues';
  const prefix = options.alertPrefix ?? '';
  const S = options.selector ?? 'job=~".+"';
  const depth = options.depthMetric ?? 'queue_depth';
  const depthSel = options.depthSelector ?? 'state="waiting"';
  const q = options.queueLabel ?? 'queue';
  const jobs = options.jobsMetric ?? 'background_jobs_total';
  const status = options.statusLabel ?? 'status';
  const failed = options.failedStatus ?? '(?i)failed';
  const withTests = Object.keys(options).length === 0;
  const tests = (t: RuleTest[]): RuleTest[] | undefined => (withTests ? t : undefined);
  const depthSeries = (values: string) => ({ series: `${depth}{job="worker", instance="10.0.1.5:9464", ${q}="imports", state="waiting"}`, values });
  const jobSeries = (st: string, perMinute: number) => ({ series: `${jobs}{job="worker", instance="10.0.1.5:9464", ${q}="imports", ${status}="${st}"}`, values: `0+${formatNumber(perMinute)}x40` });
  const imports = { [q]: 'imports' };

  const backlog = alertRule({
    name: `${prefix}QueueBacklog`,
    runbook: 'docs/runbooks/QueueBacklog.md',
    threshold: options.backlogThreshold ?? 100,
    expr: (t) => `sum by (${q}) (${sel(depth, S, depthSel)}) > ${formatNumber(t)}`,
    for: options.backlogFor ?? '10m',
    severity: 'warning',
    summary: (t) => `More than ${formatNumber(t)} jobs are waiting in a queue.`,
    description: `Queue {{ $labels.${q} }} has {{ $value }} waiting jobs.`,
    tests: tests([{
      name: 'QueueBacklog: 150 jobs waiting',
      series: [depthSeries('10x5 150x30')],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '10m', state: 'pending', alerts: [{ labels: imports }] },
        { at: '20m', state: 'firing', alerts: [{ labels: imports, annotations: { description: 'Queue imports has 150 waiting jobs.' } }] },
      ],
    }]),
  });

  const stalled = alertRule({
    name: `${prefix}QueueStalled`,
    runbook: 'docs/runbooks/QueueStalled.md',
    expr: `
      sum by (${q}) (${sel(depth, S, depthSel)}) > 0
      unless on (${q})
      sum by (${q}) (increase(${sel(jobs, S)}[15m])) > 0
    `,
    for: '15m',
    severity: 'warning',
    summary: 'Jobs are waiting but none finish.',
    description: `Queue {{ $labels.${q} }} has {{ $value }} waiting jobs and no job finished in the last 15 minutes: the workers are down or stuck.`,
    tests: tests([
      {
        name: 'QueueStalled: workers stop',
        series: [depthSeries('5x40'), { series: `${jobs}{job="worker", instance="10.0.1.5:9464", ${q}="imports", ${status}="completed"}`, values: '0+2x5 10x35' }],
        alerts: [
          { at: '10m', state: 'inactive' },
          { at: '25m', state: 'pending', alerts: [{ labels: imports }] },
          { at: '40m', state: 'firing', alerts: [{ labels: imports, annotations: { description: 'Queue imports has 5 waiting jobs and no job finished in the last 15 minutes: the workers are down or stuck.' } }] },
        ],
      },
      { name: 'QueueStalled: busy but moving', series: [depthSeries('5x40'), jobSeries('completed', 3)], alerts: [{ at: '40m', state: 'inactive' }] },
    ]),
  });

  const failures = alertRule({
    name: `${prefix}JobFailureRatio`,
    runbook: 'docs/runbooks/JobFailureRatio.md',
    threshold: options.failureRatioThreshold ?? 0.1,
    expr: (t) => `
      sum by (${q}) (rate(${sel(jobs, S, `${status}=~${quote(failed)}`)}[15m]))
        /
      sum by (${q}) (rate(${sel(jobs, S)}[15m])) > ${formatNumber(t)}
    `,
    for: '15m',
    severity: 'warning',
    summary: (t) => `More than ${percent(t)} of background jobs fail.`,
    description: `{{ $value | humanizePercentage }} of the jobs of queue {{ $labels.${q} }} failed in the last 15 minutes.`,
    tests: tests([
      {
        name: 'JobFailureRatio: a quarter of jobs fail',
        series: [jobSeries('completed', 3), jobSeries('failed', 1)],
        alerts: [
          { at: '10m', state: 'pending', alerts: [{ labels: imports }] },
          { at: '30m', state: 'firing', alerts: [{ labels: imports, annotations: { description: '25% of the jobs of queue imports failed in the last 15 minutes.' } }] },
        ],
      },
      { name: 'JobFailureRatio: all jobs succeed', series: [jobSeries('completed', 3)], alerts: [{ at: '30m', state: 'inactive' }] },
    ]),
  });

  const catalogue: MetricCatalogue = {
    name: `${name}-queues`,
    source: 'application instrumentation (job queues)',
    metrics: {
      [depth]: { type: 'gauge', help: 'Jobs in a queue by state.', labels: [q] },
      [jobs]: { type: 'counter', help: 'Finished jobs by outcome.', labels: [q, status] },
    },
  };
  return {
    name,
    source: 'alerts/packs/queues.ts',
    catalogues: [catalogue],
    groups: [ruleGroup({ name: `${name}.alerts`, rules: [backlog, stalled, failures] })],
  };
}
