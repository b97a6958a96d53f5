import { describe, expect, it } from 'vitest';
import { productionConfig } from './fixtures/configs';
import { configDoc, objectOf, synthStack } from './helpers/synth';

const jobNames = (doc: any): string[] => doc.scrape_configs.map((j: any) => j.job_name);
const job = (doc: any, name: string): any => {
  const found = doc.scrape_configs.find((j: any) => j.job_name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
};

describe('prometheus.yml', () => {
  const homelab = configDoc(synthStack(), 'prometheus-config', 'prometheus.yml');
  const production = configDoc(synthStack(productionConfig), 'prometheus-config', 'prometheus.yml');

  it('scrapes every component of the stack, the kubelets and annotated pods and services', () => {
    expect(jobNames(homelab)).toEqual([
      'prometheus', 'alertmanager', 'grafana', 'node-exporter', 'kube-state-metrics', 'blackbox-exporter', 'loki', 'promtail', 'jaeger',
      'kubelet', 'cadvisor', 'kubernetes-services', 'kubernetes-pods',
    ]);
  });

  it('adds a job per typed target, database, Redis and health check', () => {
    expect(jobNames(production)).toEqual(expect.arrayContaining([
      'postgres-exporter', 'redis-exporter', 'idkarr-api', 'idkarr-worker', 'health-check-idkarr-live', 'health-check-idkarr-ready',
    ]));
  });

  it('discovers through EndpointSlices, limited to the namespace, and keeps only the selected Service and port', () => {
    const api = job(production, 'idkarr-api');
    expect(api.kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { names: ['idkarr'] } }]);
    expect(api.scrape_interval).toBe('15s');
    expect(api.relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_name', '__meta_kubernetes_service_label_component'],
      regex: 'idkarr;api',
      action: 'keep',
    });
    expect(api.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_endpointslice_port_name'], regex: 'http', action: 'keep' });
    expect(job(production, 'idkarr-worker').relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_endpointslice_port'], regex: '9464', action: 'keep' });
  });

  it('does not scrape a StatefulSet twice through its headless Service', () => {
    expect(job(homelab, 'prometheus').relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_service_name'], regex: 'prometheus', action: 'keep' });
  });

  it('labels each database and Redis target with its declared name', () => {
    expect(job(production, 'postgres-exporter').relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_instance'], target_label: 'database' });
    expect(job(production, 'redis-exporter').relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_instance'], target_label: 'redis' });
  });

  it('probes health checks through blackbox-exporter with the module of their expected status', () => {
    const ready = job(production, 'health-check-idkarr-ready');
    expect(ready.metrics_path).toBe('/probe');
    expect(ready.params).toEqual({ module: ['http_200_5s'] });
    expect(ready.static_configs).toEqual([{ targets: ['http://idkarr-api.idkarr.svc:3000/health/ready'], labels: { check: 'idkarr-ready' } }]);
    expect(ready.relabel_configs).toContainEqual({ target_label: '__address__', replacement: 'blackbox-exporter.monitoring.svc.cluster.local:9115' });
    expect(job(production, 'health-check-idkarr-live').params).toEqual({ module: ['http_2xx_5s'] });
  });

  it('alerts every Alertmanager replica by name, never through a load-balanced Service', () => {
    expect(homelab.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager-0.alertmanager-headless.monitoring.svc.cluster.local:9093']);
    expect(production.alerting.alertmanagers[0].static_configs[0].targets).toEqual([0, 1, 2].map((i) => `alertmanager-${i}.alertmanager-headless.monitoring.svc.cluster.local:9093`));
  });

  it('gives replicas an identity label and drops it from alerts so Alertmanager deduplicates them', () => {
    expect(production.global.external_labels).toEqual({ cluster: 'prod-eu', prometheus_replica: '${POD_NAME}' });
    expect(production.alerting.alert_relabel_configs).toEqual([{ action: 'labeldrop', regex: 'prometheus_replica' }]);
    expect(homelab.global.external_labels).toBeUndefined();
  });

  it('reads remote-write credentials from mounted Secret files', () => {
    expect(production.remote_write).toEqual([
      { name: 'mimir', url: 'http://mimir-nginx.mimir.svc/api/v1/push', headers: { 'X-Scope-OrgID': 'prod' }, basic_auth: { username: 'vigil', password_file: '/etc/prometheus/secrets/mimir-credentials/password' } },
      { name: 'thanos', url: 'https://thanos-receive.example.com/api/v1/receive', authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/secrets/thanos-token/token' } },
    ]);
    const sts = objectOf(synthStack(productionConfig), 'StatefulSet', 'prometheus');
    const volumes = sts.spec.template.spec.volumes.filter((v: any) => v.secret);
    expect(volumes).toEqual([
      { name: 'secret-mimir-credentials', secret: { secretName: 'mimir-credentials', defaultMode: 0o440, items: [{ key: 'password', path: 'password' }] } },
      { name: 'secret-thanos-token', secret: { secretName: 'thanos-token', defaultMode: 0o440, items: [{ key: 'token', path: 'token' }] } },
    ]);
  });

  it('uses only fields the Kubernetes discovery accepts', () => {
    for (const j of production.scrape_configs) {
      for (const sd of j.kubernetes_sd_configs ?? []) {
        expect(['endpointslice', 'pod', 'node', 'service']).toContain(sd.role);
        expect(Object.keys(sd).every((k) => ['role', 'namespaces'].includes(k))).toBe(true);
      }
    }
  });

  it('sets retention by time and size and live reload on the command line', () => {
    const args: string[] = objectOf(synthStack(), 'StatefulSet', 'prometheus').spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining([
      '--storage.tsdb.retention.time=15d', '--storage.tsdb.retention.size=8GB', '--config.auto-reload',
    ]));
  });

  it('passes no --storage.tsdb.wal-compression: hidden and on by default in v3', () => {
    const args: string[] = objectOf(synthStack(), 'StatefulSet', 'prometheus').spec.template.spec.containers[0].args;
    expect(args.filter((a) => a.startsWith('--storage.tsdb.wal-compression'))).toEqual([]);
  });
});
