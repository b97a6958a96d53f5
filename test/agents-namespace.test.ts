import { describe, expect, it } from 'vitest';
import { NODE_CRITICAL_PRIORITY_CLASS } from '../charts/namespaces';
import { objectOf, objectsOf, podTemplates, synthStack } from './helpers/synth';

/**
 * The host agents' namespace: the quota that lets system-node-critical pods in outside kube-system
 * (GKE's ResourceQuota admission limits that class), and the NetworkPolicies that close the agents'
 * HTTP ports to everything but Prometheus.
 */
describe('the agents namespace', () => {
  for (const agent of ['promtail', 'alloy'] as const) {
    const objects = synthStack({ logs: { agent } });

    it(`${agent}: a PriorityClass-scoped ResourceQuota admits the system-node-critical agents`, () => {
      const quota = objectOf(objects, 'ResourceQuota', 'vigil-node-critical-pods');
      expect(quota.metadata.namespace).toBe('monitoring-agents');
      expect(quota.spec.scopeSelector).toEqual({ matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }] });
      // Far above any cluster's node count times the two agents: it admits, it does not limit.
      expect(quota.spec.hard).toEqual({ pods: '100k' });
      const critical = podTemplates(objects).filter((p) => p.spec.priorityClassName === NODE_CRITICAL_PRIORITY_CLASS);
      expect(critical.map((p) => p.owner.metadata.name).sort()).toEqual([agent, 'node-exporter'].sort());
      for (const p of critical) expect(p.owner.metadata.namespace).toBe(quota.metadata.namespace);
    });

    it(`${agent}: ingress is denied by default there, and Prometheus alone reaches the agent's port`, () => {
      const deny = objectsOf(objects, 'NetworkPolicy', 'default-deny-ingress').find((p) => p.metadata.namespace === 'monitoring-agents');
      expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
      const policy = objectOf(objects, 'NetworkPolicy', `${agent}-ingress`);
      expect(policy.metadata.namespace).toBe('monitoring-agents');
      expect(policy.spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': agent, 'app.kubernetes.io/part-of': 'vigil' } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/part-of': 'vigil' } },
          }],
          ports: [{ port: agent === 'promtail' ? 3101 : 12345, protocol: 'TCP' }],
        }],
      });
      // node-exporter is on the host's network, which NetworkPolicies do not govern: no policy pretends otherwise.
      expect(objectOf(objects, 'DaemonSet', 'node-exporter').spec.template.spec.hostNetwork).toBe(true);
      expect(objectsOf(objects, 'NetworkPolicy', 'node-exporter-ingress')).toEqual([]);
    });
  }

  it('follows renamed namespaces', () => {
    const objects = synthStack({ namespaces: { monitoring: 'obs', agents: 'obs-agents' } });
    expect(objectOf(objects, 'ResourceQuota', 'vigil-node-critical-pods').metadata.namespace).toBe('obs-agents');
    expect(objectOf(objects, 'NetworkPolicy', 'promtail-ingress').spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('obs');
  });
});
