import { z } from 'zod';
import { RoutingConfigSchema } from '../alerts/routing/alertmanager-config';
import { secretLikeReason } from '../alerts/routing/receivers';
import { durationSeconds, isPromDuration } from '../lib/duration';
import { alertOverridesSchema } from '../alerts/overrides';
import { DEFAULT_RUNBOOK_BASE_URL } from '../alerts/render-rules';
import { sloDefinitionSchema } from '../alerts/slo';
import { bytesOf, dnsLabel, httpUrl, uniqueNames, labelName, promBytes, promDuration, quantity, resources, secretKeyRef } from '../lib/validators';
import { jaegerSchema, logsSchema, lokiSchema, otelCollectorSchema, refineLogsAndTraces } from './config-logs';
import { grafanaSchema, refineGrafana } from './config-grafana';
import { mysqlInstancesSchema } from './mysqld-exporter';
import { postgresInstancesSchema } from './postgres-exporter';
import { redisInstancesSchema } from './redis-exporter';
import { prometheusSeriesSettings, scrapeTargetLimitsSchema } from './prometheus-limits';

/**
 * The one typed configuration of a Vigil stack.
 *
 * Every field has a default (the `homelab` profile); `charts/profiles.ts` holds the only other set of
 * defaults, the `production` profile, applied underneath what the user writes. The option
 * table is generated from the `.describe()` texts here (`npm run docs:config`), and a test keeps it in
 * sync.
 */

export const res = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });

/**
 * Why a URL that is written into the generated configuration (and, for a health check, into the
 * `instance` label of its alerts) carries a credential, or undefined: user information
 * (`user:password@`, `token@`), or what the secret patterns recognise (a password or token in the
 * query string, a webhook URL). The message never repeats the value.
 */
export function urlCredentialReason(url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]*@/i.test(url)) return 'user information (user:password@ or token@)';
  return secretLikeReason(url);
}

/** A URL written into links (alerts, notifications, runbooks): never with a credential in it. */
const linkUrl = httpUrl.refine((u) => !urlCredentialReason(u), {
  message: 'holds a credential (a user, password or token in the URL), which would be written into the generated configuration and every alert link: remove it',
});

/** Header names that carry a credential by their name: none of them may be written into `dist/`. */
export const CREDENTIAL_HEADER = /auth|token|secret|passw|api[-_]?key|cookie|session|credential|signature/i;

/** A Kubernetes quantity of at least one byte (a volume of size `0` is refused by the API server). */
const volumeSize = quantity.refine((q) => !/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.test(q) || (/m$/.test(q) ? Number(q.slice(0, -1)) / 1000 : bytesOf(q)) >= 1, {
  message: 'expected a size above zero, e.g. "10Gi"',
});

export const storageSchema = (size: string) => z.strictObject({
  size: volumeSize.default(size).describe('Size of the PersistentVolumeClaim.'),
  storageClassName: z.string().optional().describe('StorageClass of the claim; unset uses the cluster default.'),
}).prefault({});

/**
 * Headers Prometheus sets itself on remote-write requests and refuses in `headers` ("<header> is a
 * reserved header. It must not be changed"): `reservedHeaders` in config/config.go at v3.14.0, compared
 * in lower case. `authorization` is refused there too, and here with its own message.
 */
export const REMOTE_WRITE_RESERVED_HEADERS: readonly string[] = [
  'host', 'content-encoding', 'content-length', 'content-type', 'user-agent', 'connection', 'keep-alive',
  'proxy-authenticate', 'proxy-authorization', 'www-authenticate', 'accept-encoding',
  'x-prometheus-remote-write-version', 'x-prometheus-remote-read-version',
  // Added by SigV4.
  'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256',
];

export const remoteWriteSchema = z.strictObject({
  name: dnsLabel.describe('Name of the remote-write queue (shows up in Prometheus metrics).'),
  url: httpUrl.refine((u) => !urlCredentialReason(u), {
    message: 'holds a credential (a user, password or token in the URL), which would be written into the generated configuration: put it in a Secret and use basicAuth or bearerToken',
  }).describe('Remote-write endpoint, e.g. `http://mimir-nginx.mimir.svc/api/v1/push`; no credentials in it (use `basicAuth` or `bearerToken`).'),
  basicAuth: z.strictObject({
    username: z.string().min(1).describe('User name (not a secret; Prometheus 2.x cannot read it from a file).'),
    password: secretKeyRef.describe('Secret key holding the password.'),
  }).optional().describe('Basic auth; the password is read from a Secret.'),
  bearerToken: secretKeyRef.optional().describe('Secret key holding a bearer token.'),
  headers: z.record(z.string(), z.string()).default({}).describe('Extra HTTP headers, e.g. `X-Scope-OrgID` for a multi-tenant Mimir. Not for secrets.'),
});

