import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { renderAlertmanagerConfig } from '../alerts/routing/alertmanager-config';
import { alertRulesOf, stackRoutingWarnings } from '../alerts/routing/routing-warnings';
import { SYNTH_WARNING } from '../lib/safe-synth';
import { STACK_DASHBOARD_UIDS, alertmanagerDashboard } from '../dashboards/stack';
import { IMAGES } from '../lib/images';
import { checksum } from '../lib/render';
import { Workload, configMap } from '../lib/workload';
import { CommonWorkloadProps, StackComponent, apiObjectsOf } from './component';
import { AlertmanagerSettings, alertmanagerSettingsSchema } from './config';
import { componentJob } from './scrape-jobs';
import { secretVolumes } from './secret-volumes';

/** Where Alertmanager finds mounted Secret keys: `<dir>/<secret name>/<key>`. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';
/** Where notification template files are mounted. */
export const ALERTMANAGER_TEMPLATES_DIR = '/etc/alertmanager/templates';
const CONFIG_DIR = '/etc/alertmanager/config';
const HTTP_PORT = 9093;
const CLUSTER_PORT = 9094;

/** Properties of {@link Alertmanager}. */
export interface AlertmanagerProps extends CommonWorkloadProps {
  /** Name of its objects (StatefulSet, Services, ConfigMap `<name>-config`). @default 'alertmanager' */
  readonly name?: string;
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** DNS domain of the cluster, for the peers' addresses. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** The `alertmanager` options of docs/configuration.md, routing included (docs/routing.md). @default - their defaults */
  readonly settings?: AlertmanagerSettingsInput;
}

export type AlertmanagerSettingsInput = z.input<typeof alertmanagerSettingsSchema>;

/**
 * Alertmanager as a StatefulSet with a volume for silences and the notification log. With more than
 * one replica the pods form a gossip cluster over 9094 TCP+UDP through the headless Service, and
 * Prometheus sends every alert to each of them ({@link Alertmanager.peerAddresses}).
 */
