import { secretFilePath } from '../lib/validators';
import { StackConfig, durationSeconds } from './config';
import { toYaml } from '../lib/render';

/** Jaeger's ports. */
export const JAEGER_PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  query: 16686,
  sampling: 5778,
  health: 13133,
  metrics: 8888,
} as const;

/** Where the Badger volume is mounted. */
export const JAEGER_DATA_DIR = '/badger';
/** Largest OTLP gRPC message Jaeger accepts, in MiB: above the collector's largest batch (grpc-go's default is 4). */
export const JAEGER_MAX_RECV_MSG_MIB = 32;

/** Where Secret keys (the Elasticsearch password and CA bundle) are mounted. */
export const JAEGER_SECRETS_DIR = '/etc/jaeger/secrets';
/** Where the configuration ConfigMap is mounted: `config.yaml` and `sampling.json`. */
export const JAEGER_CONFIG_DIR = '/etc/jaeger/config';

/**
 * A Prometheus-style duration (`7d`) as a Go duration (`168h`): Jaeger's and the collector's
 * duration fields are Go `time.Duration`s, which know no days.
 */
export function goDuration(promDuration: string): string {
  const s = durationSeconds(promDuration);
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return Number.isInteger(s) ? `${s}s` : `${Math.round(s * 1000)}ms`;
}

/**
 * Jaeger v2's configuration (it is an OpenTelemetry Collector distribution): OTLP in, one storage
 * backend (Badger on the volume, never ephemeral, or Elasticsearch/OpenSearch), the query UI/API,
 * file-based sampling strategies served to apps, health and its own Prometheus metrics. Every
 * listener binds 0.0.0.0: Jaeger's defaults are localhost once a config file is given.
 */
export function renderJaegerConfig(settings: StackConfig['jaeger']): string {
  const es = settings.storage.type === 'elasticsearch' ? settings.storage.elasticsearch : undefined;
  const backend = es
    ? {
      elasticsearch: {
        server_urls: es.urls,
        // Daily indices (Jaeger's default periodic rotation); the es-index-cleaner CronJob deletes
        // those older than the ttl (charts/jaeger.ts).
        indices: { index_prefix: es.indexPrefix },
        // Reads look back this far (Jaeger's default is 72h): the whole retention, so trace links from
        // logs and exemplars keep working (jaegertracing/jaeger v2.20.0
        // internal/storage/elasticsearch/config/config.go, Configuration.MaxSpanAge).
        max_span_age: goDuration(settings.ttl),
        // A private CA (configtls.ClientConfig `ca_file`, the `tls` field of the same struct).
        ...(es.caCert ? { tls: { ca_file: secretFilePath(JAEGER_SECRETS_DIR, es.caCert) } } : {}),
        ...(es.username && es.password
          ? { auth: { basic: { username: es.username, password_file: secretFilePath(JAEGER_SECRETS_DIR, es.password) } } }
          : {}),
      },
    }
    : {
      badger: {
        directories: { keys: `${JAEGER_DATA_DIR}/keys`, values: `${JAEGER_DATA_DIR}/values` },
        // The default is an in-memory store that loses every trace on restart.
        ephemeral: false,
        ttl: { spans: goDuration(settings.ttl) },
      },
    };
  const listen = (port: number) => ({ endpoint: `0.0.0.0:${port}` });
  return toYaml({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'remote_sampling', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: {
        resource: { 'service.name': 'jaeger' },
        metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: JAEGER_PORTS.metrics } } } }] },
        logs: { level: 'info' },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: listen(JAEGER_PORTS.health) },
      jaeger_query: { storage: { traces: 'main' }, http: listen(JAEGER_PORTS.query) },
      jaeger_storage: { backends: { main: backend } },
      // Re-read every minute, so a sampling change applies without a restart.
      remote_sampling: { file: { path: `${JAEGER_CONFIG_DIR}/sampling.json`, reload_interval: '1m' }, http: listen(JAEGER_PORTS.sampling) },
    },
    receivers: {
      otlp: {
        protocols: {
          // grpc-go refuses larger messages with ResourceExhausted, which the sender does not retry
          // (opentelemetry-collector v0.158.0 config/configgrpc/configgrpc.go, ServerConfig.MaxRecvMsgSizeMiB).
          grpc: { ...listen(JAEGER_PORTS.otlpGrpc), max_recv_msg_size_mib: JAEGER_MAX_RECV_MSG_MIB },
          http: listen(JAEGER_PORTS.otlpHttp),
        },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'main' } },
  });
}

/**
 * The sampling strategies Jaeger serves on port 5778 to apps using the Jaeger remote sampler:
 * a default probability and per-service overrides, in Jaeger's strategies file format.
 */
export function renderSamplingStrategies(sampling: StackConfig['jaeger']['sampling']): string {
  const services = Object.keys(sampling.services).sort();
  return `${JSON.stringify({
    default_strategy: { type: 'probabilistic', param: sampling.probability },
    service_strategies: services.map((service) => ({ service, type: 'probabilistic', param: sampling.services[service] })),
  }, null, 2)}\n`;
}
