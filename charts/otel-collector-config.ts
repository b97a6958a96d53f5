import { StackConfig, durationSeconds } from './config';
import { toYaml } from '../lib/render';
import { goDuration } from './jaeger-config';

/** The collector's ports. */
export const OTEL_COLLECTOR_PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  /** The collector's own metrics. */
  metrics: 8888,
  /** Metrics apps sent, exposed for Prometheus to scrape. */
  exporter: 8889,
  health: 13133,
} as const;

/** Options of {@link renderOtelCollectorConfig}. */
export interface OtelCollectorConfigOptions {
  /** The resolved `otelCollector` section. */
  readonly settings: StackConfig['otelCollector'];
  /** Jaeger's OTLP gRPC `host:port`; no trace pipeline when Jaeger is off. */
  readonly jaegerOtlpEndpoint?: string;
  /** Loki's OTLP base URL; no log pipeline when Loki is off. */
  readonly lokiOtlpUrl?: string;
}

/**
 * The gateway's configuration: OTLP in; memory limiter first (it refuses data before the pod is
 * OOM-killed), then sampling, then batching; traces to Jaeger over OTLP, logs to Loki's OTLP
 * endpoint, metrics exposed by the `prometheus` exporter for Prometheus to scrape.
 *
 * Metrics are pulled rather than remote-written: Prometheus stays the only writer of its TSDB, needs
 * no receiver flag, and replicated Prometheus servers each scrape the same series (as they do for
 * every other target) instead of the collector having to write to each of them.
 */
export function renderOtelCollectorConfig(o: OtelCollectorConfigOptions): string {
  const s = o.settings.sampling;
  const listen = (port: number) => ({ endpoint: `0.0.0.0:${port}` });
  const sampler = s.mode === 'probabilistic'
    ? { probabilistic_sampler: { sampling_percentage: s.percentage } }
    : s.mode === 'tail'
      ? {
        tail_sampling: {
          decision_wait: goDuration(s.decisionWait),
          num_traces: 50000,
          // Any policy that samples keeps the trace.
          policies: [
            { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
            { name: 'slow', type: 'latency', latency: { threshold_ms: Math.round(durationSeconds(s.slowerThan) * 1000) } },
            { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: s.percentage } },
          ],
        },
      }
      : {};
  const samplerName = Object.keys(sampler);
  const pipelines: Record<string, unknown> = {};
  if (o.jaegerOtlpEndpoint) pipelines.traces = { receivers: ['otlp'], processors: ['memory_limiter', ...samplerName, 'batch'], exporters: ['otlp/jaeger'] };
  pipelines.metrics = { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['prometheus'] };
  if (o.lokiOtlpUrl) pipelines.logs = { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlphttp/loki'] };
  return toYaml({
    extensions: { health_check: listen(OTEL_COLLECTOR_PORTS.health) },
    receivers: { otlp: { protocols: { grpc: listen(OTEL_COLLECTOR_PORTS.otlpGrpc), http: listen(OTEL_COLLECTOR_PORTS.otlpHttp) } } },
    processors: {
      // Limits are a share of the container's memory limit.
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
      ...sampler,
      batch: {},
    },
    exporters: {
      ...(o.jaegerOtlpEndpoint ? { 'otlp/jaeger': { endpoint: o.jaegerOtlpEndpoint, tls: { insecure: true } } } : {}),
      ...(o.lokiOtlpUrl ? { 'otlphttp/loki': { endpoint: o.lokiOtlpUrl } } : {}),
      // Series of an app that stopped sending disappear after this.
      prometheus: { endpoint: `0.0.0.0:${OTEL_COLLECTOR_PORTS.exporter}`, metric_expiration: '5m' },
    },
    service: {
      extensions: ['health_check'],
      telemetry: { metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: OTEL_COLLECTOR_PORTS.metrics } } } }] } },
      pipelines,
    },
  });
}