export class Alertmanager extends Construct {
  /** host:port of every replica, the list Prometheus alerts. */
  public readonly peerAddresses: string[];
  public readonly workload: Workload;
  public readonly name: string;
  public readonly namespace: string;
  /** The resolved settings, every default applied. */
  public readonly settings: AlertmanagerSettings;
  /** In-cluster URL of its API and UI. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: AlertmanagerProps = {}) {
    super(scope, id);
    const s = (this.settings = alertmanagerSettingsSchema.parse(props.settings ?? {}));
    const name = (this.name = props.name ?? 'alertmanager');
    const ns = (this.namespace = props.namespace ?? 'monitoring');
    const domain = props.clusterDomain ?? 'cluster.local';
    // A second Alertmanager in one namespace needs its own selector, or the Services would pick both.
    const instance = name === 'alertmanager' ? undefined : name;
    const routing = renderAlertmanagerConfig(s.routing, {
      secretsDir: ALERTMANAGER_SECRETS_DIR,
      templatesDir: ALERTMANAGER_TEMPLATES_DIR,
      // Fail synth, not the pod, when the routing needs a newer Alertmanager than the pinned one.
      alertmanagerVersion: IMAGES.alertmanager.image.replace(/^.*:v/, ''),
    });
    const secretRefs = routing.secretMounts.map((m) => ({ name: m.name, key: m.key }));
    const templates = routing.templateFiles;
    const pod = (i: number) => `${name}-${i}.${name}-headless.${ns}.svc.${domain}`;
    const replicas = Array.from({ length: s.replicas }, (_, i) => i);
    this.peerAddresses = replicas.map((i) => `${pod(i)}:${HTTP_PORT}`);
    this.url = `http://${name}.${ns}.svc.${domain}:${HTTP_PORT}`;
    const clustered = s.replicas > 1;

    configMap(this, 'config', { name: `${name}-config`, namespace: ns, component: 'alertmanager', instance, data: { 'alertmanager.yml': routing.yaml } });
    const hasTemplates = Object.keys(templates).length > 0;
    if (hasTemplates) configMap(this, 'templates', { name: `${name}-templates`, namespace: ns, component: 'alertmanager', instance, data: templates });
    const secrets = secretVolumes(secretRefs, ALERTMANAGER_SECRETS_DIR);

    const args = [
      `--config.file=${CONFIG_DIR}/alertmanager.yml`,
      '--storage.path=/alertmanager',
      `--data.retention=${s.dataRetention}`,
      `--web.listen-address=:${HTTP_PORT}`,
      // The external URL shapes links only: without --web.route-prefix a path in it moves every
      // endpoint under that path (app/app.go at v0.34.0: "Default routePrefix to externalURL path if
      // empty"), so the probes and Prometheus' /api/v2/alerts would 404. The reverse proxy strips the path.
      ...(s.externalUrl ? [`--web.external-url=${s.externalUrl}`, '--web.route-prefix=/'] : []),
      ...(clustered
        ? [
          `--cluster.listen-address=0.0.0.0:${CLUSTER_PORT}`,
          `--cluster.advertise-address=$(POD_IP):${CLUSTER_PORT}`,
          ...replicas.map((i) => `--cluster.peer=${pod(i)}:${CLUSTER_PORT}`),
        ]
        // An empty listen address turns clustering off; a lone replica would otherwise wait for peers.
        : ['--cluster.listen-address=']),
    ];

    this.workload = new Workload(this, 'workload', {
      kind: 'StatefulSet',
      component: 'alertmanager',
      instance,
      name,
      namespace: ns,
      replicas: s.replicas,
      spread: props.spread,
      podDisruptionBudget: props.podDisruptionBudget,
      imagePullPolicy: props.imagePullPolicy,
      // Alertmanager reloads on POST /-/reload only; the checksum rolls the pods when the routing
      // changes (one at a time, so a clustered Alertmanager keeps its silences).
      podAnnotations: { 'checksum/config': checksum({ config: routing.yaml, secrets: secretRefs, templates }) },
      containers: [{
        name: 'alertmanager',
        image: 'alertmanager',
        args,
        env: clustered ? [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] : undefined,
        ports: [
          { name: 'http-web', port: HTTP_PORT },
          ...(clustered ? [{ name: 'tcp-mesh', port: CLUSTER_PORT }, { name: 'udp-mesh', port: CLUSTER_PORT, protocol: 'UDP' as const }] : []),
        ],
        resources: s.resources,
        liveness: { path: '/-/healthy', port: 'http-web', failureThreshold: 10 },
        readiness: { path: '/-/ready', port: 'http-web', periodSeconds: 5 },
        volumeMounts: [
          { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
          { name: 'data', mountPath: '/alertmanager' },
          ...(hasTemplates ? [{ name: 'templates', mountPath: ALERTMANAGER_TEMPLATES_DIR, readOnly: true }] : []),
          ...secrets.mounts,
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: `${name}-config` } },
        ...(hasTemplates ? [{ name: 'templates', configMap: { name: `${name}-templates` } }] : []),
        ...secrets.volumes,
      ],
      volumeClaims: [{ name: 'data', size: s.storage.size, storageClassName: s.storage.storageClassName }],
      servicePorts: [
        { name: 'http-web', port: HTTP_PORT },
        ...(clustered ? [{ name: 'tcp-mesh', port: CLUSTER_PORT }, { name: 'udp-mesh', port: CLUSTER_PORT, protocol: 'UDP' as const }] : []),
      ],
      headless: true,
    });
    // Gossip is peer to peer through the headless Service (each pod by name); the ClusterIP Service,
    // which load-balances, carries the API and UI only.
    if (clustered) {
      const service = ApiObject.of(this.workload.node.findChild('service'));
      service.addJsonPatch(JsonPatch.remove('/spec/ports/2'), JsonPatch.remove('/spec/ports/1'));
    }
  }

  /** The ApiObjects of this Alertmanager: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }
}

/** The stack component: always deployed, with the typed routing; Prometheus, Loki and Grafana reach it. */
export const alertmanagerComponent: StackComponent = {
  name: 'alertmanager',
  enabled: () => true,
  jobNames: ['alertmanager'],
  scrapeJobs: (c) => [componentJob('alertmanager', c.namespaces.monitoring, 'http-web')],
  ingress: (c) => [
    { ports: [{ port: HTTP_PORT }], from: ['prometheus'] },
    ...(c.alertmanager.replicas > 1 ? [{ ports: [{ port: CLUSTER_PORT }, { port: CLUSTER_PORT, protocol: 'UDP' as const }], from: ['alertmanager'] }] : []),
    { ports: [{ port: HTTP_PORT }], from: ['loki'] },
    { ports: [{ port: HTTP_PORT }], from: ['grafana'] },
  ],
  // The cluster panels only for a gossip cluster: a lone replica has no alertmanager_cluster_* metrics.
  stackDashboards: (c) => [{ uid: STACK_DASHBOARD_UIDS.alertmanager, linkTitle: 'Alertmanager', build: (ctx) => alertmanagerDashboard(ctx, { clustered: c.alertmanager.replicas > 1 }) }],
  build: (ctx) => {
    const alertmanager = new Alertmanager(ctx.chart('alertmanager'), 'alertmanager', {
      ...ctx.common,
      namespace: ctx.config.namespaces.monitoring,
      clusterDomain: ctx.config.clusterDomain,
      settings: ctx.input.alertmanager,
    });
    // The routing's warnings (docs/routing.md, "What synth checks"), printed by synthSafely.
    const rules = alertRulesOf([...ctx.ruleFiles.prometheus, ...ctx.ruleFiles.loki].map((f) => f.content));
    for (const w of stackRoutingWarnings(alertmanager.settings.routing, rules, Object.keys(ctx.config.prometheus.externalLabels))) {
      alertmanager.node.addMetadata(SYNTH_WARNING, w);
    }
    return alertmanager;
  },
};
