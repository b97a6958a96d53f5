import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { GRAFANA as GRAFANA_METRICS } from '../dashboards/metric-catalogue';
import type { DashboardDefinition } from '../dashboards/model';
import { DashboardFolder, ProvisionedDashboard, provisionDashboards } from '../dashboards/provisioning';
import { dashboardUid, slugify } from '../dashboards/uid';
import { componentLabels, selectorLabels } from '../lib/labels';
import { checksum } from '../lib/render';
import { Workload, configMap, scratchVolume } from '../lib/workload';
import type { Alertmanager } from './alertmanager';
import { CommonWorkloadProps, StackComponent, apiObjectsOf } from './component';
import { GrafanaSettings, grafanaSchema } from './config-grafana';
import {
  DatasourceEndpoints, GRAFANA_CONFIG_DIR, GRAFANA_HA_PORT, GRAFANA_DASHBOARDS_DIR, GRAFANA_DATA_DIR, GRAFANA_SEARCH_DIR, GRAFANA_SECRETS_DIR,
  grafanaSecretRefs, provisionedDatasources, renderDashboardProviders, renderDatasources, renderGrafanaIni, renderLdapToml,
} from './grafana-config';
import type { Jaeger } from './jaeger';
import type { Loki } from './loki';
import type { Prometheus } from './prometheus';
import { componentJob } from './scrape-jobs';
import { secretVolumes } from './secret-volumes';

/** Grafana's HTTP port (UI, API and `/metrics`). */
export const GRAFANA_PORT = 3000;

export type GrafanaSettingsInput = z.input<typeof grafanaSchema>;

/** Properties of {@link Grafana}. */
export interface GrafanaProps extends CommonWorkloadProps {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** DNS domain of the cluster, for the replicas' alerting peers. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** The `grafana` options of docs/configuration.md. @default - their defaults */
  readonly settings?: GrafanaSettingsInput;
  /** The Prometheus of the default datasource (its scrape interval sets `timeInterval`). */
  readonly prometheus: Prometheus;
  /** @default - no Alertmanager datasource */
  readonly alertmanager?: Alertmanager;
  /** @default - no Loki datasource */
  readonly loki?: Loki;
  /** @default - no Jaeger datasource */
  readonly jaeger?: Jaeger;
  /** Dashboards to provision; add more with {@link Grafana.addDashboard}. Each is validated against the datasources. @default - none */
  readonly dashboards?: readonly DashboardDefinition[];
}

/**
 * Grafana, fully provisioned from files: datasources, dashboard providers and one ConfigMap per
 * dashboard. By default it is stateless (an emptyDir holds its SQLite database, rebuilt from the files
 * at every start), so it runs with a read-only root filesystem, no volume to back up and no state to
 * drift; `persistence.enabled` turns it into a one-replica StatefulSet with a volume for users who
 * create content in the UI. Dashboard edits reach the pod through the mounted ConfigMaps and Grafana's
 * file polling; configuration and datasource edits roll the pod through a checksum annotation.
 */
export class Grafana extends Construct {
  public readonly workload: Workload;
  public readonly namespace: string;
  /** The resolved settings, every default applied. */
  public readonly settings: GrafanaSettings;
  /** The datasources it provisions. */
  public readonly datasources: DatasourceEndpoints;

  private readonly definitions: DashboardDefinition[] = [];
  private provisioned: ProvisionedDashboard[] = [];

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const s = (this.settings = grafanaSchema.parse(props.settings ?? {}));
    const ns = (this.namespace = props.namespace ?? 'monitoring');
    this.datasources = {
      prometheus: props.prometheus.url,
      alertmanager: props.alertmanager?.url,
      loki: props.loki?.url,
      jaeger: props.jaeger?.queryUrl,
    };

