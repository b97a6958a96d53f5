import { describe, expect, it } from 'vitest';
import { configDoc, objectOf, objectsOf, synthStack } from './helpers/synth';

describe('namespaces', () => {
  it('enforces Pod Security "restricted" on the stack and isolates host agents', () => {
    const objects = synthStack();
    expect(objectOf(objects, 'Namespace', 'monitoring').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(objectOf(objects, 'Namespace', 'monitoring-agents').metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(objectOf(objects, 'DaemonSet', 'node-exporter').metadata.namespace).toBe('monitoring-agents');
  });

  it('can be renamed, and every reference follows', () => {
    const objects = synthStack({ namespaces: { monitoring: 'observability', agents: 'observability-agents' }, clusterDomain: 'k8s.internal' });
    expect(objectsOf(objects, 'Namespace').map((n) => n.metadata.name)).toEqual(['observability', 'observability-agents']);
    const prom = configDoc(objects, 'prometheus-config', 'prometheus.yml');
    expect(prom.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager-0.alertmanager-headless.observability.svc.k8s.internal:9093']);
    expect(prom.scrape_configs.find((j: any) => j.job_name === 'node-exporter').kubernetes_sd_configs[0].namespaces.names).toEqual(['observability-agents']);
    expect(objectOf(objects, 'ClusterRoleBinding', 'vigil-prometheus-observability').subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'observability' }]);
    for (const o of objects.filter((x) => x.metadata.namespace)) expect(['observability', 'observability-agents']).toContain(o.metadata.namespace);
  });
});
