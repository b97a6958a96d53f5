import type { VigilStackProps } from '../../../charts/vigil-stack';
import { API_JOB, WORKER_JOB } from '../../../examples/canvascast/alerts';
import { stackProps } from '../../../examples/canvascast/main';
import type { DemoAppOptions } from './demo-app';

/** What the end-to-end run needs to know about the example it runs. */
export interface E2eExample {
  readonly name: string;
  /** The example's stack, exactly as its main.ts builds it. */
  readonly props: () => VigilStackProps;
  /**
   * The MySQL server the run adds with {@link withMysql} when MariaDB is installed: its name is the
   * `database` label of its series and alerts.
   */
  readonly mysql: { readonly name: string; readonly host: string };
  /** Typed scrape targets the demo app stands in for. */
  readonly appJobs: readonly string[];
  /** How the demo app names its metrics, as the example's app does. */
  readonly demoApp: DemoAppOptions;
  /** The example's alerts each fault must raise. */
  readonly alerts: { readonly databaseDown: string; readonly mysqlDown: string; readonly healthCheck: string; readonly errorRatio: string; readonly latency: string };
  /** Sink paths of the receivers: the Secret-held webhook URL or the PagerDuty URL of each. */
  readonly receivers: { readonly page: string; readonly chat: string };
}

/**
 * The example's props with one MySQL/MariaDB server added beside its own databases. No seed example
 * runs MySQL, so the run declares one the way a user would (credentials from a Secret), and the
 * example's main.ts and its output stay as they are.
 */
export function withMysql(props: VigilStackProps, server: E2eExample['mysql']): VigilStackProps {
  const c = props.config ?? {};
  return {
    ...props,
    config: {
      ...c,
      mysql: [...(c.mysql ?? []), {
        name: server.name, host: server.host, port: 3306,
        username: { name: `${server.name}-monitor`, key: 'username' },
        password: { name: `${server.name}-monitor`, key: 'password' },
      }],
    },
  };
}

/**
 * CanvasCast (seed 003): PagerDuty and Slack, PostgreSQL and Redis, an API with health checks (and,
 * added by the run, a MariaDB server). Its routing needs nothing newer than Debian's Alertmanager
 * 0.25, so it runs unchanged.
 */
export const E2E_EXAMPLE: E2eExample = {
  name: 'canvascast',
  props: stackProps,
  mysql: { name: 'canvascast-mysql', host: 'mariadb.canvascast.svc' },
  appJobs: [API_JOB, WORKER_JOB],
  // The API's prom-client metrics: http_requests_total{method, route, status}.
  demoApp: { statusLabel: 'status', routeLabel: 'route' },
  // The seed's names: HighErrorRate (critical, error rate) and SlowResponses (warning, p95 > 5s).
  // MysqlDown (critical) comes with the `mysql` server the run adds.
  alerts: { databaseDown: 'PostgresDown', mysqlDown: 'MysqlDown', healthCheck: 'HealthCheckFailing', errorRatio: 'HighErrorRate', latency: 'SlowResponses' },
  receivers: {
    page: '/pagerduty/pagerduty',
    chat: '/secret/alertmanager-canvascast/slack-webhook-url',
  },
};
