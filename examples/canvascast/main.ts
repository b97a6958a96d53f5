import { App } from 'cdk8s';
import { synthSafely, VigilStack, VigilStackProps } from '../../index';
import { API_JOB, WORKER_JOB, canvasCastRulePacks } from './alerts';
import { canvasCastDashboards } from './dashboards';
import { canvascastRouting } from './routing';

/**
 * CanvasCast (seed 003): a paid video-generation service — a web frontend, an Express API and a
 * pipeline worker on a BullMQ queue, with PostgreSQL (Supabase) and Redis. The seed puts an
 * OpenTelemetry Collector in front of its telemetry, pages through PagerDuty and chats in Slack, and
 * wants three dashboards: System Overview, Pipeline Performance and Business Metrics.
 *
 *     CDK8S_OUTDIR=dist.canvascast npx tsx examples/canvascast/main.ts
 */

/** Namespace CanvasCast runs in. */
const NS = 'canvascast';

/** What the example passes to {@link VigilStack}: the configuration, CanvasCast's rule packs and dashboards. */
export function stackProps(): VigilStackProps {
  return {
    config: {
      // Paying users and a pager: two Prometheus replicas, three Alertmanagers, replicas spread over nodes.
      profile: 'production',
      scrapeTargets: [
        // prom-client registries (`GET /metrics`, seed section 5): the API's http_* and business counters,
        // the worker's job_*, pipeline_step_* and queue gauges.
        { name: API_JOB, namespace: NS, selector: { 'app.kubernetes.io/name': 'canvascast', 'app.kubernetes.io/component': 'api' }, port: 'http' },
        { name: WORKER_JOB, namespace: NS, selector: { 'app.kubernetes.io/name': 'canvascast', 'app.kubernetes.io/component': 'worker' }, port: 'metrics' },
      ],
      healthChecks: [
        // Seed section 8: the API's liveness (`/health`) and readiness (`/ready`: database, Redis,
        // storage; 503 when one fails), and the worker's `/health`.
        { name: 'canvascast-api-live', url: `http://canvascast-api.${NS}.svc:3000/health`, labels: { service: 'api' } },
        { name: 'canvascast-api-ready', url: `http://canvascast-api.${NS}.svc:3000/ready`, expectedStatus: [200], labels: { service: 'api' } },
        { name: 'canvascast-worker-live', url: `http://canvascast-worker.${NS}.svc:8080/health`, labels: { service: 'worker' } },
      ],
      postgres: [{
        // Supabase's PostgreSQL, self-hosted next to the app. For supabase.com, use the project's
        // `db.<project>.supabase.co` with sslMode 'require'.
        name: 'canvascast-db', host: `supabase-db.${NS}.svc`, database: 'postgres',
        username: { name: 'canvascast-db-monitor', key: 'username' },
        password: { name: 'canvascast-db-monitor', key: 'password' },
      }],
      // BullMQ's Redis (the video queue).
      redis: [{ name: 'canvascast-redis', address: `redis://redis.${NS}.svc:6379`, password: { name: 'canvascast-redis', key: 'password' } }],
      // The seed's collector in front (section 3): the frontend, API and worker send OTLP to
      // otel-collector.monitoring.svc:4317/4318; it forwards traces to Jaeger and logs to Loki.
      otelCollector: {
        enabled: true,
        // Keep every trace with an error or slower than the seed's "slow response" (5s), and 10% of the
        // rest (the seed samples 10% of traces: `tracesSampleRate: 0.1`).
        sampling: { mode: 'tail', percentage: 10, slowerThan: '5s' },
      },
      alertmanager: {
        // Critical → PagerDuty and Slack #alerts; warning and info → Slack, as "[severity] summary".
        routing: canvascastRouting(),
      },
    },
    rulePacks: canvasCastRulePacks(),
    dashboards: canvasCastDashboards({ selector: `job=~"${API_JOB}|${WORKER_JOB}"` }),
  };
}

/** The CanvasCast app: the stack configured for CanvasCast. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new VigilStack(app, 'vigil', stackProps());
  return app;
}

if (require.main === module) process.exitCode = synthSafely(buildApp, process.env.CDK8S_OUTDIR ?? 'dist.canvascast');
