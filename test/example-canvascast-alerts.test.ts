import { describe, expect, it } from 'vitest';
import { exampleAlertSuite } from './helpers/example-alerts';
import { SeedAlert, example, exampleObjects, exprWithRecords, renderedRules } from './helpers/examples';
import { configDoc } from './helpers/synth';

/** CanvasCast (seed 003, section 9, `alerts.yml`): the four rules, copied from the seed. */
const SEED_ALERTS: SeedAlert[] = [
  { alert: 'HighErrorRate', severity: 'critical', threshold: '> 0.1', for: '5m', reads: ['http_requests_total', 'status=~"5.."'] },
  { alert: 'QueueBacklog', severity: 'warning', threshold: '> 100', for: '10m', reads: ['job_queue_depth'] },
  // Expression fixed: the seed applies rate() to the jobs_by_status gauge.
  { alert: 'HighJobFailureRate', severity: 'critical', threshold: '> 0.1', for: '15m', reads: ['deriv(jobs_by_status{', 'status="FAILED"}[1h])'] },
  // Expression fixed: the seed takes histogram_quantile over the histogram's base name, without rate().
  { alert: 'SlowResponses', severity: 'warning', threshold: '> 5', for: '5m', reads: ['histogram_quantile(0.95', 'rate(http_request_duration_seconds_bucket'] },
];

/** The CanvasCast routing preset: critical → PagerDuty and Slack; everything else → Slack. */
function receivers(labels: Readonly<Record<string, string>>): string[] {
  if (labels.alertname === 'Watchdog') return ['heartbeat'];
  return labels.severity === 'critical' ? ['pagerduty', 'slack'] : ['slack'];
}

exampleAlertSuite({ example: example('canvascast'), seedAlerts: SEED_ALERTS, receivers });

describe('canvascast: configuration from the seed', () => {
  const objects = exampleObjects(example('canvascast'));
  const rules = renderedRules(objects);

  it('no longer reads a gauge with rate() or a histogram without its buckets', () => {
    for (const r of rules.filter((x) => x.alert)) {
      const full = exprWithRecords(r, rules);
      expect(full, r.alert).not.toMatch(/rate\(jobs_by_status/);
      expect(full, r.alert).not.toMatch(/histogram_quantile\([^,]+,\s*http_request_duration_seconds\s*\)/);
    }
  });

  it('runs the OpenTelemetry Collector in front, tail-sampling 10% of ordinary traces', () => {
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'otel-collector')).toBe(true);
    const collector = configDoc(objects, 'otel-collector-config', 'relay.yaml');
    expect(collector.service.pipelines.traces.processors).toContain('tail_sampling');
    const policies = collector.processors.tail_sampling.policies;
    expect(policies.find((p: { name: string }) => p.name === 'baseline').probabilistic.sampling_percentage).toBe(10);
    expect(policies.find((p: { name: string }) => p.name === 'slow').latency.threshold_ms).toBe(5000);
  });

  it('provisions the three dashboards the seed lists', () => {
    for (const uid of ['canvascast-system-overview', 'canvascast-pipeline-performance', 'canvascast-business-metrics']) {
      expect(objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === `grafana-dashboard-${uid}`), uid).toBe(true);
    }
  });
});
