import { SEED_ROUTING } from '../../../alerts/routing-presets';
import { httpRulePack } from '../../../alerts/packs/http';
import type { VigilStackProps } from '../../../charts/vigil-stack';
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

/** The stack the end-to-end run exercises. */
export const E2E_EXAMPLE: E2eExample = {
  name: 'canvascast',
  props: () => ({
    config: {
      scrapeTargets: [{ name: 'canvascast-api', namespace: 'canvascast', selector: { app: 'canvascast-api' }, port: 'http' }],
      healthChecks: [{ name: 'canvascast-api-ready', url: 'http://canvascast-api.canvascast.svc:3000/health/ready' }],
      postgres: [{ name: 'canvascast-db', host: 'postgres.canvascast.svc', database: 'canvascast', username: { name: 'canvascast-db', key: 'username' }, password: { name: 'canvascast-db', key: 'password' } }],
      redis: [{ name: 'canvascast-redis', address: 'redis://redis.canvascast.svc:6379' }],
      alertmanager: { routing: SEED_ROUTING.canvascast() },
    },
    rulePacks: [httpRulePack({ app: 'canvascast', jobSelector: 'job="canvascast-api"', statusLabel: 'status_code', routeLabel: 'route', alertNames: { HighErrorRatio: 'HighErrorRate', HighErrorRate: 'HighErrorCount', HighLatency: 'SlowResponses' } })],
  }),
  appJobs: ['canvascast-api'],
  demoApp: { statusLabel: 'status_code', routeLabel: 'route' },
  alerts: { databaseDown: 'PostgresDown', healthCheck: 'HealthCheckFailing', errorRatio: 'HighErrorRate', latency: 'SlowResponses' },
  receivers: {
    page: '/pagerduty/pagerduty',
    chat: '/secret/alertmanager-canvascast/slack-webhook-url',
  },
};
