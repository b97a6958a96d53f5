import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { durationSeconds } from '../lib/duration';
import { componentLabels } from '../lib/labels';
import { checksum } from '../lib/render';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../lib/security';
import { secretFilePath } from '../lib/validators';
import { Workload, configMap, scratchVolume } from '../lib/workload';
import { JAEGER_CONFIG_DIR, JAEGER_DATA_DIR, JAEGER_PORTS, JAEGER_SECRETS_DIR, renderJaegerConfig, renderSamplingStrategies } from './jaeger-config';
import { secretVolumes } from './secret-volumes';
import { StackComponent } from './component';
import { componentJob } from './scrape-jobs';
import { ApiObject } from 'cdk8s';
import type { z } from 'zod';
import { apiObjectsOf } from './component';
import { jaegerSchema } from './config-logs';

type JaegerSettings = z.output<typeof jaegerSchema>;

/** Jaeger's index cleaner, released with Jaeger from the same tag (scripts/build/build-upload-docker-images.sh); USER 10001. */
export const ES_INDEX_CLEANER = { image: 'docker.io/jaegertracing/jaeger-es-index-cleaner:2.20.0', user: 10001 } as const;

/** Properties of {@link Jaeger}. */
export interface JaegerProps {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** DNS domain of the cluster, for its in-cluster addresses. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** The `jaeger` options of docs/configuration.md. @default - their defaults */
  readonly settings?: z.input<typeof jaegerSchema>;
  /** @default true */
  readonly podDisruptionBudget?: boolean;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
}

/**
 * Jaeger v2 (`jaegertracing/jaeger`, one binary with a YAML configuration) as a one-replica
 * StatefulSet: OTLP on 4317/4318, the UI and query API on 16686, sampling strategies on 5778, its own
 * metrics on 8888. Badger keeps spans on the PersistentVolumeClaim for `ttl`; with Elasticsearch the
 * claim is dropped and the password is read from a mounted Secret key. The configuration does not
 * reload (its checksum rolls the pod); the sampling file does, every minute.
 */
