import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Loki } from '../charts/loki';
import { Alertmanager } from '../charts/alertmanager';
import type { RuleFile } from '../charts/component';
import { StackConfigInput } from '../charts/config';
import { streamSelectorIssues } from '../charts/config-logs';
import { ConfigError, resolveConfig } from '../charts/profiles';
import { kubeSchemaErrors } from './helpers/kube-schema';
import { configDoc, objectOf, objectsOf, synthStack } from './helpers/synth';

const loki = (config: StackConfigInput = {}, props = {}) => {
  const objects = synthStack(config, props);
  return { objects, doc: configDoc(objects, 'loki-config', 'config.yaml'), sts: objectOf(objects, 'StatefulSet', 'loki') };
};

const seed002Retention: StackConfigInput = {
  loki: {
    retention: '30d',
    streamRetention: [
      { selector: '{stream="security"}', period: '1y', priority: 2 },
      { selector: '{level="debug"}', period: '7d' },
    ],
  },
};

describe('Loki configuration', () => {
  const { doc, sts, objects } = loki();

  it('stores schema v13 on TSDB with a 24h index, on the volume', () => {
    expect(doc.schema_config.configs).toEqual([{ from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }]);
    expect(doc.common.path_prefix).toBe('/var/loki');
    expect(doc.common.storage).toEqual({ filesystem: { chunks_directory: '/var/loki/chunks' } });
    expect(doc.compactor.working_directory).toBe('/var/loki/compactor');
    expect(doc.ruler.rule_path).toBe('/var/loki/rules-temp');
    expect(doc.ruler.wal.dir).toBe('/var/loki/ruler-wal');
    expect(doc.auth_enabled).toBe(false);
  });

  it('uses its query results cache (cache_results), sized within the memory limit', () => {
    expect(doc.query_range).toEqual({ cache_results: true, results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: 67 } } } });
    const big = configDoc(synthStack({ loki: { resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } } } }), 'loki-config', 'config.yaml');
    expect(big.query_range.results_cache.cache.embedded_cache.max_size_mb).toBe(100);
  });

  it('applies retention in the compactor, 7 days by default', () => {
    expect(doc.compactor).toMatchObject({ retention_enabled: true, delete_request_store: 'filesystem' });
    expect(doc.limits_config.retention_period).toBe('7d');
    expect(doc.limits_config.retention_stream).toBeUndefined();
  });

  it('sets ingestion limits and allows structured metadata', () => {
    expect(doc.limits_config).toMatchObject({
      ingestion_rate_mb: 4, ingestion_burst_size_mb: 8, per_stream_rate_limit: '3MB', per_stream_rate_limit_burst: '15MB',
      max_global_streams_per_user: 10000, max_line_size: '256KB', max_line_size_truncate: true,
      reject_old_samples: true, reject_old_samples_max_age: '7d', allow_structured_metadata: true,
    });
  });

  it('runs as UID 10001 with a read-only root, the data on a claim and /tmp as scratch', () => {
    const pod = sts.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe('docker.io/grafana/loki:3.7.6');
    expect(c.securityContext).toMatchObject({ runAsUser: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(pod.securityContext.fsGroup).toBe(10001);
    // No -config.expand-env: the file has no variables, so no `$` in it is ever expanded.
    expect(c.args).toEqual(['-config.file=/etc/loki/config/config.yaml', '-target=all']);
    expect(c.volumeMounts.map((m: any) => `${m.name}:${m.mountPath}:${m.readOnly === true}`)).toEqual([
      'config:/etc/loki/config:true', 'rules:/etc/loki/rules/fake:true', 'data:/var/loki:false', 'tmp:/tmp:false',
    ]);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(c.readinessProbe.httpGet.path).toBe('/ready');
    expect(c.livenessProbe.httpGet.path).toBe('/loki/api/v1/status/buildinfo');
  });

  it('rolls the pod when the configuration changes', () => {
    const other = loki({ loki: { retention: '14d' } }).sts;
    expect(other.spec.template.metadata.annotations['checksum/config']).not.toBe(sts.spec.template.metadata.annotations['checksum/config']);
  });

  it('exposes port 3100 on its Service and is scraped as job "loki"', () => {
    expect(objectOf(objects, 'Service', 'loki').spec.ports).toEqual([{ name: 'http-metrics', port: 3100, targetPort: 'http-metrics', protocol: 'TCP' }]);
    const prom = configDoc(objects, 'prometheus-config', 'prometheus.yml');
    const job = prom.scrape_configs.find((j: any) => j.job_name === 'loki');
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { names: ['monitoring'] } }]);
    expect(job.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_service_name'], regex: 'loki', action: 'keep' });
  });

  it('can be turned off, with its agent and scrape job', () => {
    const off = synthStack({ loki: { enabled: false } });
    expect(objectsOf(off, 'StatefulSet', 'loki')).toEqual([]);
    expect(objectsOf(off, 'DaemonSet', 'promtail')).toEqual([]);
    expect(configDoc(off, 'prometheus-config', 'prometheus.yml').scrape_configs.map((j: any) => j.job_name)).not.toContain('loki');
  });
});