    // Several replicas form one alerting cluster through a headless Service that lists every pod.
    const ha = s.replicas > 1;
    const headless = 'grafana-headless';
    const ini = renderGrafanaIni(s, ha ? { haPeers: `${headless}.${ns}.svc.${props.clusterDomain ?? 'cluster.local'}:${GRAFANA_HA_PORT}` } : {});
    const ldap = s.ldap ? renderLdapToml(s.ldap) : undefined;
    const datasources = renderDatasources(this.datasources, { scrapeInterval: props.prometheus.settings.scrapeInterval });
    // Dashboards may be added after construction: their folders, providers and volumes are rendered at synth.
    const folders = (): DashboardFolder[] => foldersOf(this.provisioned);
    const providers = () => renderDashboardProviders(folders(), s.dashboardsUpdateIntervalSeconds);

    configMap(this, 'config', { name: 'grafana-config', namespace: ns, component: 'grafana', data: { 'grafana.ini': ini, ...(ldap ? { 'ldap.toml': ldap } : {}) } });
    configMap(this, 'datasources', { name: 'grafana-datasources', namespace: ns, component: 'grafana', data: { 'datasources.yaml': datasources } });
    configMap(this, 'providers', { name: 'grafana-providers', namespace: ns, component: 'grafana', data: { 'dashboards.yaml': Lazy.any({ produce: providers }) } });
    this.provision(props.dashboards ?? []);

    const secrets = secretVolumes(grafanaSecretRefs(s), GRAFANA_SECRETS_DIR);
    const admin = (key: string) => ({ secretKeyRef: { name: s.adminSecret.name, key } });
    const persistent = s.persistence.enabled;

