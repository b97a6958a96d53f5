import { App } from 'cdk8s';
import { availabilitySlo, latencySlo, synthSafely, VigilStack, VigilStackProps } from '../../index';
import { BACKEND_JOB, FRONTEND_JOB, mediaNestLogRulePack, mediaNestRulePacks } from './alerts';
import { mediaNestDashboards } from './dashboards';
import { medianestRouting } from './routing';

/**
 * MediaNest (seeds 001 and 002): a media portal in front of Plex and Overseerr (Express + Socket.IO
 * backend, Next.js frontend, PostgreSQL, Redis, BullMQ). Seed 001 is its monitoring guide (dashboards,
 * alert categories and thresholds, notification channels, retention); seed 002 its observability
 * architecture (metric names, log categories and their retention, tracing, critical/warning/business
 * alerts, the 99.9% availability and p95 < 500 ms objectives). Both become one stack on the
 * `production` profile.
 *
 *     CDK8S_OUTDIR=dist.medianest npx tsx examples/medianest/main.ts
 */

/** Namespace MediaNest runs in. */
const NS = 'medianest';

/** What the example passes to {@link VigilStack}: the configuration, MediaNest's rule packs and dashboards. */
export function stackProps(): VigilStackProps {
  const routing = medianestRouting();
  return {
    config: {
      // A 99.9% availability SLA and a 24/7 escalation level: replicated Prometheus and Alertmanager.
      profile: 'production',
      prometheus: {
        externalLabels: { cluster: 'medianest' },
        // 001, "Data Retention": metrics 15 days locally, 90 days in remote storage. The 90 days are the
        // remote store's retention (Mimir's `compactor_blocks_retention_period: 90d`).
        retentionTime: '15d',
        remoteWrite: [{
          name: 'long-term',
          url: 'http://mimir-nginx.mimir.svc/api/v1/push',
          basicAuth: { username: 'medianest', password: { name: 'mimir-credentials', key: 'password' } },
          headers: { 'X-Scope-OrgID': 'medianest' },
        }],
      },
      scrapeTargets: [
        // 002's backend metrics (http_* with `endpoint`/`status_code`, plex_api_*, media_requests_total,
        // background_jobs_total, database_*, nodejs_*, ...).
        { name: BACKEND_JOB, namespace: NS, selector: { 'app.kubernetes.io/name': 'medianest', 'app.kubernetes.io/component': 'backend' }, port: 'http' },
        // The Next.js server's registry (the web vitals and page loads browsers report to it).
        { name: FRONTEND_JOB, namespace: NS, selector: { 'app.kubernetes.io/name': 'medianest', 'app.kubernetes.io/component': 'frontend' }, port: 'http', path: '/api/metrics' },
      ],
      healthChecks: [
        // 001 "Service Down: health check failures" (HealthCheckFailing, critical after 2 minutes).
        { name: 'medianest-backend', url: `http://medianest-backend.${NS}.svc:4000/api/v1/health`, expectedStatus: [200], labels: { service: 'backend' } },
        { name: 'medianest-frontend', url: `http://medianest-frontend.${NS}.svc:3000/`, labels: { service: 'frontend' } },
      ],
      postgres: [{
        name: 'medianest-db', host: `postgres.${NS}.svc`, database: 'medianest',
        username: { name: 'medianest-db-monitor', key: 'username' },
        password: { name: 'medianest-db-monitor', key: 'password' },
      }],
      redis: [{ name: 'medianest-redis', address: `redis://redis.${NS}.svc:6379`, password: { name: 'medianest-redis', key: 'password' } }],
      alerting: {
        // 002, "Success Metrics": 99.9% availability and P95 API response time < 500 ms, each with
        // burn-rate alerts (page / ticket) and a dashboard.
        slos: [
          availabilitySlo({ name: 'medianest-availability', selector: `job="${BACKEND_JOB}"`, errorSelector: 'status_code=~"5.."', objective: 99.9 }),
          latencySlo({ name: 'medianest-latency', selector: `job="${BACKEND_JOB}"`, objective: 95, thresholdSeconds: 0.5 }),
        ],
        overrides: {
          // 001's infrastructure thresholds replace the shipped ones (examples/medianest/alerts.ts):
          // HighCpuUsage (80%, 5m), HighMemoryUsage (85%, 3m), DiskSpaceCritical (> 90% used).
          NodeHighCpuUsage: { enabled: false },
          NodeHighMemoryUsage: { enabled: false },
          NodeFilesystemSpaceLow: { enabled: false },
          // 002: "Security Events: failed authentication attempts > threshold" is a critical alert.
          LogAuthenticationFailures: { severity: 'critical' },
        },
      },
      loki: {
        // 001: logs 7 days locally, 30 days compressed; 002's policy per category. Application logs 30
        // days; the other categories by their stream or level (the highest priority wins).
        retention: '30d',
        streamRetention: [
          { selector: '{stream="security"}', period: '1y', priority: 3 },
          { selector: '{level=~"error|fatal"}', period: '90d', priority: 2 },
          { selector: '{level="debug"}', period: '7d', priority: 1 },
          { selector: '{level="trace"}', period: '24h', priority: 1 },
        ],
      },
      logs: {
        // 002: "Log Sanitization: remove PII from logs automatically". Passwords, tokens and cookies are
        // redacted by default; e-mail addresses too. (IP addresses are not matched by field name: "ip"
        // would also catch "description" or "pipeline".)
        redactFields: ['email'],
      },
      grafana: {
        // 001: "Grafana Authentication: LDAP/OAuth integration", reached at https://grafana.<domain>.
        rootUrl: 'https://grafana.example.com/',
        ingress: { host: 'grafana.example.com', className: 'nginx', tlsSecretName: 'grafana-tls', controllerNamespace: 'ingress-nginx' },
        oauth: {
          name: 'SSO', clientId: 'grafana', clientSecret: { name: 'grafana-oauth', key: 'client-secret' },
          authUrl: 'https://auth.example.com/application/o/authorize/',
          tokenUrl: 'https://auth.example.com/application/o/token/',
          apiUrl: 'https://auth.example.com/application/o/userinfo/',
          scopes: 'openid profile email',
          roleAttributePath: "contains(groups[*], 'medianest-admins') && 'Admin' || 'Viewer'",
        },
      },
      alertmanager: {
        // Critical → PagerDuty, Slack #critical-alerts, the on-call's mail and the incident webhook;
        // warning → Slack #alerts and an hourly mail digest; business (category="business") → #operations.
        routing,
      },
    },
    rulePacks: mediaNestRulePacks(),
    logRulePacks: [mediaNestLogRulePack()],
    dashboards: mediaNestDashboards({ selector: `job="${BACKEND_JOB}"`, logMatchers: `namespace="${NS}"` }),
  };
}

/** The MediaNest app: the stack configured for MediaNest. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new VigilStack(app, 'vigil', stackProps());
  return app;
}

if (require.main === module) process.exitCode = synthSafely(buildApp, process.env.CDK8S_OUTDIR ?? 'dist.medianest');