describe('Loki retention per stream', () => {
  it('renders typed rules as retention_stream', () => {
    const { doc } = loki(seed002Retention);
    expect(doc.limits_config.retention_period).toBe('30d');
    expect(doc.limits_config.retention_stream).toEqual([
      { selector: '{stream="security"}', priority: 2, period: '1y' },
      { selector: '{level="debug"}', priority: 1, period: '7d' },
    ]);
  });

  it.each([
    ['{stream="security"', /does not parse as a LogQL stream selector/],
    ['{app="api"} |= "error"', /has a pipeline/],
    ['{app=~".*"}', /matches every stream/],
    ['{app="api$"}', /contains "\$"/],
    ['{level="verbose"}', /never set level="verbose"; use one of "trace", "debug"/],
    ['{stream="secrity"}', /never set stream="secrity".*add a stream name to logs.streams/],
  ])('rejects the selector %s', (selector, problem) => {
    expect(() => resolveConfig({ loki: { streamRetention: [{ selector, period: '30d' }] } })).toThrow(problem);
  });

  it('names the field of a bad rule', () => {
    try {
      resolveConfig({ loki: { streamRetention: [{ selector: '{level="debug"}', period: '12h' }] } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual(['loki.streamRetention[0].period: period 12h is below Loki\'s minimum of 24h; write "24h" or more (got "12h")']);
    }
  });

  it('accepts stream names the agents route, and labels they do not govern', () => {
    expect(streamSelectorIssues('{stream="audit", namespace=~"prod-.+"}', { stream: ['stdout', 'stderr', 'audit'] })).toEqual([]);
    expect(streamSelectorIssues('{service_name="idkarr"}', { stream: ['stdout'] })).toEqual([]);
  });

  it('rejects a global retention below a day', () => {
    expect(() => resolveConfig({ loki: { retention: '6h' } })).toThrow(/loki.retention: retention 6h is below Loki's minimum of 24h/);
  });
});

describe('Loki ruler', () => {
  const rule = { name: 'app-errors', fileName: 'app-errors.yml', content: 'groups:\n  - name: app-errors\n    rules:\n      - alert: ManyErrors\n        expr: sum(rate({app="api"} |= "error" [5m])) > 1\n' };

  it('alerts every Alertmanager replica, each as its own group', () => {
    const { doc } = loki({ profile: 'production' });
    expect(doc.ruler.alertmanager_url.split(',')).toEqual([0, 1, 2].map((i) => `http://alertmanager-${i}.alertmanager-headless.monitoring.svc.cluster.local:9093`));
    expect(doc.ruler.storage).toEqual({ type: 'local', local: { directory: '/etc/loki/rules' } });
  });

  it('loads rule files from ConfigMaps labelled for Loki, into the single tenant\'s directory', () => {
    // The default stack ships the `logs` LogQL pack (error-line rate, authentication failures).
    const { objects, sts } = loki({});
    const cm = objectOf(objects, 'ConfigMap', 'loki-rules-logs');
    expect(cm.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'loki', 'vigil.dev/rule-file': 'true' });
    expect(cm.data['logs.yml']).toMatch(/^groups:/m);
    const volume = sts.spec.template.spec.volumes.find((v: any) => v.name === 'rules');
    expect(volume).toEqual({ name: 'rules', projected: { sources: [{ configMap: { name: 'loki-rules-logs' } }] } });
  });

  it('rolls the pod for a configuration change but not for a rule change (the ruler polls its files)', () => {
    const a = loki({}).sts.spec.template.metadata.annotations['checksum/config'];
    const b = loki({ alerting: { overrides: { LogErrorRateHigh: { threshold: 80 } } } }).sts.spec.template.metadata.annotations['checksum/config'];
    expect(b).toBe(a);
    expect(configDoc(loki({ alerting: { overrides: { LogErrorRateHigh: { threshold: 80 } } } }).objects, 'loki-rules-logs', 'logs.yml')).not.toEqual(configDoc(loki({}).objects, 'loki-rules-logs', 'logs.yml'));
  });

  it('lets only Prometheus, Grafana and the ruler\'s peers in, and lets the ruler reach Alertmanager', () => {
    const { objects } = loki();
    const policy = objectOf(objects, 'NetworkPolicy', 'loki-ingress');
    expect(policy.spec.ingress).toEqual([{
      from: ['prometheus', 'grafana'].map((c) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': c, 'app.kubernetes.io/part-of': 'vigil' } } })),
      ports: [{ port: 3100, protocol: 'TCP' }],
    }]);
    const am = objectOf(objects, 'NetworkPolicy', 'alertmanager-ingress');
    expect(am.spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/part-of': 'vigil' } } }], ports: [{ port: 9093, protocol: 'TCP' }] });
  });

  it.each([
    [{ ...rule, fileName: '../x.yml' }, /plain YAML file name/],
    [{ ...rule, content: 'rules: []' }, /"groups:" list/],
    [{ ...rule, name: 'App_Errors' }, /DNS label/],
  ])('rejects a malformed rule file (%#)', (bad, problem) => {
    expect(() => lokiWith([bad])).toThrow(problem);
  });

  it('rejects two rule files with one file name', () => {
    expect(() => lokiWith([rule, { ...rule, name: 'other' }])).toThrow(/file "app-errors.yml" is used twice \(also by "app-errors"\)/);
  });
});

describe('Loki on S3', () => {
  const s3: StackConfigInput = {
    loki: {
      storage: {
        type: 's3',
        size: '20Gi',
        s3: {
          endpoint: 'minio.minio.svc:9000', bucket: 'vigil-logs', insecure: true,
          accessKeyId: { name: 'loki-s3', key: 'access-key-id' }, secretAccessKey: { name: 'loki-s3', key: 'secret-access-key' },
        },
      },
    },
  };
  const { doc, sts, objects } = loki(s3);

  it('keeps chunks, index and delete requests in the bucket, rules on the mounted files', () => {
    expect(doc.common.storage.s3).toEqual({
      endpoint: 'minio.minio.svc:9000', bucketnames: 'vigil-logs', region: 'us-east-1',
      s3forcepathstyle: true, insecure: true,
    });
    // No credential keys: Loki's S3 client then uses the AWS SDK's default chain.
    expect(objectOf(objects, 'ConfigMap', 'loki-config').data['config.yaml']).not.toMatch(/access_key|\$\{/);
    expect(doc.schema_config.configs[0].object_store).toBe('s3');
    expect(doc.compactor.delete_request_store).toBe('s3');
    expect(doc.ruler.storage.type).toBe('local');
  });

  it('reads the credentials from the Secret through the AWS SDK\'s own variables, never through the file', () => {
    // Any character is safe there: a secret with ": ", " #" or a leading "*" no longer passes through YAML.
    expect(sts.spec.template.spec.containers[0].env).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'loki-s3', key: 'access-key-id' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'loki-s3', key: 'secret-access-key' } } },
    ]);
    expect(objectsOf(objects, 'Secret')).toEqual([]);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
  });

  it.each([
    [{ loki: { storage: { type: 's3' } } }, /loki.storage.s3: storage type "s3" needs/],
    [{ loki: { storage: { s3: { endpoint: 'minio:9000', bucket: 'logs', accessKeyId: { name: 'a', key: 'b' }, secretAccessKey: { name: 'a', key: 'c' } } } } }, /loki.storage.type: loki.storage.s3 is set but type is "filesystem"/],
    [{ loki: { storage: { type: 's3', s3: { endpoint: 'http://minio:9000', bucket: 'logs', accessKeyId: { name: 'a', key: 'b' }, secretAccessKey: { name: 'a', key: 'c' } } } } }, /expected host\[:port\] without a scheme/],
    [{ loki: { storage: { type: 's3', s3: { endpoint: 'minio:9000', bucket: 'logs', accessKeyId: 'AKIA123', secretAccessKey: { name: 'a', key: 'c' } } } } }, /expected a Secret reference/],
    [{ loki: { storage: { type: 's3', s3: { endpoint: 'minio:9000 #x', bucket: 'logs', accessKeyId: { name: 'a', key: 'b' }, secretAccessKey: { name: 'a', key: 'c' } } } } }, /expected host\[:port\] without a scheme, user or keys \(letters, digits/],
    [{ loki: { storage: { type: 's3', s3: { endpoint: '*minio:9000', bucket: 'logs', accessKeyId: { name: 'a', key: 'b' }, secretAccessKey: { name: 'a', key: 'c' } } } } }, /expected host\[:port\]/],
    [{ loki: { storage: { type: 's3', s3: { endpoint: 'minio:9000', region: 'eu-west-1: x', bucket: 'logs', accessKeyId: { name: 'a', key: 'b' }, secretAccessKey: { name: 'a', key: 'c' } } } } }, /expected a region name/],
    [{ loki: { storage: { type: 's3', s3: { endpoint: 'minio:9000', region: '${HOME}', bucket: 'logs', accessKeyId: { name: 'a', key: 'b' }, secretAccessKey: { name: 'a', key: 'c' } } } } }, /expected a region name/],
  ])('rejects incomplete or inline S3 settings (%#)', (config, problem) => {
    expect(() => resolveConfig(config as StackConfigInput)).toThrow(problem);
  });
});

describe('scale-out and alternative variants', () => {
  it('are valid Kubernetes objects: Loki on S3, Jaeger on Elasticsearch, Alloy, the collector with tail sampling', async () => {
    const objects = synthStack({
      profile: 'production',
      loki: { storage: { type: 's3', s3: { endpoint: 's3.eu-west-1.amazonaws.com', bucket: 'vigil-logs', region: 'eu-west-1', forcePathStyle: false, accessKeyId: { name: 'loki-s3', key: 'id' }, secretAccessKey: { name: 'loki-s3', key: 'secret' } } }, pushFromNamespaces: ['trusted'] },
      jaeger: { storage: { type: 'elasticsearch', elasticsearch: { urls: ['https://es.search.svc:9200'], username: 'jaeger', password: { name: 'jaeger-es', key: 'password' } } } },
      logs: { agent: 'alloy' },
      otelCollector: { enabled: true, sampling: { mode: 'tail' } },
    });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining(['DaemonSet/alloy', 'Deployment/otel-collector', 'StatefulSet/loki', 'StatefulSet/jaeger']));
    const errors = (await Promise.all(objects.map(kubeSchemaErrors))).flat();
    expect(errors).toEqual([]);
    expect(objectOf(objects, 'NetworkPolicy', 'loki-ingress-telemetry').spec.ingress.map((r: any) => r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual(['monitoring-agents', 'trusted']);
  });
});

/** A Loki construct alone, with the given rule files. */
function lokiWith(ruleFiles: RuleFile[]): Loki {
  const chart = new Chart(Testing.app(), 'loki');
  return new Loki(chart, 'loki', { namespace: 'monitoring', clusterDomain: 'cluster.local', settings: resolveConfig().loki, alertmanagers: [new Alertmanager(chart, 'alertmanager')], ruleFiles });
}
