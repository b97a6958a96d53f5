import { Construct } from 'constructs';
import { StackConfig } from './config';
import { checksum } from '../lib/render';
import { SecretKeyRef } from '../lib/validators';
import { Workload, configMap } from '../lib/workload';
import { secretVolumes } from './secret-volumes';

/** Where Alertmanager finds mounted Secret keys: `<dir>/<secret name>/<key>`. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';
/** Where notification template files are mounted. */
export const ALERTMANAGER_TEMPLATES_DIR = '/etc/alertmanager/templates';
const CONFIG_DIR = '/etc/alertmanager/config';
const HTTP_PORT = 9093;
const CLUSTER_PORT = 9094;

/** Properties of {@link Alertmanager}. */
export interface AlertmanagerProps {
  readonly namespace: string;
  readonly clusterDomain: string;
  /** The resolved `alertmanager` section of the stack configuration. */
  readonly settings: StackConfig['alertmanager'];
  /** The rendered `alertmanager.yml`; it must not contain secret values, only `*_file` paths. */
  readonly config: string;
  /** Secret keys the configuration reads through `*_file` under {@link ALERTMANAGER_SECRETS_DIR}. @default - none */
  readonly secrets?: SecretKeyRef[];
  /** Notification templates, file name → content, mounted at {@link ALERTMANAGER_TEMPLATES_DIR}. @default - none */
  readonly templates?: Record<string, string>;
  /** @default 'none' */
  readonly spread?: StackConfig['spread'];
  /** @default true */
  readonly podDisruptionBudget?: boolean;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
}

/**
 * Alertmanager as a StatefulSet with a volume for silences and the notification log. With more than
 * one replica the pods form a gossip cluster over 9094 TCP+UDP through the headless Service, and
 * Prometheus sends every alert to each of them ({@link Alertmanager.peerAddresses}).
 */
export class Alertmanager extends Construct {
  /** host:port of every replica, the list Prometheus alerts. */
  public readonly peerAddresses: string[];
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: AlertmanagerProps) {
    super(scope, id);
    const s = props.settings;
    const ns = props.namespace;
    const pod = (i: number) => `alertmanager-${i}.alertmanager-headless.${ns}.svc.${props.clusterDomain}`;
    const replicas = Array.from({ length: s.replicas }, (_, i) => i);
    this.peerAddresses = replicas.map((i) => `${pod(i)}:${HTTP_PORT}`);
    const clustered = s.replicas > 1;

    configMap(this, 'config', { name: 'alertmanager-config', namespace: ns, component: 'alertmanager', data: { 'alertmanager.yml': props.config } });
    const templates = props.templates ?? {};
    const hasTemplates = Object.keys(templates).length > 0;
    if (hasTemplates) configMap(this, 'templates', { name: 'alertmanager-templates', namespace: ns, component: 'alertmanager', data: templates });
    const secrets = secretVolumes(props.secrets ?? [], ALERTMANAGER_SECRETS_DIR);

    const args = [
      `--config.file=${CONFIG_DIR}/alertmanager.yml`,
      '--storage.path=/alertmanager',
      `--data.retention=${s.dataRetention}`,
      `--web.listen-address=:${HTTP_PORT}`,
      ...(s.externalUrl ? [`--web.external-url=${s.externalUrl}`] : []),
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
      namespace: ns,
      replicas: s.replicas,
      spread: props.spread,
      podDisruptionBudget: props.podDisruptionBudget,
      imagePullPolicy: props.imagePullPolicy,
      // Alertmanager reloads on POST /-/reload only; the checksum rolls the pods when the routing
      // changes (one at a time, so a clustered Alertmanager keeps its silences).
      podAnnotations: { 'checksum/config': checksum({ config: props.config, secrets: props.secrets ?? [], templates }) },
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
        { name: 'config', configMap: { name: 'alertmanager-config' } },
        ...(hasTemplates ? [{ name: 'templates', configMap: { name: 'alertmanager-templates' } }] : []),
        ...secrets.volumes,
      ],
      volumeClaims: [{ name: 'data', size: s.storage.size, storageClassName: s.storage.storageClassName }],
      servicePorts: [
        { name: 'http-web', port: HTTP_PORT },
        ...(clustered ? [{ name: 'tcp-mesh', port: CLUSTER_PORT }, { name: 'udp-mesh', port: CLUSTER_PORT, protocol: 'UDP' as const }] : []),
      ],
      headless: true,
    });
  }
}
