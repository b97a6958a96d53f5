import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ALERTMANAGER_SELF, KUBELET, PROMETHEUS_SELF, PROMETHEUS_SYNTHETIC } from '../alerts/metric-catalogue';
import { stackRulePack } from '../alerts/packs/stack';
import { RenderRulesOptions, renderRulePacks } from '../alerts/render-rules';
import type { RulePack } from '../alerts/rule-pack';
import { STACK_DASHBOARD_UIDS, prometheusDashboard } from '../dashboards/stack';
import { Workload, configMap } from '../lib/workload';
import type { Alertmanager } from './alertmanager';
import { CommonWorkloadProps, RuleFile, StackComponent, apiObjectsOf } from './component';
import { PrometheusSettings, prometheusSettingsSchema } from './config';
import { partFileName, partName, splitGroupsDocument } from '../lib/configmap-budget';
import { PROMETHEUS_RULES_DIR, PROMETHEUS_SECRETS_DIR, renderPrometheusConfig } from './prometheus-config';
import { MetricDrop, ScrapeJob, componentJob } from './scrape-jobs';
import { secretVolumes } from './secret-volumes';

/** Properties of {@link Prometheus}. */
export interface PrometheusProps extends CommonWorkloadProps {
  /** Name of its objects (StatefulSet, Services, ConfigMaps `<name>-config` and `<name>-rules-*`). @default 'prometheus' */
  readonly name?: string;
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** DNS domain of the cluster, for its in-cluster URL. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** The `prometheus` options of docs/configuration.md. @default - their defaults */
  readonly settings?: PrometheusSettingsInput;
  /** Scrape jobs, in order; add more with {@link Prometheus.addScrapeJob}. @default - none */
  readonly jobs?: readonly ScrapeJob[];
  /** The Alertmanagers it sends alerts to; add more with {@link Prometheus.addAlertmanager}. @default - none */
  readonly alertmanagers?: readonly Alertmanager[];
  /** Rendered rule files; add more with {@link Prometheus.addRuleFile} or {@link Prometheus.addRulePack}. @default - none */
  readonly ruleFiles?: readonly RuleFile[];
}

export type PrometheusSettingsInput = z.input<typeof prometheusSettingsSchema>;

const CONFIG_DIR = '/etc/prometheus/config';
/** Prometheus' HTTP port (API, UI and its own `/metrics`). */
export const PROMETHEUS_PORT = 9090;
const PORT = PROMETHEUS_PORT;
const REPLICA_LABEL = 'prometheus_replica';

/**
 * Prometheus v3 as a StatefulSet: TSDB on a PersistentVolumeClaim with retention by time and size,
 * configuration and rule files reloaded live (`--config.auto-reload` checksums both, so an edit needs
 * no restart and no WAL replay), RBAC for discovery only. With more than one replica each scrapes
 * everything on its own; they differ only in the `prometheus_replica` external label.
 */
export class Prometheus extends Construct {
  public readonly workload: Workload;
  /** Name of its objects. */
  public readonly name: string;
  public readonly namespace: string;
  /** The resolved settings, every default applied. */
  public readonly settings: PrometheusSettings;
  /** In-cluster URL of its HTTP API and UI. */
  public readonly url: string;

  private readonly jobs: ScrapeJob[];
  private readonly alertmanagers: Alertmanager[];
  private readonly ruleFiles: RuleFile[] = [];
  /** The ConfigMaps of the rule files, in order (several for a file split to fit). */
  private readonly ruleConfigMaps: string[] = [];
  private readonly instance?: string;

