import { Construct } from 'constructs';
import YAML from 'yaml';
import { checksum } from '../lib/render';
import { partFileName, partName, splitGroupsDocument } from '../lib/configmap-budget';
import { dnsLabel } from '../lib/validators';
import { Workload, configMap, scratchVolume } from '../lib/workload';
import { LOKI_DATA_DIR, LOKI_GRPC_PORT, LOKI_PORT, LOKI_RULES_DIR, LOKI_S3_ENV, LOKI_TENANT, renderLokiConfig } from './loki-config';
import type { RuleFile } from './component';
import { logsRulePack } from '../alerts/packs/logs';
import { LOKI as LOKI_METRICS } from '../dashboards/metric-catalogue';
import { STACK_DASHBOARD_UIDS, lokiDashboard } from '../dashboards/stack';
import type { Alertmanager } from './alertmanager';
import { StackComponent } from './component';
import { componentJob } from './scrape-jobs';
import { ApiObject } from 'cdk8s';
import type { z } from 'zod';
import { apiObjectsOf } from './component';
import { lokiSchema } from './config-logs';

const CONFIG_DIR = '/etc/loki/config';

/** Properties of {@link Loki}. */
export interface LokiProps {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** DNS domain of the cluster, for its in-cluster addresses. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** The `loki` options of docs/configuration.md. @default - their defaults */
  readonly settings?: z.input<typeof lokiSchema>;
  /** The Alertmanagers its ruler notifies (every replica of each). @default - none */
  readonly alertmanagers?: readonly Alertmanager[];
  /** LogQL rule files for the ruler, each a standard `groups:` document. @default - none */
  readonly ruleFiles?: readonly RuleFile[];
  /** @default true */
  readonly podDisruptionBudget?: boolean;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
}

/**
 * Loki 3 as a single-binary StatefulSet. Everything it writes goes under `/var/loki` on the
 * PersistentVolumeClaim (WAL, index, compactor markers and, with filesystem storage, the chunks);
 * the root filesystem is read-only and `/tmp` is scratch. LogQL rule files are ConfigMaps labelled
 * for Loki, projected into the single tenant's rules directory; the ruler re-reads them every minute,
 * so a rule change needs no restart. The main configuration does not reload: its checksum rolls the pod.
 */
