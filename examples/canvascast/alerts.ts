import { alertRule, applyOverrides, formatNumber, httpRulePack, queueRulePack, ruleGroup, RulePack } from '../../index';
import { counter, gauge, histogram } from '../shared/rule-tests';
import { canvasCastMetricCatalogue } from './dashboards';

/**
 * CanvasCast's alerts (seed 003, section 9, `alerts.yml`): the four rules with the seed's names,
 * severities, thresholds and `for` durations. Two of the seed's expressions are broken PromQL and are
 * fixed here (see HighJobFailureRate and SlowResponses).
 *
 * | seed alert         | built with                                                      |
 * | ------------------ | --------------------------------------------------------------- |
 * | HighErrorRate      | httpRulePack (server errors per second), critical               |
 * | SlowResponses      | httpRulePack (p95 latency), renamed; expression fixed           |
 * | QueueBacklog       | queueRulePack on `job_queue_depth`                              |
 * | HighJobFailureRate | own rule; expression fixed                                      |
 */

/** Scrape job of the API (Express, prom-client): http_* and the business counters. */
export const API_JOB = 'canvascast-api';
/** Scrape job of the pipeline worker: job_*, pipeline_step_* and the queue gauge. */
export const WORKER_JOB = 'canvascast-worker';
/** The dashboard the alerts link to. */
export const CANVASCAST_DASHBOARD = 'canvascast-system-overview';
/** The dashboard the pipeline alerts link to. */
export const PIPELINE_DASHBOARD = 'canvascast-pipeline-performance';

const API = `job="${API_JOB}"`;
const WORKER = `job="${WORKER_JOB}"`;
const apiTarget = `${API}, instance="10.0.4.1:3000"`;
const workerTarget = `${WORKER}, instance="10.0.4.2:9464"`;

/** HTTP alerts on the API's `http_requests_total{method, route, status}` and `http_request_duration_seconds`. */
export function canvasCastHttpPack(): RulePack {
  const [pack] = applyOverrides([httpRulePack({
    app: 'canvascast',
    jobSelector: API,
    statusLabel: 'status',
    routeLabel: 'route',
    // seed: rate(http_requests_total{status=~"5.."}[5m]) > 0.1 for 5m, critical. The seed compares each
    // series (method × route × status × pod) with 0.1/s; the pack sums them per job: the API's error rate.
    errorRateThreshold: 0.1,
    // seed: histogram_quantile(0.95, http_request_duration_seconds) > 5 for 5m, warning. Broken: the
    // quantile is taken over the histogram's base name, which is no series at all (a histogram is its
    // `_bucket` series), and over no rate. Fixed as the p95 of the bucket rates over 5 minutes, summed by
    // job: `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m]))) > 5`.
    latencyQuantile: 0.95,
    latencyThresholdSeconds: 5,
    alertNames: { HighErrorRate: 'HighErrorRate', HighLatency: 'SlowResponses' },
    healthChecks: [],
  })], {
    HighErrorRate: { severity: 'critical' },
    // The seed pages on the error *rate*; it asks for no error-ratio alert.
    CanvascastHighErrorRatio: { enabled: false },
  });

  const requests = (status: string, perSecond: number) => counter(`http_requests_total{${apiTarget}, method="POST", route="/api/jobs", status="${status}"}`, perSecond);
  const latency = (slow: number) => histogram('http_request_duration_seconds', `${apiTarget}, method="POST", route="/api/jobs", status="200"`, 10, {
    '0.5': 10 - slow, '1': 10 - slow, '2': 10 - slow, '5': 10 - slow, '10': 10,
  });
  const app = { app: 'canvascast', job: API_JOB };
  const instance = { job: API_JOB, instance: '10.0.4.1:3000' };
  return {
    ...pack,
    tests: [
      {
        name: 'HighErrorRate: half an error per second',
        series: [requests('200', 10), requests('500', 0.5)],
        alerts: [
          { alert: 'HighErrorRate', at: '4m', state: 'pending', alerts: [{ labels: app }] },
          { alert: 'HighErrorRate', at: '15m', state: 'firing', alerts: [{ labels: app, annotations: { description: 'canvascast-api answers 0.50 server errors per second.' } }] },
        ],
      },
      { name: 'HighErrorRate: client errors only', series: [requests('200', 10), requests('402', 2)], alerts: [{ alert: 'HighErrorRate', at: '20m', state: 'inactive' }] },
      {
        name: 'SlowResponses: a tenth of requests take 5 to 10 seconds',
        series: latency(1),
        alerts: [
          { alert: 'SlowResponses', at: '4m', state: 'pending', alerts: [{ labels: app }] },
          { alert: 'SlowResponses', at: '15m', state: 'firing', alerts: [{ labels: app, annotations: { description: 'The p95 latency of canvascast-api is 7.5s.' } }] },
        ],
      },
      { name: 'SlowResponses: p95 under 5 seconds', series: latency(0.3), alerts: [{ alert: 'SlowResponses', at: '20m', state: 'inactive' }] },
      {
        name: 'CanvascastProcessHighMemory: the API holds 3 GiB',
        series: [gauge(`process_resident_memory_bytes{${apiTarget}}`, '1073741824x5 3221225472x30')],
        alerts: [
          { alert: 'CanvascastProcessHighMemory', at: '5m', state: 'inactive' },
          { alert: 'CanvascastProcessHighMemory', at: '10m', state: 'pending', alerts: [{ labels: instance }] },
          { alert: 'CanvascastProcessHighMemory', at: '20m', state: 'firing', alerts: [{ labels: instance, annotations: { description: 'canvascast-api process 10.0.4.1:3000 uses 3GiB of resident memory.' } }] },
        ],
      },
      {
        name: 'CanvascastServiceDown: the API stops answering scrapes',
        series: [gauge(`up{${apiTarget}}`, '1x3 0x10')],
        alerts: [
          { alert: 'CanvascastServiceDown', at: '3m', state: 'inactive' },
          { alert: 'CanvascastServiceDown', at: '4m', state: 'pending', alerts: [{ labels: instance }] },
          { alert: 'CanvascastServiceDown', at: '8m', state: 'firing', alerts: [{ labels: instance }] },
        ],
      },
    ],
  };
}