  constructor(scope: Construct, id: string, props: PrometheusProps = {}) {
    super(scope, id);
    const s = (this.settings = prometheusSettingsSchema.parse(props.settings ?? {}));
    const name = (this.name = props.name ?? 'prometheus');
    const ns = (this.namespace = props.namespace ?? 'monitoring');
    // A second Prometheus in one namespace needs its own selector, or each Service would pick both.
    this.instance = name === 'prometheus' ? undefined : name;
    this.url = `http://${name}.${ns}.svc.${props.clusterDomain ?? 'cluster.local'}:${PORT}`;
    const replicated = s.replicas > 1;
    this.jobs = [...(props.jobs ?? [])];
    this.alertmanagers = [...(props.alertmanagers ?? [])];

    // Rendered at synth, so jobs, Alertmanagers and rule files added later are included.
    const config = Lazy.any({ produce: () => renderPrometheusConfig({
      scrapeInterval: s.scrapeInterval,
      scrapeTimeout: s.scrapeTimeout,
      evaluationInterval: s.evaluationInterval,
      externalLabels: s.externalLabels,
      replicaLabel: replicated ? REPLICA_LABEL : undefined,
      alertmanagers: this.alertmanagers.flatMap((a) => a.peerAddresses),
      jobs: this.jobs,
      remoteWrite: s.remoteWrite,
    }) });
    configMap(this, 'config', { name: `${name}-config`, namespace: ns, component: 'prometheus', instance: this.instance, data: { 'prometheus.yml': config } });
    (props.ruleFiles ?? []).forEach((f) => this.addRuleFile(f));

    const secretRefs = s.remoteWrite.flatMap((rw) => [rw.basicAuth?.password, rw.bearerToken].filter((r) => r !== undefined));
    const secrets = secretVolumes(secretRefs, PROMETHEUS_SECRETS_DIR);

    const args = [
      `--config.file=${CONFIG_DIR}/prometheus.yml`,
      '--config.auto-reload',
      `--web.listen-address=:${PORT}`,
      // No --web.enable-lifecycle: auto-reload makes /-/reload unnecessary, and /-/quit would let
      // anything that reaches port 9090 stop Prometheus.
      '--storage.tsdb.path=/prometheus',
      // Flags rather than the v3.8+ `storage.tsdb.retention` config block keep prometheus.yml valid for
      // every Prometheus 2.x/3.x promtool as well.
      `--storage.tsdb.retention.time=${s.retentionTime}`,
      `--storage.tsdb.retention.size=${s.retentionSize}`,
      // No --storage.tsdb.wal-compression: the flag is hidden and defaults to true in v3
      // (cmd/prometheus/main.go at v3.14.0).
      // Keeps trace ids attached to histogram samples, so a latency spike in Grafana links to a trace.
      '--enable-feature=exemplar-storage',
      // The external URL shapes links only: a path in it (https://ops.example.com/prometheus/) would
      // otherwise become the route prefix of every endpoint (cmd/prometheus/main.go at v3.14.0:
      // "Default -web.route-prefix to path of -web.external-url"), and the probes, the self-scrape,
      // the Alertmanager's and Grafana's calls would 404. The reverse proxy strips the path.
      ...(s.externalUrl ? [`--web.external-url=${s.externalUrl}`, '--web.route-prefix=/'] : []),
    ];

    this.workload = new Workload(this, 'workload', {
      kind: 'StatefulSet',
      component: 'prometheus',
      instance: this.instance,
      name,
      namespace: ns,
      replicas: s.replicas,
      automountServiceAccountToken: true,
      spread: props.spread,
      podDisruptionBudget: props.podDisruptionBudget,
      imagePullPolicy: props.imagePullPolicy,
      // Room to flush the head block and close the WAL cleanly.
      terminationGracePeriodSeconds: 120,
      containers: [{
        name: 'prometheus',
        image: 'prometheus',
        args,
        env: replicated ? [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] : undefined,
        ports: [{ name: 'http-web', port: PORT }],
        resources: s.resources,
        readiness: { path: '/-/ready', port: 'http-web', periodSeconds: 5, timeoutSeconds: 4 },
        liveness: { path: '/-/healthy', port: 'http-web', periodSeconds: 15, timeoutSeconds: 10, failureThreshold: 4 },
        // WAL replay after a restart can take minutes on a full TSDB; liveness waits for this.
        startup: { path: '/-/ready', port: 'http-web', periodSeconds: 10, failureThreshold: 60 },
        volumeMounts: [
          { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
          { name: 'rules', mountPath: PROMETHEUS_RULES_DIR, readOnly: true },
          { name: 'data', mountPath: '/prometheus' },
          ...secrets.mounts,
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: `${name}-config` } },
        Lazy.any({ produce: () => (this.ruleFiles.length
          ? { name: 'rules', projected: { sources: this.ruleConfigMaps.map((name) => ({ configMap: { name } })) } }
          : { name: 'rules', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } }) }),
        ...secrets.volumes,
      ],
      volumeClaims: [{ name: 'data', size: s.storage.size, storageClassName: s.storage.storageClassName }],
      servicePorts: [{ name: 'http-web', port: PORT }],
      headless: true,
    });

    this.addDiscoveryRbac();
  }