/**
 * A container port name (IANA_SVC_NAME, `IsValidPortName` in k8s.io/apimachinery
 * pkg/util/validation/validation.go at v0.37.2): at most 15 characters, lower-case letters, digits and
 * "-", at least one letter, no "--", no "-" at either end. A number written as a string (`'8080'`) is
 * not a name: it would be compared with port names and never match.
 */
export const portName = z.string()
  .refine((p) => !/^\d+$/.test(p), { message: 'is a number written as a string: write it as a number (8080, not "8080"); a string is matched against the port\'s name' })
  .refine((p) => /^\d+$/.test(p) || (p.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(p) && /[a-z]/.test(p) && !p.includes('--')), {
    message: 'expected a port name as Kubernetes allows it: at most 15 lower-case letters, digits and "-", with at least one letter, e.g. "metrics"',
  });

/** A metrics path: absolute, no query string or fragment (Prometheus would escape "?" into the path). */
const metricsPath = z.string()
  .startsWith('/', 'expected an absolute path such as "/metrics"')
  .refine((p) => !/[?#\s]/.test(p), { message: 'expected a path without a query string, fragment or space: Prometheus escapes "?" into the path (/metrics%3F...), so the target answers 404' });

/**
 * A label name a user may add to a job's series: a Prometheus label name, not `__`-prefixed (internal
 * labels are dropped after relabelling), and none the job sets itself.
 */
function userLabelName(reserved: readonly string[], why: string) {
  return labelName
    .refine((l) => !l.startsWith('__'), { message: 'starts with "__", which Prometheus reserves for internal labels (dropped after relabelling)' })
    .refine((l) => !reserved.includes(l), { message: `is a label the job sets itself (${reserved.join(', ')}): ${why}; choose another name` });
}

/** Labels a typed scrape target's job sets on every series (scrape-jobs.ts TARGET_LABELS, plus job and instance). */
const SCRAPE_TARGET_LABELS = ['job', 'instance', 'namespace', 'service', 'pod', 'node'];
/** Labels a health check's probe job sets (scrape-jobs.ts renderProbeJob). */
const HEALTH_CHECK_LABELS = ['job', 'instance', 'check'];
/** Job names the health checks take: `health-check-<name>`. */
export const HEALTH_CHECK_JOB_PREFIX = 'health-check-';

export const scrapeTargetSchema = z.strictObject({
  name: dnsLabel.refine((n) => !n.startsWith(HEALTH_CHECK_JOB_PREFIX), { message: `starts with "${HEALTH_CHECK_JOB_PREFIX}", the prefix of the health checks' jobs (health-check-<name>); choose another name` }).describe('Job name; also the `job` label of every series scraped from it. Not starting with `health-check-`, which the health checks\' jobs use.'),
  namespace: dnsLabel.describe('Namespace of the Service to scrape.'),
  selector: z.record(z.string(), z.string()).refine((m) => Object.keys(m).length > 0, 'expected at least one label').describe('Labels of the Service(s) to scrape, e.g. `{ app: "idkarr" }`.'),
  port: z.union([z.number().int().min(1).max(65535), portName]).describe('Port to scrape on each pod behind the Service: the Service port\'s name (e.g. `"metrics"`), or the number the pods serve on (the Service\'s `targetPort`, which its EndpointSlices list; a Service port number that differs from it, such as 80 for 8080, matches nothing). `ScrapeTargetMissing` fires while the job has no target.'),
  path: metricsPath.default('/metrics').describe('Metrics path, without a query string.'),
  scheme: z.enum(['http', 'https']).default('http').describe('Scheme.'),
  interval: promDuration.optional().describe('Scrape interval; unset uses `prometheus.scrapeInterval`.'),
  labels: z.record(userLabelName(SCRAPE_TARGET_LABELS, 'the job sets it from the Service it discovers'), z.string()).default({}).describe('Extra labels added to every series of this job; not `job`, `instance`, `namespace`, `service`, `pod` or `node`, which the job sets.'),
  limits: scrapeTargetLimitsSchema.prefault({}).describe('This target\'s own limits; unset fields follow `prometheus.scrapeLimits`.'),
});

export const healthCheckSchema = z.strictObject({
  name: dnsLabel.describe('Name of the check; the `check` label of its `probe_success` series.'),
  url: httpUrl.refine((u) => !urlCredentialReason(u), {
    message: 'holds a credential (a user, password or token in the URL), which would be written into the generated configuration and the `instance` label of its alerts: probe an endpoint that needs no credential',
  }).describe('URL to probe, e.g. `http://idkarr-api.apps.svc:3000/health/ready`; no credentials in it (it is the `instance` label of the probe\'s series).'),
  expectedStatus: z.array(z.number().int().min(100).max(599)).default([]).describe('Status codes that count as healthy; empty means any 2xx.'),
  interval: promDuration.default('30s').describe('Probe interval.'),
  timeout: promDuration.default('5s').describe('Probe timeout (must be shorter than the interval).'),
  labels: z.record(userLabelName(HEALTH_CHECK_LABELS, 'the probe job sets it'), z.string()).default({}).describe('Extra labels on the probe\'s series, e.g. `{ service: "api" }`; not `job`, `instance` or `check`.'),
});

/** The section of a component that has nothing to set but whether it runs and its resources. */
export const componentSchema = (cpu: string, memory: string, limit: string) => z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy this component.'),
  resources: resources.default(res(cpu, memory, limit)).describe('Requests and memory limit.'),
}).prefault({});

