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
    expect(doc.exporters).toEqual({
      'otlp/jaeger': { endpoint: 'jaeger.monitoring.svc.cluster.local:4317', tls: { insecure: true } },
      'otlphttp/loki': { endpoint: 'http://loki.monitoring.svc.cluster.local:3100/otlp' },
      prometheus: { endpoint: '0.0.0.0:8889', metric_expiration: '5m' },
    });
    expect(doc.service.pipelines).toEqual({
      traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp/jaeger'] },
      metrics: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['prometheus'] },
      logs: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlphttp/loki'] },
    });
  });

  it('limits memory as a share of the container limit, before anything else', () => {
    expect(doc.processors.memory_limiter).toEqual({ check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 });
    expect(deploy.spec.template.spec.containers[0].resources.limits.memory).toBe('512Mi');
  });

  it('samples probabilistically when asked', () => {
    const p = collector({ sampling: { mode: 'probabilistic', percentage: 25 } }).doc;
    expect(p.processors.probabilistic_sampler).toEqual({ sampling_percentage: 25 });
    expect(p.service.pipelines.traces.processors).toEqual(['memory_limiter', 'probabilistic_sampler', 'batch']);
    expect(p.service.pipelines.logs.processors).toEqual(['memory_limiter', 'batch']);
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
