/**
 * Every container image the stack runs, pinned by tag, in one table: an upgrade is a one-line diff
 * here (see "Upgrading" in docs/operations.md). `user` is the numeric UID each runs as: several images
 * declare `USER nobody`, which the kubelet cannot verify against `runAsNonRoot`, so it is always
 * set explicitly.
 */
export const IMAGES = {
  prometheus: { image: 'quay.io/prometheus/prometheus:v3.14.0', user: 65534 },
  alertmanager: { image: 'quay.io/prometheus/alertmanager:v0.34.0', user: 65534 },
  nodeExporter: { image: 'quay.io/prometheus/node-exporter:v1.12.1', user: 65534 },
  kubeStateMetrics: { image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0', user: 65534 },
  postgresExporter: { image: 'quay.io/prometheuscommunity/postgres-exporter:v0.20.1', user: 65534 },
  redisExporter: { image: 'oliver006/redis_exporter:v1.89.0', user: 59000 },
  blackboxExporter: { image: 'quay.io/prometheus/blackbox-exporter:v0.28.0', user: 65534 },
  grafana: { image: 'docker.io/grafana/grafana:13.2.0', user: 472 },
  loki: { image: 'docker.io/grafana/loki:3.7.6', user: 10001 },
  // Promtail reached end of life on 2026-03-02 and was removed from Loki 3.7; 3.6.11 is the last Loki
  // release whose pipeline built a Promtail image. See docs/logs-and-traces.md for the switch
  // to Alloy (`logs.agent: 'alloy'`). Both log agents run as root to read the node's log files.
  promtail: { image: 'docker.io/grafana/promtail:3.6.11', user: 0 },
  alloy: { image: 'docker.io/grafana/alloy:v1.18.1', user: 0 },
  jaeger: { image: 'docker.io/jaegertracing/jaeger:2.20.0', user: 10001 },
  // The contrib distribution: the slimmer Kubernetes distribution has no `prometheus` exporter.
  otelCollector: { image: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.158.0', user: 10001 },
} as const satisfies Record<string, PinnedImage>;

export type ImageName = keyof typeof IMAGES;

/** A container image pinned by tag, and the numeric UID it runs as. */
export interface PinnedImage {
  readonly image: string;
  readonly user: number;
}
