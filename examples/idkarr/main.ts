import { App } from 'cdk8s';
import { synthSafely, VigilStack, VigilStackProps } from '../../index';
import { IDKARR_JOB, idkarrRulePacks } from './alerts';
import { idkarrDashboards } from './dashboards';
import { idkarrRouting } from './routing';

/**
 * idkarr (seed 000): a media manager (Hono on Bun, PostgreSQL, Redis, BullMQ queues for downloads,
 * imports and RSS) on a home server. Vigil scrapes its `/metrics`, probes `/health/live` and
 * `/health/ready`, watches its PostgreSQL and Redis through exporters, evaluates the seed's nine alert
 * rules, provisions its "idkarr Overview" dashboard and routes alerts to Discord, Slack, email and a
 * webhook by severity.
 *
 *     CDK8S_OUTDIR=dist.idkarr npx tsx examples/idkarr/main.ts
 */

/** Namespace idkarr runs in. */
const NS = 'idkarr';
/** In-cluster address of idkarr's backend Service. */
const API = `http://idkarr-api.${NS}.svc:3000`;

/** What the example passes to {@link VigilStack}: the configuration, idkarr's rule packs and dashboards. */
export function stackProps(): VigilStackProps {
  return {
    config: {
      // One home server: the homelab profile (one replica of everything, small requests).
      profile: 'homelab',
      scrapeTargets: [
        // `GET /metrics` of the backend (prom-client registry: http_*, db_*, queue_*, downloads_*, ...).
        { name: IDKARR_JOB, namespace: NS, selector: { 'app.kubernetes.io/name': 'idkarr', 'app.kubernetes.io/component': 'api' }, port: 'http' },
      ],
      healthChecks: [
        // Liveness and readiness (database + Redis). The detailed `/health` is not probed: it answers 503
        // when one indexer or download client fails, which DownloadClientDown and IndexerDown already
        // report as warnings after their own `for`.
        { name: 'idkarr-live', url: `${API}/health/live`, labels: { service: 'idkarr' } },
        { name: 'idkarr-ready', url: `${API}/health/ready`, expectedStatus: [200], labels: { service: 'idkarr' } },
      ],
      postgres: [{
        name: 'idkarr-db', host: `postgres.${NS}.svc`, database: 'idkarr',
        // A role with `GRANT pg_monitor TO monitor;`, from a Secret you create (README, "Secrets").
        username: { name: 'idkarr-db-monitor', key: 'username' },
        password: { name: 'idkarr-db-monitor', key: 'password' },
      }],
      redis: [{ name: 'idkarr-redis', address: `redis://redis.${NS}.svc:6379`, password: { name: 'idkarr-redis', key: 'password' } }],
      alerting: {
        overrides: {
          // The seed's LowDiskSpace (examples/idkarr/alerts.ts) is the same condition under the seed's name.
          NodeFilesystemSpaceLow: { enabled: false },
        },
      },
      alertmanager: {
        // Discord always, Slack from warning up, email and the webhook for critical alerts.
        routing: idkarrRouting(),
      },
    },
    rulePacks: idkarrRulePacks(),
    dashboards: idkarrDashboards({ selector: `job="${IDKARR_JOB}"` }),
  };
}

/** The idkarr app: the stack configured for idkarr. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new VigilStack(app, 'vigil', stackProps());
  return app;
}

if (require.main === module) process.exitCode = synthSafely(buildApp, process.env.CDK8S_OUTDIR ?? 'dist.idkarr');