/** The `prometheus` section; {@link Prometheus} applies it on its own too. */
export const prometheusSettingsSchema = z.strictObject({
  replicas: z.number().int().min(1).max(10).default(1).describe('Identical replicas, each scraping every target; Alertmanager deduplicates their alerts.'),
  scrapeInterval: promDuration.default('30s').describe('Default scrape interval.'),
  scrapeTimeout: promDuration.default('10s').describe('Default scrape timeout.'),
  evaluationInterval: promDuration.default('30s').describe('Rule evaluation interval.'),
  retentionTime: promDuration.default('15d').describe('Delete samples older than this.'),
  retentionSize: promBytes.default('8GB').describe('Delete the oldest blocks when the TSDB (blocks, WAL and head chunks) grows above this size; at most 80% of `storage.size`, which it follows when unset (10Gi gives 8GB).'),
  storage: storageSchema('10Gi').describe('Volume for the TSDB.'),
  externalLabels: z.record(labelName.refine((l) => l !== 'prometheus_replica', { message: 'is the label that tells replicas apart: with several replicas each sets it to its pod name, replacing yours; choose another name' }), z.string()).default({}).describe('Labels added to every series and alert leaving Prometheus, e.g. `{ cluster: "home" }`; not `prometheus_replica`, which replicas set. A `$` in a value is kept as written.'),
  externalUrl: linkUrl.optional().describe('URL users reach Prometheus at; used in alert links. A path in it (`https://ops.example.com/prometheus/`) only shapes links: Prometheus still serves at `/`, so the reverse proxy strips the path.'),
  remoteWrite: z.array(remoteWriteSchema).default([]).describe('Remote-write endpoints (Mimir, Thanos Receive, any Prometheus-compatible store).'),
  resources: resources.default(res('200m', '512Mi', '1536Mi')).describe('Requests and memory limit.'),
  ...prometheusSeriesSettings,
}).prefault({});

/** The `alertmanager` section; {@link Alertmanager} applies it on its own too. */
export const alertmanagerSettingsSchema = z.strictObject({
  replicas: z.number().int().min(1).max(7).default(1).describe('Replicas; more than one forms a gossip cluster (use an odd number).'),
  dataRetention: promDuration.default('120h').describe('How long silences and the notification log are kept.'),
  storage: storageSchema('1Gi').describe('Volume for silences and the notification log.'),
  externalUrl: linkUrl.optional().describe('URL users reach Alertmanager at; used in notification links. A path in it only shapes links: Alertmanager still serves at `/`, so the reverse proxy strips the path.'),
  resources: resources.default(res('20m', '64Mi', '128Mi')).describe('Requests and memory limit.'),
  routing: RoutingConfigSchema.prefault({}).describe('Receivers, route tree, inhibition and time intervals: see docs/routing.md.'),
}).prefault({});

/**
 * Namespaces the cluster itself uses: `default`, `kube-system`, `kube-public`, `kube-node-lease`
 * (NamespaceDefault and NamespaceNodeLease in k8s.io/api core/v1/types.go, NamespaceSystem and
 * NamespacePublic in k8s.io/apimachinery pkg/apis/meta/v1/types.go, v0.37.2), and the `kube-` prefix
 * Kubernetes reserves for its own. The
 * stack labels its namespaces with a Pod Security level and puts a default-deny NetworkPolicy in
 * them, which would apply to every pod already there.
 */
