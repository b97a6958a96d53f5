import { describe, expect, it } from 'vitest';
import { StackConfigInput } from '../charts/config';
import { resolveConfig } from '../charts/profiles';
import { configDoc, objectOf, objectsOf, synthStack } from './helpers/synth';

const collector = (config: StackConfigInput['otelCollector'] = {}, rest: StackConfigInput = {}) => {
  const objects = synthStack({ ...rest, otelCollector: { enabled: true, ...config } });
  return { objects, doc: configDoc(objects, 'otel-collector-config', 'relay.yaml'), deploy: objectOf(objects, 'Deployment', 'otel-collector') };
};

describe('OpenTelemetry Collector gateway', () => {
  it('is off by default', () => {
    const objects = synthStack();
    expect(objectsOf(objects, 'Deployment', 'otel-collector')).toEqual([]);
    expect(configDoc(objects, 'prometheus-config', 'prometheus.yml').scrape_configs.map((j: any) => j.job_name)).not.toContain('otel-collector');
  });

  const { objects, doc, deploy } = collector();

  it('receives OTLP from apps and forwards traces to Jaeger, logs to Loki\'s OTLP endpoint, metrics to the prometheus exporter', () => {
    expect(doc.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    // otlp_grpc/otlp_http: the exporters' names since 0.144 (otlp/otlphttp are deprecated aliases).
    expect(doc.exporters).toEqual({
      'otlp_grpc/jaeger': { endpoint: 'jaeger.monitoring.svc.cluster.local:4317', tls: { insecure: true } },
      'otlp_http/loki': { endpoint: 'http://loki.monitoring.svc.cluster.local:3100/otlp' },
      prometheus: { endpoint: '0.0.0.0:8889', metric_expiration: '5m', send_timestamps: true },
    });
    expect(doc.service.pipelines).toEqual({
      traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp_grpc/jaeger'] },
      metrics: { receivers: ['otlp'], processors: ['memory_limiter', 'k8sattributes', 'transform/k8s-labels', 'batch'], exporters: ['prometheus'] },
      logs: { receivers: ['otlp'], processors: ['memory_limiter', 'k8sattributes', 'transform/otlp-logs', 'batch'], exporters: ['otlp_http/loki'] },
    });
  });

  it('caps a batch, so no message exceeds what Jaeger accepts', () => {
    expect(doc.processors.batch).toEqual({ send_batch_size: 2048, send_batch_max_size: 4096 });
    const jaegerGrpc = configDoc(objects, 'jaeger-config', 'config.yaml').receivers.otlp.protocols.grpc;
    // 4096 spans of up to 8 KiB each fit in Jaeger's limit.
    expect(4096 * 8 * 1024).toBeLessThanOrEqual(jaegerGrpc.max_recv_msg_size_mib * 1024 * 1024);
  });

  it('renders no sampling processor when no traces pipeline uses it', () => {
    for (const mode of ['probabilistic', 'tail'] as const) {
      const d = collector({ sampling: { mode } }, { jaeger: { enabled: false } }).doc;
      expect(Object.keys(d.processors), mode).toEqual(['memory_limiter', 'k8sattributes', 'transform/k8s-labels', 'transform/otlp-logs', 'batch']);
    }
  });

  it('labels apps\' metrics with the namespace, pod and node of the sending app, not of the collector', () => {
    expect(doc.processors.k8sattributes).toMatchObject({
      auth_type: 'serviceAccount',
      extract: { metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.node.name'] },
      pod_association: [
        { sources: [{ from: 'resource_attribute', name: 'k8s.pod.ip' }] },
        { sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] },
        { sources: [{ from: 'connection' }] },
      ],
    });
    expect(doc.processors['transform/k8s-labels'].metric_statements[0].statements).toEqual([
      'set(datapoint.attributes["namespace"], resource.attributes["k8s.namespace.name"]) where resource.attributes["k8s.namespace.name"] != nil',
      'set(datapoint.attributes["pod"], resource.attributes["k8s.pod.name"]) where resource.attributes["k8s.pod.name"] != nil',
      'set(datapoint.attributes["node"], resource.attributes["k8s.node.name"]) where resource.attributes["k8s.node.name"] != nil',
    ]);
    // The processor reads pods and namespaces through the API, read-only.
    expect(deploy.spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(objectOf(objects, 'ClusterRole', 'vigil-otel-collector-monitoring').rules).toEqual([{ apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['get', 'list', 'watch'] }]);
    expect(objectOf(objects, 'ClusterRoleBinding', 'vigil-otel-collector-monitoring').subjects).toEqual([{ kind: 'ServiceAccount', name: 'otel-collector', namespace: 'monitoring' }]);
  });

  it('exposes an app\'s series under the same labels on every replica, so Prometheus keeps one copy', () => {
    const jobs = configDoc(collector({ replicas: 3 }).objects, 'prometheus-config', 'prometheus.yml').scrape_configs;
    const apps = jobs.find((j: any) => j.job_name === 'otel-collector-apps');
    const relabel = apps.relabel_configs as Array<Record<string, unknown>>;
    // The collector pod's own labels are removed after discovery sets them; instance is one constant.
    for (const label of ['namespace', 'service', 'pod', 'node']) {
      const last = relabel.map((r) => r.target_label).lastIndexOf(label);
      expect(relabel[last], label).toEqual({ target_label: label, replacement: '' });
    }
    expect(relabel[relabel.length - 1]).toEqual({ target_label: 'instance', replacement: 'otel-collector' });
    // A stale copy on the replica an app left carries its older timestamp and is dropped as out of order.
    expect(doc.exporters.prometheus.send_timestamps).toBe(true);
  });

  it('limits memory as a share of the container limit, before anything else', () => {
    expect(doc.processors.memory_limiter).toEqual({ check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 });
    expect(deploy.spec.template.spec.containers[0].resources.limits.memory).toBe('512Mi');
  });

  it('samples probabilistically when asked', () => {
    const p = collector({ sampling: { mode: 'probabilistic', percentage: 25 } }).doc;
    expect(p.processors.probabilistic_sampler).toEqual({ sampling_percentage: 25 });
    expect(p.service.pipelines.traces.processors).toEqual(['memory_limiter', 'probabilistic_sampler', 'batch']);
    expect(p.service.pipelines.logs.processors).toEqual(['memory_limiter', 'k8sattributes', 'transform/otlp-logs', 'batch']);
  });

  it('tail-samples: every error, every slow trace, a share of the rest', () => {
    const t = collector({ sampling: { mode: 'tail', percentage: 5, slowerThan: '500ms', decisionWait: '30s' } }).doc;
    expect(t.processors.tail_sampling).toEqual({
      decision_wait: '30s',
      num_traces: 50000,
      policies: [
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: 500 } },
        { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: 5 } },
      ],
    });
    expect(t.service.pipelines.traces.processors).toEqual(['memory_limiter', 'tail_sampling', 'batch']);
  });

  it('refuses tail sampling across replicas', () => {
    expect(() => resolveConfig({ otelCollector: { enabled: true, replicas: 2, sampling: { mode: 'tail' } } })).toThrow(/otelCollector.replicas: tail sampling needs every span of a trace in one collector/);
  });

  it('leaves out the pipelines of disabled backends', () => {
    const d = collector({}, { jaeger: { enabled: false }, loki: { enabled: false } }).doc;
    expect(Object.keys(d.service.pipelines)).toEqual(['metrics']);
    expect(Object.keys(d.exporters)).toEqual(['prometheus']);
  });

  it('is a hardened stateless Deployment, rolled on configuration change', () => {
    const c = deploy.spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.158.0');
    expect(c.args).toEqual(['--config=/conf/relay.yaml']);
    expect(c.securityContext).toMatchObject({ runAsUser: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/', port: 'health' });
    expect(doc.extensions.health_check).toEqual({ endpoint: '0.0.0.0:13133' });
    expect(deploy.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(objectOf(objects, 'PodDisruptionBudget', 'otel-collector').spec.maxUnavailable).toBe(1);
  });

  it('scrapes its own metrics as "otel-collector" and apps\' metrics as "otel-collector-apps", keeping their job labels', () => {
    const jobs = configDoc(objects, 'prometheus-config', 'prometheus.yml').scrape_configs;
    const own = jobs.find((j: any) => j.job_name === 'otel-collector');
    const apps = jobs.find((j: any) => j.job_name === 'otel-collector-apps');
    expect(own.honor_labels).toBeUndefined();
    expect(own.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_endpointslice_port_name'], regex: 'http-metrics', action: 'keep' });
    expect(apps.honor_labels).toBe(true);
    expect(apps.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_endpointslice_port_name'], regex: 'http-exporter', action: 'keep' });
  });

  it('admits OTLP from any namespace and lets the collector push to Loki', () => {
    expect(objectOf(objects, 'NetworkPolicy', 'otel-collector-ingress-telemetry').spec.ingress).toEqual([{
      from: [{ namespaceSelector: {} }], ports: [{ port: 4317, protocol: 'TCP' }, { port: 4318, protocol: 'TCP' }],
    }]);
    const loki = objectOf(objects, 'NetworkPolicy', 'loki-ingress').spec.ingress[0].from.map((f: any) => f.podSelector.matchLabels['app.kubernetes.io/name']);
    expect(loki).toContain('otel-collector');
  });

  it('rejects a built-in job name for a scrape target', () => {
    expect(() => resolveConfig({ scrapeTargets: [{ name: 'otel-collector-apps', namespace: 'apps', selector: { app: 'x' }, port: 80 }] })).toThrow(/built-in job/);
  });
});