/** The video pipeline's queue: the seed's QueueBacklog, plus a stalled queue and the job failure ratio. */
export function canvasCastQueuePack(): RulePack {
  const pack = queueRulePack({
    name: 'canvascast-queues',
    selector: WORKER,
    // seed: job_queue_depth > 100 for 10m, warning. The gauge has no queue label (one BullMQ queue,
    // the video pipeline): the worker's job names the queue in the alerts.
    depthMetric: 'job_queue_depth',
    depthSelector: '',
    queueLabel: 'job',
    backlogThreshold: 100,
    backlogFor: '10m',
    // Finished jobs are the `job_duration_seconds` histogram's count, labelled with their status.
    jobsMetric: 'job_duration_seconds_count',
    statusLabel: 'status',
    failedStatus: '(?i)failed|error',
  });
  const depth = (values: string) => gauge(`job_queue_depth{${workerTarget}}`, values);
  const jobs = (status: string, perMinute: number) => counter(`job_duration_seconds_count{${workerTarget}, status="${status}", niche="history"}`, perMinute / 60);
  const queue = { job: WORKER_JOB };
  return {
    ...pack,
    catalogues: [...(pack.catalogues ?? []), canvasCastMetricCatalogue()],
    tests: [
      {
        name: 'QueueBacklog: 150 videos waiting',
        series: [depth('10x5 150x30'), jobs('completed', 2)],
        alerts: [
          { alert: 'QueueBacklog', at: '5m', state: 'inactive' },
          { alert: 'QueueBacklog', at: '10m', state: 'pending', alerts: [{ labels: queue }] },
          { alert: 'QueueBacklog', at: '20m', state: 'firing', alerts: [{ labels: queue, annotations: { description: 'Queue canvascast-worker has 150 waiting jobs.' } }] },
        ],
      },
      { name: 'QueueBacklog: 100 waiting is not a backlog', series: [depth('100x30'), jobs('completed', 2)], alerts: [{ alert: 'QueueBacklog', at: '25m', state: 'inactive' }] },
      {
        name: 'QueueStalled: videos wait and no job finishes',
        series: [depth('5x40'), gauge(`job_duration_seconds_count{${workerTarget}, status="completed", niche="history"}`, '0+2x5 10x35')],
        alerts: [
          { alert: 'QueueStalled', at: '10m', state: 'inactive' },
          { alert: 'QueueStalled', at: '25m', state: 'pending', alerts: [{ labels: queue }] },
          { alert: 'QueueStalled', at: '40m', state: 'firing', alerts: [{ labels: queue, annotations: { description: 'Queue canvascast-worker has 5 waiting jobs and no job finished in the last 15 minutes: the workers are down or stuck.' } }] },
        ],
      },
      { name: 'QueueStalled: busy but moving', series: [depth('5x40'), jobs('completed', 1)], alerts: [{ alert: 'QueueStalled', at: '40m', state: 'inactive' }] },
      {
        name: 'JobFailureRatio: a quarter of the pipelines fail',
        series: [jobs('completed', 3), jobs('failed', 1)],
        alerts: [
          { alert: 'JobFailureRatio', at: '10m', state: 'pending', alerts: [{ labels: queue }] },
          { alert: 'JobFailureRatio', at: '30m', state: 'firing', alerts: [{ labels: queue, annotations: { description: '25% of the jobs of queue canvascast-worker failed in the last 15 minutes.' } }] },
        ],
      },
      { name: 'JobFailureRatio: every pipeline succeeds', series: [jobs('completed', 3)], alerts: [{ alert: 'JobFailureRatio', at: '30m', state: 'inactive' }] },
    ],
  };
}

