import type { RoutingConfigInput } from '../../../alerts/routing/alertmanager-config';
import type { VigilStackProps } from '../../../charts/vigil-stack';
import { StackConfigInput } from '../../../charts/config';

/** How fast the end-to-end run evaluates and notifies. */
export interface FastOptions {
  /** Alerts whose `for` becomes {@link FastOptions.for}. */
  readonly alerts: readonly string[];
  /** @default '5s' */
  readonly for?: string;
  /** Base URL of the local sinks; PagerDuty's Events API URL points there. */
  readonly sinkUrl: string;
}

/**
 * An example's stack, made fast for a test run through its typed configuration only: scrape and
 * evaluation every second or two, health checks every two, the exercised alerts' `for` shortened with
 * overrides, and every route's grouping timers shortened. Expressions, thresholds, labels, routes and
 * receivers stay as the example declares them.
 */
export function fastProps(props: VigilStackProps, o: FastOptions): VigilStackProps {
  const c: StackConfigInput = props.config ?? {};
  const overrides = { ...(c.alerting?.overrides ?? {}) };
  for (const name of o.alerts) overrides[name] = { ...(overrides[name] ?? {}), for: o.for ?? '5s' };
  return {
    ...props,
    config: {
      ...c,
      // postgres-exporter takes about a second to report a refused connection: leave it two.
      prometheus: { ...c.prometheus, scrapeInterval: '2s', scrapeTimeout: '2s', evaluationInterval: '1s' },
      healthChecks: (c.healthChecks ?? []).map((h) => ({ ...h, interval: '2s', timeout: '1s' })),
      alerting: { ...c.alerting, overrides },
      alertmanager: { ...c.alertmanager, routing: fastRouting(c.alertmanager?.routing ?? {}, o.sinkUrl) },
    },
  };
}

type RouteLike = { groupWait?: string; groupInterval?: string; repeatInterval?: string; routes?: RouteLike[] };

function fastRoute<T extends RouteLike>(r: T): T {
  return { ...r, groupWait: '1s', groupInterval: '1s', repeatInterval: '1h', ...(r.routes ? { routes: r.routes.map(fastRoute) } : {}) };
}

function fastRouting(r: RoutingConfigInput, sinkUrl: string): RoutingConfigInput {
  const input = r as RoutingConfigInput & { route?: RouteLike; receivers?: Array<{ name: string; pagerduty?: Array<Record<string, unknown>> }>; heartbeat?: Record<string, unknown> };
  return {
    ...input,
    route: fastRoute(input.route ?? {}),
    // PagerDuty's Events API URL is configuration, not a secret: point it at the local sink.
    receivers: input.receivers?.map((rc) => (rc.pagerduty ? { ...rc, pagerduty: rc.pagerduty.map((p) => ({ ...p, url: `${sinkUrl}/pagerduty/${rc.name}` })) } : rc)),
    heartbeat: { ...input.heartbeat, groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' },
  } as RoutingConfigInput;
}