const CLUSTER_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const stackNamespace = dnsLabel.refine((n) => !CLUSTER_NAMESPACES.includes(n) && !n.startsWith('kube-'), {
  message: 'is a namespace the cluster itself uses (default, kube-system, kube-public, kube-node-lease, or the reserved kube- prefix): the stack labels its namespaces with a Pod Security level and denies ingress to every pod in them by default, which would break what runs there; use a namespace dedicated to the stack, e.g. "monitoring"',
});

export const StackConfigSchema = z.strictObject({
  profile: z.enum(['homelab', 'production']).default('homelab').describe('Preset of sizes and redundancy: `homelab` (one node) or `production` (replicated, spread, larger volumes).'),
  namespaces: z.strictObject({
    monitoring: stackNamespace.default('monitoring').describe('Namespace of the stack (Pod Security `restricted`), dedicated to it: its default-deny policy and Pod Security level apply to every pod in it.'),
    agents: stackNamespace.default('monitoring-agents').describe('Namespace of host agents such as node-exporter (Pod Security `privileged`: they read the host), dedicated to them.'),
  }).prefault({}),
  clusterDomain: z.string().regex(/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'expected a DNS domain such as "cluster.local": lower-case labels of letters, digits and "-" separated by dots, no leading or trailing dot').default('cluster.local').describe('DNS domain of the cluster, used in in-cluster addresses.'),
  imagePullPolicy: z.enum(['IfNotPresent', 'Always']).default('IfNotPresent').describe('Pull policy of every container (tags are pinned, so `IfNotPresent` is safe).'),
  spread: z.enum(['none', 'preferred', 'required']).default('none').describe('Spread replicas of one workload across nodes: `preferred` (soft anti-affinity) or `required` (hard; needs as many nodes as replicas).'),
  podDisruptionBudgets: z.boolean().default(true).describe('Create a PodDisruptionBudget (maxUnavailable 1) for every Deployment and StatefulSet.'),
  prometheus: prometheusSettingsSchema,
  alertmanager: alertmanagerSettingsSchema,
  alerting: z.strictObject({
    overrides: alertOverridesSchema.default({}).describe('Per-alert changes by name: `{ NodeHighCpuUsage: { threshold: 0.95 }, KubeJobFailed: { enabled: false } }`; an unknown name fails synth. See docs/alerting.md.'),
    slos: z.array(sloDefinitionSchema).default([]).describe('SLOs: multi-window burn-rate rules, page/ticket alerts and a dashboard each. Build them with `availabilitySlo()` / `latencySlo()`.'),
    runbookBaseUrl: linkUrl.default(DEFAULT_RUNBOOK_BASE_URL).describe('Base URL that `docs/runbooks/<Alert>.md` paths are appended to in `runbook_url`; point it at your fork.'),
  }).prefault({}).describe('Alert rules: overrides of the shipped packs, SLOs, runbook links.'),
  nodeExporter: componentSchema('20m', '32Mi', '64Mi').describe('node-exporter DaemonSet (host metrics).'),
  kubeStateMetrics: componentSchema('20m', '64Mi', '192Mi').describe('kube-state-metrics (Kubernetes object metrics).'),
  blackboxExporter: componentSchema('10m', '32Mi', '64Mi').describe('blackbox-exporter (HTTP health checks).'),
  exporterResources: resources.default(res('10m', '32Mi', '64Mi')).describe('Requests and memory limit of each postgres-exporter, redis-exporter and mysqld-exporter.'),
  scrapeTargets: z.array(scrapeTargetSchema).default([]).describe('Services to scrape, each its own job.'),
  healthChecks: z.array(healthCheckSchema).default([]).describe('HTTP health checks probed by blackbox-exporter; alert on `probe_success == 0`.'),
  postgres: postgresInstancesSchema,
  redis: redisInstancesSchema,
  mysql: mysqlInstancesSchema,
  loki: lokiSchema.describe('Loki (logs): single binary, retention by the compactor, ruler alerting to every Alertmanager.'),
  logs: logsSchema.describe('The node log agent: discovery, JSON parsing, labels and redaction.'),
  jaeger: jaegerSchema.describe('Jaeger v2 (traces).'),
  otelCollector: otelCollectorSchema.describe('OpenTelemetry Collector gateway.'),
  grafana: grafanaSchema.describe('Grafana: provisioned datasources and dashboards, admin account and logins from Secrets.'),
}).superRefine((c, ctx) => {
  // Cross-field checks read values whose own checks may have failed (a malformed loki.retention):
  // that field's issue is already recorded with its path, so a throw here must not replace every
  // problem with one bare message.
  guarded(ctx, () => refineLogsAndTraces(c, ctx));
  guarded(ctx, () => refineGrafana(c.grafana, ctx));
  uniqueNames(c.scrapeTargets, ['scrapeTargets'], ctx);
  uniqueNames(c.healthChecks, ['healthChecks'], ctx);
  uniqueNames(c.prometheus.remoteWrite, ['prometheus', 'remoteWrite'], ctx);
  // Fields that failed their own check are reported there; compare only durations that read.
  const seconds = (d: string) => (isPromDuration(d) ? durationSeconds(d) : undefined);
  const shorter = (a: string, b: string, orEqual: boolean) => {
    const [x, y] = [seconds(a), seconds(b)];
    return x === undefined || y === undefined || x < y || (orEqual && x === y);
  };
  c.healthChecks.forEach((h, i) => {
    if (!shorter(h.timeout, h.interval, false)) {
      ctx.addIssue({ code: 'custom', path: ['healthChecks', i, 'timeout'], message: `timeout ${h.timeout} must be shorter than interval ${h.interval}` });
    }
  });
  // A scrape interval at or above the query lookback (5m, Prometheus' default --query.lookback-delta)
  // leaves every series stale between two scrapes, so queries and alerts see gaps: promtool's lint
  // refuses it (lintScrapeConfigs in cmd/promtool/main.go at v3.14.0).
  const lookback = (d: string | undefined, path: (string | number)[]) => {
    if (d !== undefined && (seconds(d) ?? 0) >= LOOKBACK_SECONDS) {
      ctx.addIssue({ code: 'custom', path, message: `interval ${d} is not below 5m, Prometheus' query lookback: each series would go stale between two scrapes and queries and alerts would see gaps; scrape at most every 4m` });
    }
  };
  lookback(c.prometheus.scrapeInterval, ['prometheus', 'scrapeInterval']);
  c.scrapeTargets.forEach((t, i) => lookback(t.interval, ['scrapeTargets', i, 'interval']));
  c.healthChecks.forEach((h, i) => lookback(h.interval, ['healthChecks', i, 'interval']));
  if (!shorter(c.prometheus.scrapeTimeout, c.prometheus.scrapeInterval, true)) {
    ctx.addIssue({ code: 'custom', path: ['prometheus', 'scrapeTimeout'], message: `scrapeTimeout ${c.prometheus.scrapeTimeout} must not exceed scrapeInterval ${c.prometheus.scrapeInterval}` });
  }
  if (c.healthChecks.length && !c.blackboxExporter.enabled) {
    ctx.addIssue({ code: 'custom', path: ['blackboxExporter', 'enabled'], message: `health checks are declared (${c.healthChecks.map((h) => h.name).join(', ')}) but blackbox-exporter, which probes them, is disabled; enable it or remove the checks` });
  }
  if (c.namespaces.monitoring === c.namespaces.agents) {
    ctx.addIssue({ code: 'custom', path: ['namespaces', 'agents'], message: 'must differ from namespaces.monitoring: host agents need a namespace whose Pod Security level allows host access' });
  }
  c.prometheus.remoteWrite.forEach((rw, i) => {
    if (rw.basicAuth && rw.bearerToken) {
      ctx.addIssue({ code: 'custom', path: ['prometheus', 'remoteWrite', i], message: 'set basicAuth or bearerToken, not both' });
    }
    for (const [h, value] of Object.entries(rw.headers)) {
      // Prometheus checks only reserved names (validateHeaders in config/config.go at v3.14.0); Go's
      // HTTP client refuses a name that is no RFC 9110 token, or a value with a line break, on every
      // request, so remote write would fail while the configuration loads.
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(h)) {
        ctx.addIssue({ code: 'custom', path: ['prometheus', 'remoteWrite', i, 'headers', h], message: 'is not a valid HTTP header name (letters, digits and !#$%&\'*+-.^_`|~, no spaces), which Go\'s HTTP client refuses on every request' });
      } else if (/[\0-\x08\x0a-\x1f\x7f]/.test(value)) {
        ctx.addIssue({ code: 'custom', path: ['prometheus', 'remoteWrite', i, 'headers', h], message: `header "${h}" has a line break or control character in its value, which Go's HTTP client refuses on every request` });
      } else if (REMOTE_WRITE_RESERVED_HEADERS.includes(h.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: ['prometheus', 'remoteWrite', i, 'headers', h], message: `header "${h}" is reserved: Prometheus sets it itself and refuses to start when the configuration sets it; remove it` });
      } else if (CREDENTIAL_HEADER.test(h) || secretLikeReason(value)) {
        ctx.addIssue({ code: 'custom', path: ['prometheus', 'remoteWrite', i, 'headers', h], message: `header "${h}" carries a secret, which would be written in clear text into the generated configuration; use bearerToken or basicAuth, which read from a Secret` });
      }
    }
  });
  checkRetentionSize(c.prometheus, ['prometheus'], ctx);
  checkMemoryRequests(c, [], ctx);
});

