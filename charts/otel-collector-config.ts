import { StackConfig, durationSeconds } from './config';
import { toYaml } from '../lib/render';
import { JAEGER_MAX_RECV_MSG_MIB, goDuration } from './jaeger-config';
import { LOG_LEVELS, UNKNOWN_LEVEL } from '../lib/log-pipeline';
import { ottlRedactions, redactedKeyPattern } from '../lib/redaction-ottl';

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
  /**
   * The `logs` section: the redaction fields and app streams the node agents use, applied to OTLP
   * logs too. @default - the built-in redaction, no app streams
   */
  readonly logs?: { readonly redactFields: readonly string[]; readonly streams: readonly string[] };
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
  // A sampler only where a traces pipeline uses it (there is none without Jaeger).
  const sampler = !o.jaegerOtlpEndpoint
    ? {}
    : s.mode === 'probabilistic'
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
  if (o.jaegerOtlpEndpoint) pipelines.traces = { receivers: ['otlp'], processors: ['memory_limiter', ...samplerName, 'batch'], exporters: [JAEGER_EXPORTER] };
  pipelines.metrics = { receivers: ['otlp'], processors: ['memory_limiter', 'k8sattributes', K8S_LABELS_PROCESSOR, 'batch'], exporters: ['prometheus'] };
  if (o.lokiOtlpUrl) pipelines.logs = { receivers: ['otlp'], processors: ['memory_limiter', 'k8sattributes', LOGS_PROCESSOR, 'batch'], exporters: [LOKI_EXPORTER] };
  return toYaml({
    extensions: { health_check: listen(OTEL_COLLECTOR_PORTS.health) },
    receivers: { otlp: { protocols: { grpc: listen(OTEL_COLLECTOR_PORTS.otlpGrpc), http: listen(OTEL_COLLECTOR_PORTS.otlpHttp) } } },
    processors: {
      // Limits are a share of the container's memory limit.
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
      ...sampler,
      // The sending app's pod, found by the resource's k8s.pod.ip or k8s.pod.uid, else by the
      // connection's source address (opentelemetry-collector-contrib v0.158.0
      // processor/k8sattributesprocessor/README.md; RBAC: get/list/watch pods and namespaces).
      k8sattributes: {
        auth_type: 'serviceAccount',
        passthrough: false,
        extract: {
          metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.node.name'],
          // The pod labels the node agents take `app` from, for the OTLP logs' `app` label.
          ...(o.lokiOtlpUrl ? { labels: APP_POD_LABELS.map(([tag, key]) => ({ tag_name: tag, key, from: 'pod' })) } : {}),
        },
        pod_association: [
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.ip' }] },
          { sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] },
          { sources: [{ from: 'connection' }] },
        ],
      },
      // The app's namespace, pod and node as the labels every other job uses (the scrape job drops
      // the collector's own); only these three, not every resource attribute.
      [K8S_LABELS_PROCESSOR]: {
        error_mode: 'ignore',
        metric_statements: [{
          context: 'datapoint',
          statements: Object.entries(APP_LABELS).map(([label, attribute]) => `set(datapoint.attributes["${label}"], resource.attributes["${attribute}"]) where resource.attributes["${attribute}"] != nil`),
        }],
      },
      ...(o.lokiOtlpUrl ? { [LOGS_PROCESSOR]: otlpLogsTransform(o.logs ?? { redactFields: [], streams: [] }) } : {}),
      batch: {
        send_batch_size: BATCH.size,
        // Without a maximum a batch grows with its input, past what the receiving end accepts
        // (opentelemetry-collector v0.158.0 processor/batchprocessor/config.go: 0 means no maximum).
        send_batch_max_size: BATCH.maxSize,
      },
    },
    exporters: {
      ...(o.jaegerOtlpEndpoint ? { [JAEGER_EXPORTER]: { endpoint: o.jaegerOtlpEndpoint, tls: { insecure: true } } } : {}),
      ...(o.lokiOtlpUrl ? { [LOKI_EXPORTER]: { endpoint: o.lokiOtlpUrl } } : {}),
      prometheus: {
        endpoint: `0.0.0.0:${OTEL_COLLECTOR_PORTS.exporter}`,
        // Series of an app that stopped sending disappear after this.
        metric_expiration: '5m',
        // Each sample keeps the time the app measured it. An app that reconnects to another replica
        // leaves its last values on the first one until they expire; with the same labels on both
        // replicas (no collector label, see the scrape job) Prometheus keeps the newer sample and
        // drops the older copy as out of order, so nothing is counted twice.
        send_timestamps: true,
      },
    },
    service: {
      extensions: ['health_check'],
      telemetry: { metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: OTEL_COLLECTOR_PORTS.metrics } } } }] } },
      pipelines,
    },
  });
}

/**
 * Exporter names: `otlp_grpc` and `otlp_http` are the types' names since collector 0.144; `otlp` and
 * `otlphttp` are deprecated aliases (opentelemetry-collector v0.158.0
 * exporter/otlpexporter/internal/metadata/generated_status.go, Type and DeprecatedType, and the same
 * file of exporter/otlphttpexporter).
 */