  /** Scrapes one more job (after those given in the props). */
  public addScrapeJob(job: ScrapeJob): void {
    if (this.jobs.some((j) => j.job === job.job)) throw new Error(`Prometheus "${this.name}": a scrape job named "${job.job}" exists already; job names must be unique`);
    this.jobs.push(job);
  }

  /** Sends alerts to one more Alertmanager (every replica of it). */
  public addAlertmanager(alertmanager: Alertmanager): void {
    this.alertmanagers.push(alertmanager);
  }

  /** Loads one more rendered rule file, from its own ConfigMap `<name>-rules-<file name>`. */
  public addRuleFile(file: RuleFile): void {
    if (this.ruleFiles.some((f) => f.name === file.name || f.fileName === file.fileName)) {
      throw new Error(`Prometheus "${this.name}": a rule file named "${file.name}" (${file.fileName}) is loaded already; give each pack its own name`);
    }
    this.ruleFiles.push(file);
    // A file too large for one ConfigMap (kubectl apply keeps each object in a 256 KiB annotation) is
    // cut between groups into several files, `<file>-2.yml`, … in `<name>-rules-<pack>-2`, …; a file
    // that fits keeps its one ConfigMap and name.
    const parts = splitGroupsDocument(file.content, (n) => partFileName(file.fileName, n), undefined, `Prometheus rule file ${file.fileName}`);
    const names: string[] = [];
    parts.forEach((content, i) => {
      const name = this.ruleConfigMapName(file, i + 1);
      if (this.ruleConfigMaps.includes(name)) throw new Error(`Prometheus "${this.name}": rule file "${file.name}" needs the ConfigMap ${name}, which another rule file uses; rename one of the packs`);
      names.push(name);
      configMap(this, i === 0 ? `rules-${file.name}` : `rules-${file.name}-part-${i + 1}`, {
        name,
        namespace: this.namespace,
        component: 'prometheus',
        instance: this.instance,
        labels: { 'vigil.dev/rule-file': 'true' },
        data: { [partFileName(file.fileName, i + 1)]: content },
      });
    });
    this.ruleConfigMaps.push(...names);
  }

  /** Validates and renders a rule pack (see docs/alerting.md) and loads it. */
  public addRulePack(pack: RulePack, options: RenderRulesOptions = {}): void {
    renderRulePacks([pack], options).forEach((f) => this.addRuleFile(f));
  }