/** Prometheus' default query lookback (`--query.lookback-delta`, 5m), which the stack does not change. */
const LOOKBACK_SECONDS = 300;

/** Runs a cross-field check; when it throws on a value whose own check already failed, the recorded issues stand. */
function guarded(ctx: z.RefinementCtx, check: () => void): void {
  try {
    check();
  } catch (err) {
    const recorded = (ctx as unknown as { issues?: unknown[] }).issues ?? [];
    if (recorded.length === 0) ctx.addIssue({ code: 'custom', path: [], message: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * Prometheus counts blocks, the WAL and head chunks against `retentionSize` (`BeyondSizeRetention` in
 * tsdb/db.go at v3.14.0) and deletes blocks only after a compaction has written the new one, so the
 * volume needs room above it: at most 80% of the volume, what the profiles use (8GB of 10Gi, 80GB of 100Gi).
 */
export const RETENTION_SIZE_SHARE = 0.8;

function checkRetentionSize(p: { retentionSize: string; storage: { size: string } }, path: (string | number)[], ctx: z.RefinementCtx): void {
  let retention: number, volume: number;
  try {
    [retention, volume] = [bytesOf(p.retentionSize), bytesOf(p.storage.size)];
  } catch {
    return; // a size that does not read is reported by its own field
  }
  if (retention > volume * RETENTION_SIZE_SHARE) {
    ctx.addIssue({ code: 'custom', path: [...path, 'retentionSize'], message: `retentionSize ${p.retentionSize} does not fit in storage.size ${p.storage.size}: the WAL, head chunks and the next compaction need room on the volume too; set at most ${retentionSizeFor(p.storage.size)} (80% of the volume), or leave it unset to get that, or grow storage.size` });
  }
}

/** The retention size a volume gets when none is set: 80% of it, in whole GB or MB as Prometheus reads them (powers of two). */
export function retentionSizeFor(volume: string): string {
  const bytes = Math.floor(bytesOf(volume) * RETENTION_SIZE_SHARE);
  if (bytes >= 2 ** 30 && bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30}GB`;
  return bytes >= 2 ** 20 ? `${Math.floor(bytes / 2 ** 20)}MB` : `${Math.max(1, Math.floor(bytes / 2 ** 10))}KB`;
}

/** Every `resources` block of the configuration: a memory request above its limit is refused by the API server. */
function checkMemoryRequests(value: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (value === null || typeof value !== 'object') return;
  const r = value as { requests?: { memory?: unknown }; limits?: { memory?: unknown } };
  if (typeof r.requests?.memory === 'string' && typeof r.limits?.memory === 'string') {
    try {
      if (bytesOf(r.requests.memory) > bytesOf(r.limits.memory)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'requests', 'memory'], message: `memory request ${r.requests.memory} is above the limit ${r.limits.memory}; Kubernetes refuses the pod: raise limits.memory or lower the request (with the production profile, set both)` });
      }
    } catch { /* reported by the field itself */ }
    return;
  }
  for (const [k, v] of Object.entries(value)) checkMemoryRequests(v, [...path, Array.isArray(value) ? Number(k) : k], ctx);
}

/** What the user writes: every field optional. */
export type StackConfigInput = z.input<typeof StackConfigSchema>;
/** The resolved configuration: every default applied. */
export type StackConfig = z.output<typeof StackConfigSchema>;
export type ScrapeTarget = StackConfig['scrapeTargets'][number];
export type HealthCheck = StackConfig['healthChecks'][number];
export type PrometheusSettings = StackConfig['prometheus'];
export type AlertmanagerSettings = StackConfig['alertmanager'];
export type RemoteWrite = StackConfig['prometheus']['remoteWrite'][number];



export { durationSeconds };
