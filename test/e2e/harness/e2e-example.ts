import type { VigilStackProps } from '../../../charts/vigil-stack';
import { API_JOB, WORKER_JOB } from '../../../examples/canvascast/alerts';
import { stackProps } from '../../../examples/canvascast/main';
import type { DemoAppOptions } from './demo-app';

/** What the end-to-end run needs to know about the example it runs. */
export interface E2eExample {
  readonly name: string;
  /** The example's stack, exactly as its main.ts builds it. */
  readonly props: () => VigilStackProps;
  /** Typed scrape targets the demo app stands in for. */
  readonly appJobs: readonly string[];
  /** How the demo app names its metrics, as the example's app does. */
  readonly demoApp: DemoAppOptions;
  /** The example's alerts each fault must raise. */
  readonly alerts: { readonly databaseDown: string; readonly healthCheck: string; readonly errorRatio: string; readonly latency: string };
  /** Sink paths of the receivers: the Secret-held webhook URL or the PagerDuty URL of each. */
  readonly receivers: { readonly page: string; readonly chat: string };
}

/**
 * CanvasCast (seed 003): PagerDuty and Slack, PostgreSQL and Redis, an API with health checks. Its
 * routing needs nothing newer than Debian's Alertmanager 0.25, so it runs unchanged.
 */
export const E2E_EXAMPLE: E2eExample = {
  name: 'canvascast',
  props: stackProps,
  appJobs: [API_JOB, WORKER_JOB],
  // The API's prom-client metrics: http_requests_total{method, route, status}.
  demoApp: { statusLabel: 'status', routeLabel: 'route' },
  // The seed's names: HighErrorRate (critical, error rate) and SlowResponses (warning, p95 > 5s).
  alerts: { databaseDown: 'PostgresDown', healthCheck: 'HealthCheckFailing', errorRatio: 'HighErrorRate', latency: 'SlowResponses' },
  receivers: {
    page: '/pagerduty/pagerduty',
    chat: '/secret/alertmanager-canvascast/slack-webhook-url',
  },
};
