import { Construct } from 'constructs';
import { StackConfig } from './config';
import { checksum } from '../lib/render';
import { Workload, configMap, scratchVolume } from '../lib/workload';
import { OTEL_COLLECTOR_PORTS, renderOtelCollectorConfig } from './otel-collector-config';

/** Properties of {@link OtelCollector}. */
export interface OtelCollectorProps {
  readonly namespace: string;
  /** The resolved `otelCollector` section of the stack configuration. */
  readonly settings: StackConfig['otelCollector'];
  /** Jaeger's OTLP gRPC `host:port`. @default - no trace pipeline */
  readonly jaegerOtlpEndpoint?: string;
  /** Loki's OTLP base URL. @default - no log pipeline */
  readonly lokiOtlpUrl?: string;
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

  constructor(scope: Construct, id: string, props: OtelCollectorProps) {
    super(scope, id);
    const s = props.settings;
    const config = renderOtelCollectorConfig({ settings: s, jaegerOtlpEndpoint: props.jaegerOtlpEndpoint, lokiOtlpUrl: props.lokiOtlpUrl });
    configMap(this, 'config', { name: 'otel-collector-config', namespace: props.namespace, component: 'otel-collector', data: { 'relay.yaml': config } });
    const ports = [
      { name: 'otlp-grpc', port: OTEL_COLLECTOR_PORTS.otlpGrpc },
      { name: 'otlp-http', port: OTEL_COLLECTOR_PORTS.otlpHttp },
      { name: 'http-metrics', port: OTEL_COLLECTOR_PORTS.metrics },
      { name: 'http-exporter', port: OTEL_COLLECTOR_PORTS.exporter },
    ];
    this.workload = new Workload(this, 'workload', {
      kind: 'Deployment',
      component: 'otel-collector',
      namespace: props.namespace,
      replicas: s.replicas,
      spread: props.spread,
      imagePullPolicy: props.imagePullPolicy,
      podDisruptionBudget: props.podDisruptionBudget,
      podAnnotations: { 'checksum/config': checksum(config) },
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
  }
}