export class Jaeger extends Construct {
  /** host:port of the OTLP gRPC receiver, for the collector. */
  public readonly otlpGrpcEndpoint: string;
  /** In-cluster URL of its query API (Grafana's datasource). */
  public readonly queryUrl: string;
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: JaegerProps = {}) {
    super(scope, id);
    const s = jaegerSchema.parse(props.settings ?? {});
    const ns = props.namespace ?? 'monitoring';
    const domain = props.clusterDomain ?? 'cluster.local';
    this.otlpGrpcEndpoint = `jaeger.${ns}.svc.${domain}:${JAEGER_PORTS.otlpGrpc}`;
    this.queryUrl = `http://jaeger.${ns}.svc.${domain}:${JAEGER_PORTS.query}`;
    const config = renderJaegerConfig(s);
    configMap(this, 'config', {
      name: 'jaeger-config',
      namespace: ns,
      component: 'jaeger',
      data: { 'config.yaml': config, 'sampling.json': renderSamplingStrategies(s.sampling) },
    });
    const es = s.storage.type === 'elasticsearch' ? s.storage.elasticsearch : undefined;
    const secrets = secretVolumes([es?.password, es?.caCert].filter((r) => r !== undefined), JAEGER_SECRETS_DIR);
    const badger = !es;

    const ports = [
      { name: 'otlp-grpc', port: JAEGER_PORTS.otlpGrpc },
      { name: 'otlp-http', port: JAEGER_PORTS.otlpHttp },
      { name: 'http-query', port: JAEGER_PORTS.query },
      { name: 'http-sampling', port: JAEGER_PORTS.sampling },
      { name: 'http-metrics', port: JAEGER_PORTS.metrics },
    ];
    this.workload = new Workload(this, 'workload', {
      kind: 'StatefulSet',
      component: 'jaeger',
      namespace: ns,
      imagePullPolicy: props.imagePullPolicy,
      podDisruptionBudget: props.podDisruptionBudget,
      podAnnotations: { 'checksum/config': checksum(config) },
      containers: [{
        name: 'jaeger',
        image: 'jaeger',
        args: ['--config', `${JAEGER_CONFIG_DIR}/config.yaml`],
        ports: [...ports, { name: 'health', port: JAEGER_PORTS.health }],
        resources: s.resources,
        readiness: { path: '/status', port: 'health' },
        liveness: { path: '/status', port: 'health', periodSeconds: 15, failureThreshold: 5 },
        volumeMounts: [
          { name: 'config', mountPath: JAEGER_CONFIG_DIR, readOnly: true },
          ...(badger ? [{ name: 'data', mountPath: JAEGER_DATA_DIR }] : []),
          { name: 'tmp', mountPath: '/tmp' },
          ...secrets.mounts,
        ],
      }],
      volumes: [{ name: 'config', configMap: { name: 'jaeger-config' } }, scratchVolume('tmp'), ...secrets.volumes],
      volumeClaims: badger ? [{ name: 'data', size: s.storage.size, storageClassName: s.storage.storageClassName }] : [],
      servicePorts: ports,
      headless: true,
    });
    if (es) this.addIndexCleaner(ns, es, s.ttl, props.imagePullPolicy ?? 'IfNotPresent');
  }

  /**
   * Retention on Elasticsearch/OpenSearch: Jaeger writes one index per day and deletes none, so a
   * daily CronJob runs Jaeger's own `es-index-cleaner` (jaegertracing/jaeger v2.20.0
   * cmd/es-index-cleaner: `NUM_OF_DAYS URL`, `--index-prefix`, `--es.tls.*`; flags also read from
   * the environment, internal/config/config.go, so the password comes from the Secret as ES_PASSWORD).
   * Its pods carry their own name label, so the Jaeger Service never selects them.
   */
  private addIndexCleaner(namespace: string, es: NonNullable<JaegerSettings['storage']['elasticsearch']>, ttl: string, pullPolicy: string): void {
    const name = 'jaeger-es-index-cleaner';
    const labels = componentLabels(name);
    const days = Math.max(1, Math.ceil(durationSeconds(ttl) / 86400));
    const https = es.urls[0].startsWith('https://');
    const secrets = secretVolumes(es.caCert ? [es.caCert] : [], JAEGER_SECRETS_DIR);
    new k8s.KubeCronJob(this, 'es-index-cleaner', {
      metadata: { name, namespace, labels },
      spec: {
        // After midnight UTC, when the previous day's index stops receiving writes.
        schedule: '15 0 * * *',
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 3,
            ttlSecondsAfterFinished: 86400,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'OnFailure',
                automountServiceAccountToken: false,
                securityContext: restrictedPodSecurityContext(ES_INDEX_CLEANER.user),
                containers: [{
                  name: 'es-index-cleaner',
                  image: ES_INDEX_CLEANER.image,
                  imagePullPolicy: pullPolicy,
                  args: [
                    String(days),
                    es.urls[0],
                    `--index-prefix=${es.indexPrefix}`,
                    ...(https ? ['--es.tls.enabled=true'] : []),
                    ...(es.caCert ? [`--es.tls.ca=${secretFilePath(JAEGER_SECRETS_DIR, es.caCert)}`] : []),
                  ],
                  env: es.username && es.password
                    ? [
                      { name: 'ES_USERNAME', value: es.username },
                      { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: es.password.name, key: es.password.key } } },
                    ]
                    : undefined,
                  resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') }, limits: { memory: k8s.Quantity.fromString('128Mi') } },
                  securityContext: restrictedContainerSecurityContext(ES_INDEX_CLEANER.user),
                  volumeMounts: secrets.mounts.length ? secrets.mounts : undefined,
                  terminationMessagePolicy: 'FallbackToLogsOnError',
                }],
                volumes: secrets.volumes.length ? secrets.volumes : undefined,
              },
            },
          },
        },
      },
    });
  }

  /** Its ApiObjects: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }
}

/** The stack component: Jaeger v2, reached by Prometheus (metrics), Grafana (queries) and apps anywhere (OTLP, sampling). */
export const jaegerComponent: StackComponent = {
  name: 'jaeger',
  enabled: (c) => c.jaeger.enabled,
  jobNames: ['jaeger'],
  scrapeJobs: (c) => [componentJob('jaeger', c.namespaces.monitoring, 'http-metrics')],
  ingress: () => [{ ports: [{ port: JAEGER_PORTS.metrics }], from: ['prometheus'] }, { ports: [{ port: JAEGER_PORTS.query }], from: ['grafana'] }],
  telemetry: () => [{ ports: [JAEGER_PORTS.otlpGrpc, JAEGER_PORTS.otlpHttp, JAEGER_PORTS.sampling], from: { allNamespaces: true } }],
  build: (ctx) => new Jaeger(ctx.chart('jaeger'), 'jaeger', {
    ...ctx.common, namespace: ctx.config.namespaces.monitoring, clusterDomain: ctx.config.clusterDomain, settings: ctx.input.jaeger,
  }),
};
