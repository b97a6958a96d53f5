import { App } from 'cdk8s';
import { synthSafely, VigilStack, VigilStackProps } from '../../index';
import { BARBOSSA_DATABASE, BARBOSSA_JOB, CELERY_JOB, barbossaRulePacks } from './alerts';
import { barbossaDashboards } from './dashboards';
import { barbossaRouting } from './routing';

/**
 * Barbossa (seed 004): a music library manager (FastAPI, Celery workers, PostgreSQL, Redis) on a home
 * server. The seed's docker-compose stack (Prometheus, Alertmanager, Grafana, exporters, and an ELK
 * stack for logs) becomes Vigil on Kubernetes: the same scrape jobs and intervals, 30 days of metrics,
 * the five alert rules, the "Barbossa Overview" dashboard, its alertmanager.yml (email to the admin,
 * critical alerts also to Slack), and Loki with the node log agent instead of Filebeat and Elasticsearch.
 *
 *     CDK8S_OUTDIR=dist.barbossa npx tsx examples/barbossa/main.ts
 */

/** Namespace Barbossa runs in. */
const NS = 'barbossa';
/** In-cluster address of the FastAPI Service (the seed's `barbossa:8080`). */
const API = `http://barbossa.${NS}.svc:8080`;

/** What the example passes to {@link VigilStack}: the configuration, Barbossa's rule packs and dashboard. */
export function stackProps(): VigilStackProps {
  return {
    config: {
      profile: 'homelab',
      // The seed's prometheus.yml: 15s scrape and evaluation intervals, 30 days of retention.
      prometheus: { scrapeInterval: '15s', evaluationInterval: '15s', retentionTime: '30d' },
      scrapeTargets: [
        // The seed's job names: `barbossa` (FastAPI /metrics on 8080) and `celery` (the worker's exporter on 9808).
        { name: BARBOSSA_JOB, namespace: NS, selector: { 'app.kubernetes.io/name': 'barbossa', 'app.kubernetes.io/component': 'api' }, port: 8080, path: '/metrics' },
        { name: CELERY_JOB, namespace: NS, selector: { 'app.kubernetes.io/name': 'barbossa', 'app.kubernetes.io/component': 'worker' }, port: 9808 },
      ],
      healthChecks: [
        // The Kubernetes probes the seed defines. `/health` is not probed: it answers 200 with
        // `"status": "unhealthy"` in the body, so a probe could not tell.
        { name: 'barbossa-live', url: `${API}/health/live`, labels: { service: 'barbossa' } },
        { name: 'barbossa-ready', url: `${API}/health/ready`, expectedStatus: [200], labels: { service: 'barbossa' } },
      ],
      postgres: [{
        // The seed's exporter connects as the app user with the password inline in its DSN; here a
        // monitoring role (`GRANT pg_monitor TO monitor;`) whose credentials come from a Secret.
        name: BARBOSSA_DATABASE, host: `db.${NS}.svc`, database: 'barbossa', sslMode: 'disable',
        username: { name: 'barbossa-db-monitor', key: 'username' },
        password: { name: 'barbossa-db-monitor', key: 'password' },
      }],
      // The seed's Redis has no password (REDIS_ADDR=redis://redis:6379).
      redis: [{ name: 'barbossa-redis', address: `redis://redis.${NS}.svc:6379` }],
      alerting: {
        overrides: {
          // The seed's DatabaseConnectionFailure (examples/barbossa/alerts.ts) covers the same condition.
          PostgresDown: { enabled: false },
        },
      },
      alertmanager: {
        // The seed's alertmanager.yml: grouped by alertname and severity, repeated every 12h; everything
        // to the admin's mailbox, critical alerts also to Slack #alerts.
        routing: barbossaRouting(),
      },
    },
    rulePacks: barbossaRulePacks(),
    dashboards: barbossaDashboards({ selector: `job="${BARBOSSA_JOB}"` }),
  };
}

/** The Barbossa app: the stack configured for Barbossa. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new VigilStack(app, 'vigil', stackProps());
  return app;
}

if (require.main === module) process.exitCode = synthSafely(buildApp, process.env.CDK8S_OUTDIR ?? 'dist.barbossa');