    this.workload = new Workload(this, 'workload', {
      kind: persistent ? 'StatefulSet' : 'Deployment',
      component: 'grafana',
      namespace: ns,
      replicas: s.replicas,
      spread: props.spread,
      podDisruptionBudget: props.podDisruptionBudget,
      imagePullPolicy: props.imagePullPolicy,
      // Datasources and grafana.ini are read at start only; dashboards are polled and need no roll.
      podAnnotations: { 'checksum/config': Lazy.any({ produce: () => checksum({ ini, ldap: ldap ?? '', datasources, providers: providers() }) }) },
      containers: [{
        name: 'grafana',
        image: 'grafana',
        env: [
          { name: 'GF_PATHS_CONFIG', value: `${GRAFANA_CONFIG_DIR}/grafana.ini` },
          // The admin account is created from these at the first start of an empty database (every
          // start, when Grafana is stateless).
          { name: 'GF_SECURITY_ADMIN_USER', valueFrom: admin(s.adminSecret.userKey) },
          { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: admin(s.adminSecret.passwordKey) },
          // The address this replica advertises to its alerting peers (grafana.ini reads $__env{POD_IP}).
          ...(ha ? [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] : []),
        ],
        ports: [
          { name: 'http-web', port: GRAFANA_PORT },
          ...(ha ? [{ name: 'gossip', port: GRAFANA_HA_PORT }, { name: 'gossip-udp', port: GRAFANA_HA_PORT, protocol: 'UDP' as const }] : []),
        ],
        resources: s.resources,
        readiness: { path: '/api/health', port: 'http-web', periodSeconds: 10, timeoutSeconds: 5 },
        liveness: { path: '/api/health', port: 'http-web', periodSeconds: 15, timeoutSeconds: 10, failureThreshold: 6 },
        // Database migrations on the first start of an empty database take a while.
        startup: { path: '/api/health', port: 'http-web', periodSeconds: 5, failureThreshold: 60 },
        volumeMounts: Lazy.any({ produce: () => [
          { name: 'config', mountPath: GRAFANA_CONFIG_DIR, readOnly: true },
          { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
          { name: 'dashboard-providers', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
          ...folders().map((f) => ({ name: `dashboards-${f.uid}`, mountPath: `${GRAFANA_DASHBOARDS_DIR}/${f.uid}`, readOnly: true })),
          { name: 'data', mountPath: GRAFANA_DATA_DIR },
          { name: 'search', mountPath: GRAFANA_SEARCH_DIR },
          { name: 'tmp', mountPath: '/tmp' },
          ...secrets.mounts,
        ] }),
      }],
      volumes: Lazy.any({ produce: () => [
        { name: 'config', configMap: { name: 'grafana-config' } },
        { name: 'datasources', configMap: { name: 'grafana-datasources' } },
        { name: 'dashboard-providers', configMap: { name: 'grafana-providers' } },
        // One projected volume per folder: every dashboard ConfigMap of the folder in one directory,
        // mounted as a directory (not subPath) so the kubelet refreshes edited files in place.
        ...folders().map((f) => ({ name: `dashboards-${f.uid}`, projected: { sources: f.dashboards.map((d) => ({ configMap: { name: d.configMapName } })) } })),
        ...(persistent ? [] : [scratchVolume('data', '1Gi')]),
        scratchVolume('search', '256Mi'),
        scratchVolume('tmp', '64Mi'),
        ...secrets.volumes,
      ] }),
      volumeClaims: persistent ? [{ name: 'data', size: s.persistence.size, storageClassName: s.persistence.storageClassName }] : undefined,
      servicePorts: [{ name: 'http-web', port: GRAFANA_PORT }],
    });

    if (ha) {
      new k8s.KubeService(this, 'headless-service', {
        metadata: { name: headless, namespace: ns, labels: componentLabels('grafana') },
        // Peers must find each other before they are Ready.
        spec: {
          clusterIp: 'None',
          publishNotReadyAddresses: true,
          selector: selectorLabels('grafana'),
          ports: [
            { name: 'gossip', port: GRAFANA_HA_PORT, targetPort: k8s.IntOrString.fromString('gossip'), protocol: 'TCP' },
            { name: 'gossip-udp', port: GRAFANA_HA_PORT, targetPort: k8s.IntOrString.fromString('gossip-udp'), protocol: 'UDP' },
          ],
        },
      });
    }

    if (s.ingress) this.addIngress(ns, s.ingress);
  }

  /**
   * Provisions one more dashboard in its own ConfigMap. It is validated with every dashboard already
   * added: a broken query, an unknown metric, a datasource Grafana does not have, a link to a
   * dashboard that does not exist or a uid or title used twice fails here, naming the dashboard.
   */
  public addDashboard(dashboard: DashboardDefinition): void {
    this.provision([dashboard]);
  }

  /** Validates the dashboards with those already provisioned, then gives each new one its ConfigMap. */
  private provision(added: readonly DashboardDefinition[]): void {
    const all = [...this.definitions, ...added];
    this.provisioned = provisionDashboards(all, { datasources: provisionedDatasources(this.datasources) }).flatMap((f) => f.dashboards);
    this.definitions.push(...added);
    const uids = new Set(added.map(dashboardUid));
    for (const d of this.provisioned.filter((p) => uids.has(p.uid))) {
      configMap(this, `dashboard-${d.uid}`, {
        name: d.configMapName, namespace: this.namespace, component: 'grafana', labels: { 'vigil.dev/dashboard': 'true' }, data: { [d.fileName]: d.json },
      });
    }
  }

  /** The ApiObjects of this Grafana: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }

  /** The Ingress, and the one flow from outside the namespace: the ingress controller to Grafana's port. */
  private addIngress(namespace: string, ingress: NonNullable<GrafanaSettings['ingress']>): void {
    const labels = componentLabels('grafana');
    new k8s.KubeIngress(this, 'ingress', {
      metadata: { name: 'grafana', namespace, labels, annotations: Object.keys(ingress.annotations).length ? ingress.annotations : undefined },
      spec: {
        ingressClassName: ingress.className,
        tls: ingress.tlsSecretName ? [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }] : undefined,
        rules: [{
          host: ingress.host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'grafana', port: { name: 'http-web' } } } }] },
        }],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'ingress-controller', {
      metadata: { name: 'grafana-ingress-controller', namespace, labels },
      spec: {
        podSelector: { matchLabels: selectorLabels('grafana') },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingress.controllerNamespace } } }],
          ports: [{ port: k8s.IntOrString.fromNumber(GRAFANA_PORT), protocol: 'TCP' }],
        }],
      },
    });
    // cert-manager answers an HTTP-01 challenge from a solver pod it starts in the Ingress's
    // namespace, labelled acme.cert-manager.io/http01-solver=true and listening on 8089
    // (cert-manager pkg/apis/acme/v1/types.go SolverIdentificationLabelKey, pkg/issuer/acme/http/http.go
    // acmeSolverListenPort); the namespace's default-deny policy would keep the controller from it.
    if (Object.keys(ingress.annotations).some((k) => k.startsWith('cert-manager.io/') || k.startsWith('acme.cert-manager.io/'))) {
      new k8s.KubeNetworkPolicy(this, 'acme-http01-solver', {
        metadata: { name: 'grafana-acme-http01-solver', namespace, labels },
        spec: {
          podSelector: { matchLabels: { [CERT_MANAGER_SOLVER_LABEL]: 'true' } },
          policyTypes: ['Ingress'],
          ingress: [{
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingress.controllerNamespace } } }],
            ports: [{ port: k8s.IntOrString.fromNumber(CERT_MANAGER_SOLVER_PORT), protocol: 'TCP' }],
          }],
        },
      });
    }
  }
}

