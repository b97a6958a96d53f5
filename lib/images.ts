/**
 * Every container image the stack runs, pinned by tag, in one table: an upgrade is a one-line diff
 * here (see "Upgrading" in the README). `user` is the numeric UID each runs as: several images
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
} as const satisfies Record<string, { image: string; user: number }>;

export type ImageName = keyof typeof IMAGES;
