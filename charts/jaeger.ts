import { Construct } from 'constructs';
import { checksum } from '../lib/render';
import { Workload, configMap, scratchVolume } from '../lib/workload';
import { JAEGER_CONFIG_DIR, JAEGER_DATA_DIR, JAEGER_PORTS, JAEGER_SECRETS_DIR, renderJaegerConfig, renderSamplingStrategies } from './jaeger-config';
import { secretVolumes } from './secret-volumes';
import { StackComponent } from './component';
import { componentJob } from './scrape-jobs';
import { ApiObject } from 'cdk8s';
import type { z } from 'zod';
import { apiObjectsOf } from './component';
import { jaegerSchema } from './config-logs';

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
    const secrets = secretVolumes(es?.password ? [es.password] : [], JAEGER_SECRETS_DIR);
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
