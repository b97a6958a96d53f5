import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PART_OF } from '../lib/labels';
import { podSecurityLabels } from '../lib/security';

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
  }
}
