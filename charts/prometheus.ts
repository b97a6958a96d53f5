import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { StackConfig } from './config';
import { componentLabels } from '../lib/labels';
import { Workload, configMap } from '../lib/workload';
import { PROMETHEUS_RULES_DIR, PROMETHEUS_SECRETS_DIR, renderPrometheusConfig } from './prometheus-config';
import { ScrapeJob } from './scrape-jobs';
import { secretVolumes } from './secret-volumes';

/** A rendered rule file and the ConfigMap it lives in. */
export interface RuleFile {
  /** Short name (the rule pack); the ConfigMap is `prometheus-rules-<name>`. */
  readonly name: string;
  /** File name inside the rules directory, e.g. `node.yml`. */
  readonly fileName: string;
  /** A standard `groups:` document. */
  readonly content: string;
}

/** Properties of {@link Prometheus}. */
export interface PrometheusProps {
  readonly namespace: string;
  /** The resolved `prometheus` section of the stack configuration. */
  readonly settings: StackConfig['prometheus'];
  /** Scrape jobs, in order. */
  readonly jobs: ScrapeJob[];
  /** host:port of every Alertmanager replica. */
  readonly alertmanagers: string[];
  /** @default - no rule files */
  readonly ruleFiles?: RuleFile[];
  /** @default 'none' */
  readonly spread?: StackConfig['spread'];
  /** @default true */
  readonly podDisruptionBudget?: boolean;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
}

const CONFIG_DIR = '/etc/prometheus/config';
const REPLICA_LABEL = 'prometheus_replica';

/**
 * Prometheus v3 as a StatefulSet: TSDB on a PersistentVolumeClaim with retention by time and size,
 * configuration and rule files reloaded live (`--config.auto-reload` checksums both, so an edit needs
 * no restart and no WAL replay), RBAC for discovery only. With more than one replica each scrapes
 * everything on its own; they differ only in the `prometheus_replica` external label.
 */
export class Prometheus extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    const s = props.settings;
    const ns = props.namespace;
    const replicated = s.replicas > 1;
    const ruleFiles = props.ruleFiles ?? [];

    const config = renderPrometheusConfig({
      scrapeInterval: s.scrapeInterval,
      scrapeTimeout: s.scrapeTimeout,
      evaluationInterval: s.evaluationInterval,
      externalLabels: s.externalLabels,
      replicaLabel: replicated ? REPLICA_LABEL : undefined,
      alertmanagers: props.alertmanagers,
      jobs: props.jobs,
      remoteWrite: s.remoteWrite,
    });
    configMap(this, 'config', { name: 'prometheus-config', namespace: ns, component: 'prometheus', data: { 'prometheus.yml': config } });
    ruleFiles.forEach((f) => configMap(this, `rules-${f.name}`, {
      name: `prometheus-rules-${f.name}`,
      namespace: ns,
      component: 'prometheus',
      labels: { 'vigil.dev/rule-file': 'true' },
      data: { [f.fileName]: f.content },
    }));

    const secretRefs = s.remoteWrite.flatMap((rw) => [rw.basicAuth?.password, rw.bearerToken].filter((r) => r !== undefined));
    const secrets = secretVolumes(secretRefs, PROMETHEUS_SECRETS_DIR);

    const args = [
      `--config.file=${CONFIG_DIR}/prometheus.yml`,
      '--config.auto-reload',
      '--web.listen-address=:9090',
      // No --web.enable-lifecycle: auto-reload makes /-/reload unnecessary, and /-/quit would let
      // anything that reaches port 9090 stop Prometheus.
      '--storage.tsdb.path=/prometheus',
      // Flags rather than the v3.8+ `storage.tsdb.retention` config block keep prometheus.yml valid for
      // every Prometheus 2.x/3.x promtool as well.
      `--storage.tsdb.retention.time=${s.retentionTime}`,
      `--storage.tsdb.retention.size=${s.retentionSize}`,
      '--storage.tsdb.wal-compression',
      // Keeps trace ids attached to histogram samples, so a latency spike in Grafana links to a trace.
      '--enable-feature=exemplar-storage',
      ...(s.externalUrl ? [`--web.external-url=${s.externalUrl}`] : []),
    ];

    this.workload = new Workload(this, 'workload', {
      kind: 'StatefulSet',
      component: 'prometheus',
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
        ports: [{ name: 'http-web', port: 9090 }],
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
        { name: 'config', configMap: { name: 'prometheus-config' } },
        ruleFiles.length
          ? { name: 'rules', projected: { sources: ruleFiles.map((f) => ({ configMap: { name: `prometheus-rules-${f.name}` } })) } }
          : { name: 'rules', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
        ...secrets.volumes,
      ],
      volumeClaims: [{ name: 'data', size: s.storage.size, storageClassName: s.storage.storageClassName }],
      servicePorts: [{ name: 'http-web', port: 9090 }],
      headless: true,
    });

    this.addDiscoveryRbac(ns);
  }

  /** Read-only access to exactly what Kubernetes service discovery and the kubelet jobs read. */
  private addDiscoveryRbac(namespace: string): void {
    const labels = componentLabels('prometheus');
    const name = `vigil-prometheus-${namespace}`;
    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name, labels },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { nonResourceUrLs: ['/metrics', '/metrics/cadvisor'], verbs: ['get'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: this.workload.serviceAccountName, namespace }],
    });
  }
}
