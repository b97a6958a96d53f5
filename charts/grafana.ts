import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { DashboardFolder } from '../dashboards/provisioning';
import type { GrafanaSettings } from './config-grafana';
import { componentLabels, selectorLabels } from '../lib/labels';
import { checksum } from '../lib/render';
import { Workload, configMap, scratchVolume } from '../lib/workload';
import {
  DatasourceEndpoints, GRAFANA_CONFIG_DIR, GRAFANA_DASHBOARDS_DIR, GRAFANA_DATA_DIR, GRAFANA_SEARCH_DIR, GRAFANA_SECRETS_DIR,
  grafanaSecretRefs, renderDashboardProviders, renderDatasources, renderGrafanaIni, renderLdapToml,
} from './grafana-config';
import { secretVolumes } from './secret-volumes';
import { GRAFANA as GRAFANA_METRICS } from '../dashboards/metric-catalogue';
import { provisionDashboards } from '../dashboards/provisioning';
import type { Alertmanager } from './alertmanager';
import { StackComponent } from './component';
import { provisionedDatasources } from './grafana-config';
import type { Jaeger } from './jaeger';
import type { Loki } from './loki';
import type { Prometheus } from './prometheus';
import { componentJob } from './scrape-jobs';

/** Grafana's HTTP port (UI, API and `/metrics`). */
export const GRAFANA_PORT = 3000;

/** Properties of {@link Grafana}. */
export interface GrafanaProps {
  readonly namespace: string;
  /** The resolved `grafana` section of the stack configuration. */
  readonly settings: GrafanaSettings;
  /** URLs of the datasources to provision; leave out the components that are not deployed. */
  readonly datasources: DatasourceEndpoints;
  /** Prometheus' scrape interval (sets the Prometheus datasource's `timeInterval`). */
  readonly scrapeInterval: string;
  /** Rendered dashboards, by folder (`provisionDashboards(...)`). @default - none */
  readonly dashboards?: readonly DashboardFolder[];
  /** @default 'none' */
  readonly spread?: 'none' | 'preferred' | 'required';
  /** @default true */
  readonly podDisruptionBudget?: boolean;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
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

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const s = props.settings;
    const ns = props.namespace;
    const folders = props.dashboards ?? [];

    const ini = renderGrafanaIni(s);
    const ldap = s.ldap ? renderLdapToml(s.ldap) : undefined;
    const datasources = renderDatasources(props.datasources, { scrapeInterval: props.scrapeInterval });
    const providers = renderDashboardProviders(folders, s.dashboardsUpdateIntervalSeconds);

    configMap(this, 'config', { name: 'grafana-config', namespace: ns, component: 'grafana', data: { 'grafana.ini': ini, ...(ldap ? { 'ldap.toml': ldap } : {}) } });
    configMap(this, 'datasources', { name: 'grafana-datasources', namespace: ns, component: 'grafana', data: { 'datasources.yaml': datasources } });
    configMap(this, 'providers', { name: 'grafana-providers', namespace: ns, component: 'grafana', data: { 'dashboards.yaml': providers } });
    for (const f of folders) {
      for (const d of f.dashboards) {
        configMap(this, `dashboard-${d.uid}`, {
          name: d.configMapName, namespace: ns, component: 'grafana', labels: { 'vigil.dev/dashboard': 'true' }, data: { [d.fileName]: d.json },
        });
      }
    }

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
      podAnnotations: { 'checksum/config': checksum({ ini, ldap: ldap ?? '', datasources, providers }) },
      containers: [{
        name: 'grafana',
        image: 'grafana',
        env: [
          { name: 'GF_PATHS_CONFIG', value: `${GRAFANA_CONFIG_DIR}/grafana.ini` },
          // The admin account is created from these at the first start of an empty database (every
          // start, when Grafana is stateless).
          { name: 'GF_SECURITY_ADMIN_USER', valueFrom: admin(s.adminSecret.userKey) },
          { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: admin(s.adminSecret.passwordKey) },
        ],
        ports: [{ name: 'http-web', port: GRAFANA_PORT }],
        resources: s.resources,
        readiness: { path: '/api/health', port: 'http-web', periodSeconds: 10, timeoutSeconds: 5 },
        liveness: { path: '/api/health', port: 'http-web', periodSeconds: 15, timeoutSeconds: 10, failureThreshold: 6 },
        // Database migrations on the first start of an empty database take a while.
        startup: { path: '/api/health', port: 'http-web', periodSeconds: 5, failureThreshold: 60 },
        volumeMounts: [
          { name: 'config', mountPath: GRAFANA_CONFIG_DIR, readOnly: true },
          { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
          { name: 'dashboard-providers', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
          ...folders.map((f) => ({ name: `dashboards-${f.uid}`, mountPath: `${GRAFANA_DASHBOARDS_DIR}/${f.uid}`, readOnly: true })),
          { name: 'data', mountPath: GRAFANA_DATA_DIR },
          { name: 'search', mountPath: GRAFANA_SEARCH_DIR },
          { name: 'tmp', mountPath: '/tmp' },
          ...secrets.mounts,
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: 'grafana-config' } },
        { name: 'datasources', configMap: { name: 'grafana-datasources' } },
        { name: 'dashboard-providers', configMap: { name: 'grafana-providers' } },
        // One projected volume per folder: every dashboard ConfigMap of the folder in one directory,
        // mounted as a directory (not subPath) so the kubelet refreshes edited files in place.
        ...folders.map((f) => ({ name: `dashboards-${f.uid}`, projected: { sources: f.dashboards.map((d) => ({ configMap: { name: d.configMapName } })) } })),
        ...(persistent ? [] : [scratchVolume('data', '1Gi')]),
        scratchVolume('search', '256Mi'),
        scratchVolume('tmp', '64Mi'),
        ...secrets.volumes,
      ],
      volumeClaims: persistent ? [{ name: 'data', size: s.persistence.size, storageClassName: s.persistence.storageClassName }] : undefined,
      servicePorts: [{ name: 'http-web', port: GRAFANA_PORT }],
    });

    if (s.ingress) this.addIngress(ns, s.ingress);
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
  }
}

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
  ingress: () => [{ ports: [{ port: GRAFANA_PORT }], from: ['prometheus'] }],
  build: (ctx) => {
    const c = ctx.config;
    const prometheus = ctx.built<Prometheus>('prometheus');
    if (!prometheus) throw new Error('Grafana needs Prometheus, which is not deployed');
    const datasources = {
      prometheus: prometheus.url,
      alertmanager: ctx.built<Alertmanager>('alertmanager')?.url,
      loki: ctx.built<Loki>('loki')?.url,
      jaeger: ctx.built<Jaeger>('jaeger')?.queryUrl,
    };
    // Fails synth on a broken query, an unknown metric, a dangling link or a datasource that is not deployed.
    const folders = provisionDashboards(ctx.dashboards, { datasources: provisionedDatasources(datasources) });
    return new Grafana(ctx.chart('grafana'), 'grafana', {
      ...ctx.common, namespace: c.namespaces.monitoring, settings: c.grafana, datasources, scrapeInterval: prometheus.settings.scrapeInterval, dashboards: folders,
    });
  },
};
