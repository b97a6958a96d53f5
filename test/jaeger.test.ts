import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { goDuration } from '../charts/jaeger-config';
import { StackConfigInput } from '../charts/config';
import { resolveConfig } from '../charts/profiles';
import { configDoc, objectOf, objectsOf, synthStack } from './helpers/synth';

const jaeger = (config: StackConfigInput = {}) => {
  const objects = synthStack(config);
  const cm = objectOf(objects, 'ConfigMap', 'jaeger-config');
  return { objects, doc: YAML.parse(cm.data['config.yaml']), sampling: JSON.parse(cm.data['sampling.json']), sts: objectOf(objects, 'StatefulSet', 'jaeger') };
};

describe('Jaeger v2', () => {
  const { objects, doc, sampling, sts } = jaeger();
  const pod = sts.spec.template.spec;
  const c = pod.containers[0];

  it('runs the pinned v2 image with its YAML configuration as UID 10001, read-only root', () => {
    expect(c.image).toBe('docker.io/jaegertracing/jaeger:2.20.0');
    expect(c.args).toEqual(['--config', '/etc/jaeger/config/config.yaml']);
    expect(c.securityContext).toMatchObject({ runAsUser: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(pod.securityContext.fsGroup).toBe(10001);
    expect(sts.spec.replicas).toBe(1);
  });

  it('receives OTLP on 4317/4318 and serves the UI on 16686, health on 13133 and metrics on 8888, on all interfaces', () => {
    // gRPC messages up to 32 MiB: above the collector's largest batch (grpc-go's default is 4 MiB).
    expect(doc.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317', max_recv_msg_size_mib: 32 }, http: { endpoint: '0.0.0.0:4318' } });
    expect(doc.extensions.jaeger_query).toEqual({ storage: { traces: 'main' }, http: { endpoint: '0.0.0.0:16686' } });
    expect(doc.extensions.healthcheckv2).toEqual({ use_v2: true, http: { endpoint: '0.0.0.0:13133' } });
    expect(doc.service.telemetry.metrics.readers).toEqual([{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }]);
    expect(doc.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] });
    expect(doc.service.extensions).toEqual(['jaeger_storage', 'jaeger_query', 'remote_sampling', 'healthcheckv2']);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/status', port: 'health' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/status', port: 'health' });
    expect(objectOf(objects, 'Service', 'jaeger').spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual([
      'otlp-grpc:4317', 'otlp-http:4318', 'http-query:16686', 'http-sampling:5778', 'http-metrics:8888',
    ]);
  });

  it('keeps spans in Badger on the claim, not in memory, for 7 days by default', () => {
    expect(doc.extensions.jaeger_storage.backends.main).toEqual({
      badger: { directories: { keys: '/badger/keys', values: '/badger/values' }, ephemeral: false, ttl: { spans: '168h' } },
    });
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/badger' });
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
  });

  it('takes the TTL from the configuration', () => {
    expect(jaeger({ jaeger: { ttl: '30d' } }).doc.extensions.jaeger_storage.backends.main.badger.ttl).toEqual({ spans: '720h' });
  });

  it('serves sampling strategies to apps, re-read without a restart', () => {
    expect(sampling).toEqual({ default_strategy: { type: 'probabilistic', param: 1 }, service_strategies: [] });
    expect(doc.extensions.remote_sampling).toEqual({ file: { path: '/etc/jaeger/config/sampling.json', reload_interval: '1m' }, http: { endpoint: '0.0.0.0:5778' } });
    const tuned = jaeger({ jaeger: { sampling: { probability: 0.25, services: { 'medianest-backend': 1, 'idkarr-api': 0.1 } } } });
    expect(tuned.sampling).toEqual({
      default_strategy: { type: 'probabilistic', param: 0.25 },
      service_strategies: [{ service: 'idkarr-api', type: 'probabilistic', param: 0.1 }, { service: 'medianest-backend', type: 'probabilistic', param: 1 }],
    });
    expect(tuned.sts.spec.template.metadata.annotations['checksum/config']).toBe(sts.spec.template.metadata.annotations['checksum/config']);
    expect(jaeger({ jaeger: { ttl: '3d' } }).sts.spec.template.metadata.annotations['checksum/config']).not.toBe(sts.spec.template.metadata.annotations['checksum/config']);
  });

  it('is scraped as job "jaeger"; Grafana may query it; apps in any namespace may send OTLP and read sampling', () => {
    expect(configDoc(objects, 'prometheus-config', 'prometheus.yml').scrape_configs.map((j: any) => j.job_name)).toContain('jaeger');
    const sel = (n: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': n, 'app.kubernetes.io/part-of': 'vigil' } } });
    expect(objectOf(objects, 'NetworkPolicy', 'jaeger-ingress').spec.ingress).toEqual([
      { from: [sel('prometheus')], ports: [{ port: 8888, protocol: 'TCP' }] },
      { from: [sel('grafana')], ports: [{ port: 16686, protocol: 'TCP' }] },
    ]);
    expect(objectOf(objects, 'NetworkPolicy', 'jaeger-ingress-telemetry').spec.ingress).toEqual([{
      from: [{ namespaceSelector: {} }],
      ports: [4317, 4318, 5778].map((port) => ({ port, protocol: 'TCP' })),
    }]);
  });

  it('can be turned off', () => {
    const off = synthStack({ jaeger: { enabled: false } });
    expect(objectsOf(off, 'StatefulSet', 'jaeger')).toEqual([]);
    expect(objectsOf(off, 'NetworkPolicy', 'jaeger-ingress-telemetry')).toEqual([]);
  });
});

describe('Jaeger on Elasticsearch', () => {
  const es: StackConfigInput = {
    jaeger: { storage: { type: 'elasticsearch', elasticsearch: { urls: ['https://es.search.svc:9200'], username: 'jaeger', password: { name: 'jaeger-es', key: 'password' } } } },
  };
  const { doc, sts } = jaeger(es);

  it('writes to the cluster with the password read from a mounted Secret key, and claims no volume', () => {
    expect(doc.extensions.jaeger_storage.backends.main).toEqual({
      elasticsearch: {
        server_urls: ['https://es.search.svc:9200'],
        indices: { index_prefix: 'vigil' },
        // Reads look back the whole retention (the 7d default), not Jaeger's 72h.
        max_span_age: '168h',
        auth: { basic: { username: 'jaeger', password_file: '/etc/jaeger/secrets/jaeger-es/password' } },
      },
    });
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'secret-jaeger-es', secret: { secretName: 'jaeger-es', defaultMode: 0o440, items: [{ key: 'password', path: 'password' }] } });
    expect(sts.spec.template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).not.toContain('/badger');
  });

  it('looks back as far as the retention and trusts a private CA from a Secret', () => {
    const { doc: d, sts: s } = jaeger({ jaeger: { ttl: '30d', storage: { type: 'elasticsearch', elasticsearch: { urls: ['https://es-http.elastic.svc:9200'], caCert: { name: 'es-ca', key: 'ca.crt' } } } } });
    const backend = d.extensions.jaeger_storage.backends.main.elasticsearch;
    expect(backend.max_span_age).toBe('720h');
    expect(backend.tls).toEqual({ ca_file: '/etc/jaeger/secrets/es-ca/ca.crt' });
    expect(s.spec.template.spec.volumes).toContainEqual({ name: 'secret-es-ca', secret: { secretName: 'es-ca', defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(() => resolveConfig({ jaeger: { storage: { type: 'elasticsearch', elasticsearch: { urls: ['http://es:9200'], caCert: { name: 'es-ca', key: 'ca.crt' } } } } })).toThrow(/a CA bundle is for https:\/\/ clusters/);
  });

  it('deletes the daily indices older than the retention with Jaeger\'s es-index-cleaner, every day', () => {
    const objects = synthStack({ jaeger: { ttl: '36h', storage: { type: 'elasticsearch', elasticsearch: { urls: ['https://es.search.svc:9200'], username: 'jaeger', password: { name: 'jaeger-es', key: 'password' }, indexPrefix: 'shop', caCert: { name: 'es-ca', key: 'ca.crt' } } } } });
    const cron = objectOf(objects, 'CronJob', 'jaeger-es-index-cleaner');
    expect(cron.spec.schedule).toBe('15 0 * * *');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe('docker.io/jaegertracing/jaeger-es-index-cleaner:2.20.0');
    // 36h rounds up to 2 days: nothing is deleted before its retention ends.
    expect(c.args).toEqual(['2', 'https://es.search.svc:9200', '--index-prefix=shop', '--es.tls.enabled=true', '--es.tls.ca=/etc/jaeger/secrets/es-ca/ca.crt']);
    expect(c.env).toEqual([
      { name: 'ES_USERNAME', value: 'jaeger' },
      { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'jaeger-es', key: 'password' } } },
    ]);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    // Its own name label: the Jaeger Service must not send OTLP to it.
    expect(cron.spec.jobTemplate.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('jaeger-es-index-cleaner');
    expect(objectsOf(synthStack(), 'CronJob')).toEqual([]);
  });

  it.each([
    [{ jaeger: { storage: { type: 'elasticsearch' } } }, /jaeger.storage.elasticsearch: storage type "elasticsearch" needs/],
    [{ jaeger: { storage: { type: 'elasticsearch', elasticsearch: { urls: ['https://es:9200'], username: 'jaeger' } } } }, /set both username and password/],
    [{ jaeger: { storage: { type: 'elasticsearch', elasticsearch: { urls: ['https://es:9200'], username: 'u', password: 'hunter2' } } } }, /expected a Secret reference/],
    [{ jaeger: { storage: { elasticsearch: { urls: ['https://es:9200'] } } } }, /type is "badger"/],
  ])('rejects incomplete or inline settings (%#)', (config, problem) => {
    expect(() => resolveConfig(config as StackConfigInput)).toThrow(problem);
  });
});

describe('goDuration', () => {
  it.each([['7d', '168h'], ['1y', '8760h'], ['90m', '90m'], ['1h30m', '90m'], ['45s', '45s'], ['1500ms', '1500ms']])('writes %s as %s', (from, to) => {
    expect(goDuration(from)).toBe(to);
  });
});