export class Loki extends Construct {
  /** In-cluster URL of the push API, for the node agents. */
  public readonly pushUrl: string;
  /** In-cluster base URL of the OTLP endpoint (`otlphttp` exporters append `/v1/logs`). */
  public readonly otlpUrl: string;
  /** In-cluster URL of its query API (Grafana's datasource). */
  public readonly url: string;
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: LokiProps = {}) {
    super(scope, id);
    const s = lokiSchema.parse(props.settings ?? {});
    const ns = props.namespace ?? 'monitoring';
    const base = `http://loki.${ns}.svc.${props.clusterDomain ?? 'cluster.local'}:${LOKI_PORT}`;
    this.pushUrl = `${base}/loki/api/v1/push`;
    this.otlpUrl = `${base}/otlp`;
    this.url = base;
    const ruleFiles = props.ruleFiles ?? [];
    checkRuleFiles(ruleFiles);

    const config = renderLokiConfig({ settings: s, alertmanagerUrls: (props.alertmanagers ?? []).flatMap((a) => a.peerAddresses).map((a) => `http://${a}`) });
    configMap(this, 'config', { name: 'loki-config', namespace: ns, component: 'loki', data: { 'config.yaml': config } });
    // A rule file too large for one ConfigMap (kubectl apply keeps each object in a 256 KiB
    // annotation) is cut between groups: `loki-rules-<file>-2`, … holding `<file>-2.yml`, ….
    const ruleConfigMaps = ruleFiles.flatMap((f) => splitGroupsDocument(f.content, (n) => partFileName(f.fileName, n), undefined, `Loki rule file ${f.fileName}`)
      .map((content, i) => {
        const name = partName(`loki-rules-${f.name}`, i + 1);
        configMap(this, i === 0 ? `rules-${f.name}` : `rules-${f.name}-part-${i + 1}`, {
          name, namespace: ns, component: 'loki', labels: { 'vigil.dev/rule-file': 'true' }, data: { [partFileName(f.fileName, i + 1)]: content },
        });
        return name;
      }));

    const s3 = s.storage.type === 's3' ? s.storage.s3 : undefined;
    this.workload = new Workload(this, 'workload', {
      kind: 'StatefulSet',
      component: 'loki',
      namespace: ns,
      imagePullPolicy: props.imagePullPolicy,
      podDisruptionBudget: props.podDisruptionBudget,
      podAnnotations: { 'checksum/config': checksum(config) },
      // Room to close the WAL and hand in-memory chunks over cleanly.
      terminationGracePeriodSeconds: 60,
      containers: [{
        name: 'loki',
        image: 'loki',
        args: [`-config.file=${CONFIG_DIR}/config.yaml`, '-target=all'],
        // The AWS SDK's own variables: the S3 credentials never pass through the configuration file.
        env: s3
          ? [
            { name: LOKI_S3_ENV.accessKeyId, valueFrom: { secretKeyRef: { name: s3.accessKeyId.name, key: s3.accessKeyId.key } } },
            { name: LOKI_S3_ENV.secretAccessKey, valueFrom: { secretKeyRef: { name: s3.secretAccessKey.name, key: s3.secretAccessKey.key } } },
          ]
          : undefined,
        ports: [{ name: 'http-metrics', port: LOKI_PORT }, { name: 'grpc', port: LOKI_GRPC_PORT }],
        resources: s.resources,
        readiness: { path: '/ready', port: 'http-metrics', initialDelaySeconds: 15 },
        liveness: { path: '/loki/api/v1/status/buildinfo', port: 'http-metrics', periodSeconds: 30, failureThreshold: 10 },
        volumeMounts: [
          { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
          { name: 'rules', mountPath: `${LOKI_RULES_DIR}/${LOKI_TENANT}`, readOnly: true },
          { name: 'data', mountPath: LOKI_DATA_DIR },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: 'loki-config' } },
        ruleFiles.length
          ? { name: 'rules', projected: { sources: ruleConfigMaps.map((name) => ({ configMap: { name } })) } }
          : scratchVolume('rules', '1Mi'),
        scratchVolume('tmp', '256Mi'),
      ],
      volumeClaims: [{ name: 'data', size: s.storage.size, storageClassName: s.storage.storageClassName }],
      servicePorts: [{ name: 'http-metrics', port: LOKI_PORT }],
      headless: true,
    });
  }

  /** Its ApiObjects: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }
}

/** Rule files must have distinct names and file names (they share one directory) and be `groups:` documents. */
function checkRuleFiles(files: readonly RuleFile[]): void {
  const byName = new Map<string, string>();
  const byFile = new Map<string, string>();
  for (const f of files) {
    const where = `Loki rule file "${f.name}"`;
    if (!dnsLabel.safeParse(f.name).success) throw new Error(`${where}: the name becomes ConfigMap loki-rules-${f.name}; use a DNS label such as "app-errors"`);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/.test(f.fileName)) throw new Error(`${where}: file name "${f.fileName}" must be a plain YAML file name such as "app-errors.yml"`);
    if (byName.has(f.name)) throw new Error(`${where}: the name is used twice; give each rule file its own name`);
    if (byFile.has(f.fileName)) throw new Error(`${where}: file "${f.fileName}" is used twice (also by "${byFile.get(f.fileName)}"); the ruler reads all files from one directory`);
    byName.set(f.name, f.fileName);
    byFile.set(f.fileName, f.name);
    let doc: unknown;
    try {
      doc = YAML.parse(f.content);
    } catch (err) {
      throw new Error(`${where}: content is not YAML: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { groups?: unknown }).groups)) {
      throw new Error(`${where}: content must be a rule document with a "groups:" list`);
    }
  }
}

/** The stack component: Loki with its ruler (the `logs` pack), reached by Prometheus, Grafana, the collector and the node agents. */
export const lokiComponent: StackComponent = {
  name: 'loki',
  enabled: (c) => c.loki.enabled,
  after: ['alertmanager'],
  jobNames: ['loki'],
  catalogues: [LOKI_METRICS],
  scrapeJobs: (c) => [componentJob('loki', c.namespaces.monitoring, 'http-metrics')],
  ingress: () => [{ ports: [{ port: LOKI_PORT }], from: ['prometheus', 'grafana', 'otel-collector'] }],
  telemetry: (c) => [
    ...(c.logs.agent !== 'none' ? [{ ports: [LOKI_PORT], from: { namespaces: [c.namespaces.agents], component: c.logs.agent } }] : []),
    ...(c.loki.pushFromNamespaces.length ? [{ ports: [LOKI_PORT], from: { namespaces: c.loki.pushFromNamespaces } }] : []),
  ],
  logRulePacks: () => [logsRulePack()],
  stackDashboards: () => [{ uid: STACK_DASHBOARD_UIDS.loki, linkTitle: 'Loki', build: lokiDashboard }],
  build: (ctx) => {
    const c = ctx.config;
    const alertmanager = ctx.built<Alertmanager>('alertmanager');
    return new Loki(ctx.chart('loki'), 'loki', {
      ...ctx.common, namespace: c.namespaces.monitoring, clusterDomain: c.clusterDomain, settings: ctx.input.loki,
      alertmanagers: alertmanager ? [alertmanager] : [], ruleFiles: ctx.ruleFiles.loki,
    });
  },
};
