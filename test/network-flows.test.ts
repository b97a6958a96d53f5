import { describe, expect, it } from 'vitest';
import { objectOf, objectsOf, synthStack } from './helpers/synth';

const admitted = (policy: any): string[] => policy.spec.ingress.flatMap((r: any) => r.from.map((f: any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name'])).sort();

describe('network flows follow what is deployed', () => {
  it('admits Grafana into Prometheus, Alertmanager, Loki and Jaeger when Grafana runs', () => {
    const objects = synthStack();
    for (const target of ['prometheus', 'alertmanager', 'loki', 'jaeger']) expect(admitted(objectOf(objects, 'NetworkPolicy', `${target}-ingress`)), target).toContain('grafana');
  });

  it('admits no Grafana anywhere when Grafana is disabled', () => {
    const objects = synthStack({ grafana: { enabled: false } });
    for (const policy of objectsOf(objects, 'NetworkPolicy')) expect(JSON.stringify(policy.spec), policy.metadata.name).not.toContain('"grafana"');
  });

  it('has no policy for a component that is not deployed', () => {
    const objects = synthStack({ loki: { enabled: false }, jaeger: { enabled: false } });
    const names = objectsOf(objects, 'NetworkPolicy').map((p) => p.metadata.name);
    expect(names).not.toContain('loki-ingress');
    expect(names).not.toContain('jaeger-ingress');
    expect(admitted(objectOf(objects, 'NetworkPolicy', 'alertmanager-ingress'))).not.toContain('loki');
  });
});

describe('admitted ports are the ones something reaches', () => {
  it('admits Prometheus to kube-state-metrics\' object metrics (8080), not its telemetry port (8081, readiness probe only)', () => {
    const policy = objectOf(synthStack(), 'NetworkPolicy', 'kube-state-metrics-ingress');
    expect(policy.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port))).toEqual([8080]);
  });
});
