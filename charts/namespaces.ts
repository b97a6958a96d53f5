import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PART_OF } from '../lib/labels';
import { podSecurityLabels } from '../lib/security';

/** The PriorityClass of the host agents (node-exporter, the log agent). */
export const NODE_CRITICAL_PRIORITY_CLASS = 'system-node-critical';

/** Properties of {@link Namespaces}. */
export interface NamespacesProps {
  /** Namespace of the stack. */
  readonly monitoring: string;
  /** Namespace of host agents. */
  readonly agents: string;
}

/**
 * The stack's two namespaces. `monitoring` enforces Pod Security "restricted". Host agents
 * (node-exporter, the log agent) need hostPath/hostNetwork, which no stricter level allows, so they
 * live apart in `monitoring-agents` at "privileged", where nothing else runs.
 */
export class Namespaces extends Construct {
  constructor(scope: Construct, id: string, props: NamespacesProps) {
    super(scope, id);
    const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'cdk8s' };
    new k8s.KubeNamespace(this, 'monitoring', {
      metadata: { name: props.monitoring, labels: { ...labels, ...podSecurityLabels('restricted') } },
    });
    new k8s.KubeNamespace(this, 'agents', {
      metadata: { name: props.agents, labels: { ...labels, ...podSecurityLabels('privileged') } },
    });
    // The host agents run at system-node-critical, so the kubelet evicts them last. Clusters that
    // limit that class to kube-system (GKE configures the ResourceQuota admission plugin with it as a
    // limited resource) admit such pods elsewhere only where a ResourceQuota with a PriorityClass
    // scope covers them; this one does, with no real limit, and changes nothing on other clusters.
    new k8s.KubeResourceQuota(this, 'agents-node-critical', {
      metadata: { name: 'vigil-node-critical-pods', namespace: props.agents, labels },
      spec: {
        hard: { pods: k8s.Quantity.fromString('100k') },
        scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [NODE_CRITICAL_PRIORITY_CLASS] }] },
      },
    });
    // Nothing may connect to the agents unless a policy admits it (the log agent admits Prometheus to
    // its metrics port). node-exporter uses the host's network, where NetworkPolicies do not apply.
    new k8s.KubeNetworkPolicy(this, 'agents-default-deny', {
      metadata: { name: 'default-deny-ingress', namespace: props.agents, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
  }
}