/** The seed's HighJobFailureRate, with its expression fixed. */
export function canvasCastPipelinePack(): RulePack {
  const failed = (values: string) => gauge(`jobs_by_status{${workerTarget}, status="FAILED"}`, values);
  const highJobFailureRate = alertRule({
    name: 'HighJobFailureRate',
    runbook: 'examples/canvascast/runbooks/HighJobFailureRate.md',
    threshold: 0.1,
    // Fixed expression. The seed's `rate(jobs_by_status{status="FAILED"}[1h]) > 0.1` applies rate() to a
    // gauge (jobs currently in each status): rate() reads every drop of the gauge — a failed job retried
    // or cleaned up — as a counter reset and adds the whole value back, so the alert fires on
    // clean-ups. deriv() is the per-second slope of a gauge: the same "failed jobs per second over the
    // last hour" on the same series, unit and threshold.
    expr: (t) => `sum by (job) (deriv(jobs_by_status{${WORKER}, status="FAILED"}[1h])) > ${formatNumber(t)}`,
    for: '15m',
    severity: 'critical',
    summary: 'High job failure rate.',
    description: 'Failed jobs grow by {{ printf "%.2f" $value }} per second over the last hour.',
    dashboard: { uid: PIPELINE_DASHBOARD },
    tests: [
      {
        name: 'HighJobFailureRate: 12 more failed jobs every minute',
        series: [failed('0+12x60')],
        alerts: [
          { at: '10m', state: 'pending', alerts: [{ labels: { job: WORKER_JOB } }] },
          { at: '40m', state: 'firing', alerts: [{ labels: { job: WORKER_JOB }, annotations: { description: 'Failed jobs grow by 0.20 per second over the last hour.' } }] },
        ],
      },
      {
        // rate() would read the clean-up at 20m (300 → 0) as a counter reset and see 300 failures.
        name: 'HighJobFailureRate: failed jobs cleaned up, then a few new ones',
        series: [failed('300x20 0+1x40')],
        alerts: [{ at: '25m', state: 'inactive' }, { at: '60m', state: 'inactive' }],
      },
    ],
  });
  return {
    name: 'canvascast-pipeline',
    source: 'examples/canvascast/alerts.ts',
    catalogues: [canvasCastMetricCatalogue()],
    groups: [ruleGroup({ name: 'canvascast-pipeline.alerts', rules: [highJobFailureRate] })],
  };
}

/** Every CanvasCast rule pack, in the order they are rendered. */
export function canvasCastRulePacks(): RulePack[] {
  return [canvasCastHttpPack(), canvasCastQueuePack(), canvasCastPipelinePack()];
}