const JAEGER_EXPORTER = 'otlp_grpc/jaeger';
const LOKI_EXPORTER = 'otlp_http/loki';

/** The transform processor that copies the app's Kubernetes resource attributes into labels. */
const K8S_LABELS_PROCESSOR = 'transform/k8s-labels';

/** Label names of an app's OTLP metrics, from its resource attributes. */
export const APP_LABELS = { namespace: 'k8s.namespace.name', pod: 'k8s.pod.name', node: 'k8s.node.name' } as const;

/**
 * Batch sizes (items): a batch is sent at `size` and split above `maxSize`, so one OTLP message
 * stays well under Jaeger's {@link JAEGER_MAX_RECV_MSG_MIB} limit (4096 spans of up to 8 KiB each).
 */
export const BATCH = { size: 2048, maxSize: 4096 } as const;

/** The transform processor that gives OTLP logs the node agents' labels, level and redaction. */
const LOGS_PROCESSOR = 'transform/otlp-logs';

/** Pod labels read for `app`, lowest precedence first: [resource attribute, pod label]. */
const APP_POD_LABELS = [['vigil.pod.label.app', 'app'], ['vigil.pod.label.app.kubernetes.io/name', 'app.kubernetes.io/name']] as const;

/**
 * Resource attributes an OTLP log gets so Loki stores it like the agents' lines: the labels
 * `namespace`, `app`, `container` and the structured metadata `pod`, `node_name`. Loki's OTLP
 * configuration (charts/loki-config.ts) indexes exactly these labels.
 */
export const OTLP_LOG_RESOURCE_LABELS = ['namespace', 'app', 'container'] as const;
/** Log attributes Loki indexes as labels: the canonical level and an app's allowed stream. */
export const OTLP_LOG_LABELS = ['level', 'stream'] as const;

/** OTTL severity number ranges of each canonical level (opentelemetry-collector-contrib v0.158.0 pkg/ottl/contexts/ottllog/README.md, SEVERITY_NUMBER_*). */
const SEVERITY_RANGES: Record<string, readonly [number, number]> = { trace: [1, 4], debug: [5, 8], info: [9, 12], warn: [13, 16], error: [17, 20], fatal: [21, 24] };

const ottl = (s: string) => JSON.stringify(s);
/** `$` is the collector configuration's expansion character: `$$` is one literal `$`. */
const escapeDollars = (s: string) => s.replace(/\$/g, '$$$$');

/**
 * The statements that make an OTLP log look like a line the node agents shipped: the app's
 * namespace, app and container as labels (from the k8sattributes processor and the app's
 * `service.name`), pod and node names as metadata, `level` normalised as the agents do (from the
 * severity number, else the severity text), `stream` only when it is one of `logs.streams`, and the
 * secrets redacted with the agents' own rules: in the body, and attributes whose name is a secret's
 * are removed (Loki would store them as structured metadata).
 */
function otlpLogsTransform(logs: { readonly redactFields: readonly string[]; readonly streams: readonly string[] }): Record<string, unknown> {
  const res = (attr: string) => `resource.attributes[${ottl(attr)}]`;
  const copy = (to: string, from: string) => `set(${res(to)}, ${res(from)}) where ${res(from)} != nil`;
  const level = 'log.attributes["level"]';
  const levelStatements = [
    `set(${level}, ${ottl(UNKNOWN_LEVEL)}) where log.severity_number != 0 or log.severity_text != ""`,
    ...Object.entries(SEVERITY_RANGES).map(([name, [lo, hi]]) => `set(${level}, ${ottl(name)}) where log.severity_number >= ${lo} and log.severity_number <= ${hi}`),
    ...Object.entries(LOG_LEVELS).map(([name, spellings]) => `set(${level}, ${ottl(name)}) where log.severity_number == 0 and IsMatch(log.severity_text, ${ottl(`(?i)^(?:${spellings.join('|')})$`)})`),
  ];
  const stream = 'log.attributes["stream"]';
  const streamStatement = logs.streams.length
    ? `delete_key(log.attributes, "stream") where ${stream} != nil and not IsMatch(${stream}, ${ottl(`^(?:${logs.streams.join('|')})$`)})`
    : 'delete_key(log.attributes, "stream")';
  return {
    error_mode: 'ignore',
    log_statements: [
      {
        context: 'resource',
        statements: [
          copy('namespace', 'k8s.namespace.name'),
          copy('app', 'service.name'),
          ...APP_POD_LABELS.map(([tag]) => copy('app', tag)),
          copy('container', 'k8s.container.name'),
          copy('pod', 'k8s.pod.name'),
          copy('node_name', 'k8s.node.name'),
        ],
      },
      {
        context: 'log',
        statements: [
          ...levelStatements,
          streamStatement,
          `delete_matching_keys(log.attributes, ${ottl(redactedKeyPattern(logs.redactFields))})`,
          // A structured body is redacted as the text Loki stores.
          'set(log.body, String(log.body)) where IsMap(log.body)',
          ...ottlRedactions(logs.redactFields).map((r) => `replace_pattern(log.body, ${ottl(r.pattern)}, ${ottl(r.replacement)}) where IsString(log.body)`),
        ].map(escapeDollars),
      },
    ],
  };
}