/** The label and port of cert-manager's HTTP-01 solver pods. */
export const CERT_MANAGER_SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';
export const CERT_MANAGER_SOLVER_PORT = 8089;

/**
 * The stack component: Grafana with a datasource for each deployed peer (given by object) and every
 * dashboard of the stack, validated against those datasources.
 */
export const grafanaComponent: StackComponent = {
  name: 'grafana',
  enabled: (c) => c.grafana.enabled,
  // After every other component: it needs its datasources' objects, and its file stays the last
  // component file in dist/, so file names do not shift when a component is switched on or off.
  after: 'all',
  jobNames: ['grafana'],
  catalogues: [GRAFANA_METRICS],
  scrapeJobs: (c) => [componentJob('grafana', c.namespaces.monitoring, 'http-web')],
  ingress: (c) => [
    { ports: [{ port: GRAFANA_PORT }], from: ['prometheus'] },
    // The replicas' alerting cluster (gossip over TCP and UDP).
    ...(c.grafana.replicas > 1 ? [{ ports: [{ port: GRAFANA_HA_PORT }, { port: GRAFANA_HA_PORT, protocol: 'UDP' as const }], from: ['grafana'] }] : []),
  ],
  build: (ctx) => {
    const c = ctx.config;
    const prometheus = ctx.built<Prometheus>('prometheus');
    if (!prometheus) throw new Error('Grafana needs Prometheus, which is not deployed');
    return new Grafana(ctx.chart('grafana'), 'grafana', {
      ...ctx.common,
      namespace: c.namespaces.monitoring,
      clusterDomain: c.clusterDomain,
      settings: ctx.input.grafana,
      prometheus,
      alertmanager: ctx.built<Alertmanager>('alertmanager'),
      loki: ctx.built<Loki>('loki'),
      jaeger: ctx.built<Jaeger>('jaeger'),
      dashboards: ctx.dashboards,
    });
  },
};

/** Provisioned dashboards grouped by folder, folders and dashboards in uid order (as provisionDashboards returns them). */
function foldersOf(dashboards: readonly ProvisionedDashboard[]): DashboardFolder[] {
  const byFolder = new Map<string, ProvisionedDashboard[]>();
  for (const d of dashboards) byFolder.set(d.folder, [...(byFolder.get(d.folder) ?? []), d]);
  return [...byFolder.entries()]
    .map(([title, list]) => ({ title, uid: slugify(title), dashboards: [...list].sort((a, b) => a.uid.localeCompare(b.uid)) }))
    .sort((a, b) => a.uid.localeCompare(b.uid));
}