  /** The ApiObjects of this Prometheus: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }

  private ruleConfigMapName(f: RuleFile, part = 1): string {
    return partName(`${this.name}-rules-${f.name}`, part);
  }

  /** Read-only access to exactly what Kubernetes service discovery and the kubelet jobs read. */
  private addDiscoveryRbac(): void {
    this.workload.addClusterRole([
      { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      { nonResourceUrLs: ['/metrics', '/metrics/cadvisor'], verbs: ['get'] },
    ]);
  }
}

/**
 * Kubelet `/metrics` series no one needs (`prometheus.metricFilter: 'curated'`); a name a rule or panel
 * reads is exempted from every drop.
 */
export const KUBELET_DROPS: readonly MetricDrop[] = [
  { names: 'rest_client_.+', reason: "the kubelet's own calls to the API server (latency and size histograms per verb and host): the API server's health is seen on the API server, not from every node" },
  { names: 'apiserver_.+', reason: 'API-server library internals compiled into the kubelet (audit, storage, client certificate histograms); nothing in the stack reads them' },
  { names: 'storage_operation_.+', reason: 'volume plugin operation histograms per plugin and operation; volume problems show up as PVC and pod alerts (kubelet_volume_stats_*, kube-state-metrics)' },
  { names: 'workqueue_.+', reason: "the kubelet's internal controller work queues (depth, latency histograms); a debugging aid for kubelet developers" },
  { names: 'volume_operation_total_seconds', reason: 'the same volume plugin operations again, as an end-to-end histogram per plugin and operation' },
  { names: 'go_.+', reason: "the kubelet's Go runtime internals (GC, scheduler and allocation histograms, about 200 series per node); its CPU and memory are process_* here and the kubelet.service cgroup in cAdvisor" },
];

/** cAdvisor (`/metrics/cadvisor`) series no one needs (`prometheus.metricFilter: 'curated'`). */
export const CADVISOR_DROPS: readonly MetricDrop[] = [
  {
    names: 'container_.+',
    where: { container: '', pod: '.+' },
    reason: "pod-level cgroups and pod sandboxes (a pod but no container): each repeats the sum of its containers, so a query without container!=\"\" counts twice. A selector that can read them (the pod network metrics, which cAdvisor reports only there) exempts its name",
  },
  { names: 'container_(tasks_state|memory_failures_total|cpu_load_average_10s)', reason: 'per-container task states and page-fault counters by type and scope: several series per container, always zero or unused (tasks_state and load average need the netlink interface the kubelet does not enable)' },
  { names: 'container_(spec_.+|last_seen|start_time_seconds)', reason: 'container specs, start and last-seen times: kube-state-metrics has the requests, limits and start times' },
  { names: 'container_(fs_.+|blkio_device_usage_total|file_descriptors|sockets|threads|threads_max|processes|ulimits_soft)', reason: 'per-device filesystem I/O and process counters of every container; no alert or panel reads them (node-exporter covers disks); add them with keepMetrics or a rule when investigating' },
  { names: 'container_network_(tcp|tcp6|udp|udp6)_usage_total', reason: 'per-state socket counts, disabled in the kubelet and reported as zeros' },
];

/**
 * The stack component: always deployed. Besides its own job it scrapes the cluster (kubelet,
 * cAdvisor, annotated pods and Services) and the user's typed targets, and carries the `stack` pack.
 */
export const prometheusComponent: StackComponent = {
  name: 'prometheus',
  enabled: () => true,
  after: ['alertmanager'],
  jobNames: ['prometheus', 'kubelet', 'cadvisor', 'kubernetes-services', 'kubernetes-pods'],
  catalogues: [PROMETHEUS_SYNTHETIC, PROMETHEUS_SELF, ALERTMANAGER_SELF, KUBELET],
  scrapeJobs: (c) => [
    componentJob('prometheus', c.namespaces.monitoring, 'http-web'),
    { kind: 'kubelet', job: 'kubelet', path: '/metrics', metricDrops: KUBELET_DROPS },
    { kind: 'kubelet', job: 'cadvisor', path: '/metrics/cadvisor', trackTimestampsStaleness: true, metricDrops: CADVISOR_DROPS },
    // What others expose is bounded: one app with a user id in a label cannot take Prometheus down.
    { kind: 'annotations', job: 'kubernetes-services', role: 'service', limits: c.prometheus.scrapeLimits },
    { kind: 'annotations', job: 'kubernetes-pods', role: 'pod', limits: c.prometheus.scrapeLimits },
    ...c.scrapeTargets.map((t): ScrapeJob => ({
      kind: 'service', job: t.name, namespace: t.namespace, selector: t.selector, port: t.port,
      path: t.path, scheme: t.scheme, interval: t.interval, labels: t.labels,
      limits: { ...c.prometheus.scrapeLimits, ...definedOnly(t.limits) },
    })),
  ],
  // Its own replicas (federation-free HA compares them) and Grafana's datasource.
  ingress: () => [{ ports: [{ port: PORT }], from: ['prometheus'] }, { ports: [{ port: PORT }], from: ['grafana'] }],
  // Only what is deployed: the cluster alert with a clustered Alertmanager, the missing-target alert
  // with typed targets.
  rulePacks: (c) => [stackRulePack({ alertmanagerClustered: c.alertmanager.replicas > 1, scrapeTargetJobs: c.scrapeTargets.map((t) => t.name) })],
  stackDashboards: () => [{ uid: STACK_DASHBOARD_UIDS.prometheus, linkTitle: 'Prometheus', build: prometheusDashboard }],
  build: (ctx) => {
    const alertmanager = ctx.built<Alertmanager>('alertmanager');
    return new Prometheus(ctx.chart('prometheus'), 'prometheus', {
      ...ctx.common,
      namespace: ctx.config.namespaces.monitoring,
      clusterDomain: ctx.config.clusterDomain,
      settings: ctx.input.prometheus,
      jobs: ctx.scrapeJobs,
      alertmanagers: alertmanager ? [alertmanager] : [],
      ruleFiles: ctx.ruleFiles.prometheus,
    });
  },
};

/** The fields that are set (an unset per-target limit follows the stack-wide one). */
function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
