import { Construct } from 'constructs';
import { StackConfig } from './config';
import { checksum } from '../lib/render';
import { Workload, configMap, scratchVolume } from '../lib/workload';
import { OTEL_COLLECTOR_PORTS, renderOtelCollectorConfig } from './otel-collector-config';
import { StackComponent } from './component';
import type { Jaeger } from './jaeger';
import type { Loki } from './loki';
import { componentJob } from './scrape-jobs';
import { ApiObject } from 'cdk8s';
import type { z } from 'zod';
import { apiObjectsOf } from './component';
import { logsSchema, otelCollectorSchema } from './config-logs';

/** Properties of {@link OtelCollector}. */
export interface OtelCollectorProps {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** The `otelCollector` options of docs/configuration.md. @default - their defaults */
  readonly settings?: z.input<typeof otelCollectorSchema>;
  /** The Jaeger it forwards traces to. @default - no trace pipeline */
  readonly jaeger?: Jaeger;
  /** The Loki it forwards logs to. @default - no log pipeline */
  readonly loki?: Loki;
  /** The `logs` options (redaction fields, app streams), applied to OTLP logs as the node agents apply them. @default - their defaults */
  readonly logs?: z.input<typeof logsSchema>;
  /** @default 'none' */
  readonly spread?: StackConfig['spread'];
  /** @default true */
  readonly podDisruptionBudget?: boolean;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
}

/**
 * An OpenTelemetry Collector gateway (contrib distribution) as a stateless Deployment: apps send OTLP
 * to `otel-collector:4317/4318`, the collector samples and batches, then forwards. It has no reload
 * endpoint, so the configuration's checksum rolls the pods.
 */
export class OtelCollector extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: OtelCollectorProps = {}) {
    super(scope, id);
    const s = otelCollectorSchema.parse(props.settings ?? {});
    const namespace = props.namespace ?? 'monitoring';
    const config = renderOtelCollectorConfig({ settings: s, jaegerOtlpEndpoint: props.jaeger?.otlpGrpcEndpoint, lokiOtlpUrl: props.loki?.otlpUrl, logs: logsSchema.parse(props.logs ?? {}) });
    configMap(this, 'config', { name: 'otel-collector-config', namespace, component: 'otel-collector', data: { 'relay.yaml': config } });
    const ports = [
      { name: 'otlp-grpc', port: OTEL_COLLECTOR_PORTS.otlpGrpc },
      { name: 'otlp-http', port: OTEL_COLLECTOR_PORTS.otlpHttp },
      { name: 'http-metrics', port: OTEL_COLLECTOR_PORTS.metrics },
      { name: 'http-exporter', port: OTEL_COLLECTOR_PORTS.exporter },
    ];
    this.workload = new Workload(this, 'workload', {
      kind: 'Deployment',
      component: 'otel-collector',
      namespace,
      replicas: s.replicas,
      spread: props.spread,
      imagePullPolicy: props.imagePullPolicy,
      podDisruptionBudget: props.podDisruptionBudget,
      podAnnotations: { 'checksum/config': checksum(config) },
      // The k8sattributes processor watches pods to find each sender's namespace, pod and node.
      automountServiceAccountToken: true,
      containers: [{
        name: 'otel-collector',
        image: 'otelCollector',
        args: ['--config=/conf/relay.yaml'],
        ports: [...ports, { name: 'health', port: OTEL_COLLECTOR_PORTS.health }],
        resources: s.resources,
        readiness: { path: '/', port: 'health' },
        liveness: { path: '/', port: 'health', periodSeconds: 15 },
        volumeMounts: [{ name: 'config', mountPath: '/conf', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [{ name: 'config', configMap: { name: 'otel-collector-config' } }, scratchVolume('tmp')],
      servicePorts: ports,
    });

    // Read-only pods and namespaces, what the k8sattributes processor watches
    // (opentelemetry-collector-contrib v0.158.0 processor/k8sattributesprocessor/README.md, "Cluster-scoped RBAC").
    this.workload.addClusterRole([{ apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['get', 'list', 'watch'] }]);
  }

  /** Its ApiObjects: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }
}

/** The stack component: the OTLP gateway in front of Jaeger and Loki, and the apps' OTLP metrics for Prometheus. */
export const otelCollectorComponent: StackComponent = {
  name: 'otel-collector',
  enabled: (c) => c.otelCollector.enabled,
  after: ['jaeger', 'loki'],
  jobNames: ['otel-collector', 'otel-collector-apps'],
  scrapeJobs: (c) => [
    componentJob('otel-collector', c.namespaces.monitoring, 'http-metrics'),
    // Metrics apps sent over OTLP: honor_labels keeps the job/instance their service.name and
    // service.instance.id give them, and the namespace/pod/node of the app's pod (the collector's
    // k8sattributes processor). The collector's own namespace/service/pod/node are removed and its
    // instance is one constant, so every replica exposes an app's series under the same labels and
    // Prometheus keeps one copy (see send_timestamps in charts/otel-collector-config.ts).
    componentJob('otel-collector', c.namespaces.monitoring, 'http-exporter', {
      job: 'otel-collector-apps', honorLabels: true, trackTimestampsStaleness: true, labels: { namespace: '', service: '', pod: '', node: '', instance: 'otel-collector' },
    }),
  ],
  ingress: () => [{ ports: [{ port: OTEL_COLLECTOR_PORTS.metrics }, { port: OTEL_COLLECTOR_PORTS.exporter }], from: ['prometheus'] }],
  telemetry: () => [{ ports: [OTEL_COLLECTOR_PORTS.otlpGrpc, OTEL_COLLECTOR_PORTS.otlpHttp], from: { allNamespaces: true } }],
  build: (ctx) => new OtelCollector(ctx.chart('otel-collector'), 'otel-collector', {
    ...ctx.common, namespace: ctx.config.namespaces.monitoring, settings: ctx.input.otelCollector,
    jaeger: ctx.built<Jaeger>('jaeger'), loki: ctx.built<Loki>('loki'), logs: ctx.input.logs,
  }),
};
