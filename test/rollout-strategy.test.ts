import { describe, expect, it } from 'vitest';
import { objectOf, synthStack } from './helpers/synth';

describe('Deployments with required spreading', () => {
  const db = { type: 'postgres' as const, host: 'postgres.db.svc:5432', user: 'grafana', password: { name: 'grafana-db', key: 'password' } };

  it('replace one pod at a time instead of surging onto a node the anti-affinity forbids', () => {
    const objects = synthStack({ spread: 'required', grafana: { replicas: 2, database: db, secretKey: { name: 'grafana-secret-key', key: 'secret-key' } }, otelCollector: { enabled: true, replicas: 3 } });
    for (const name of ['grafana', 'otel-collector']) {
      const d = objectOf(objects, 'Deployment', name);
      expect(d.spec.strategy, name).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
      expect(d.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, name).toHaveLength(1);
    }
  });

  it('give one replica no anti-affinity and the default strategy: there is nothing to spread', () => {
    const objects = synthStack({ spread: 'required', otelCollector: { enabled: true } });
    for (const name of ['kube-state-metrics', 'grafana', 'otel-collector']) {
      const d = objectOf(objects, 'Deployment', name);
      expect(d.spec.strategy, name).toBeUndefined();
      expect(d.spec.template.spec.affinity, name).toBeUndefined();
    }
  });

  it('leave preferred spreading with the default surge', () => {
    const d = objectOf(synthStack({ spread: 'preferred', otelCollector: { enabled: true, replicas: 2 } }), 'Deployment', 'otel-collector');
    expect(d.spec.strategy).toBeUndefined();
    expect(d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
  });
});
