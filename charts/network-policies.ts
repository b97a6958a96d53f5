import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ComponentName, PART_OF, componentLabels, selectorLabels } from '../lib/labels';

/** One allowed flow into a component: who may connect, on which ports. */
export interface IngressFlow {
  readonly to: ComponentName;
  readonly ports: ReadonlyArray<{ readonly port: number; readonly protocol?: 'TCP' | 'UDP' }>;
  /** Components in the same namespace that may connect. */
  readonly from: readonly ComponentName[];
}

/** Properties of {@link NetworkPolicies}. */
export interface NetworkPoliciesProps {
  readonly namespace: string;
  /** The flows to allow; everything else into the namespace is denied. */
  readonly flows: readonly IngressFlow[];
}

/**
 * Default-deny ingress for the stack's namespace, then one policy per component that admits exactly
 * the flows listed. Egress stays open: Prometheus must reach every scrape target in the cluster.
 * (`kubectl port-forward` enters the pod's own network namespace and is not affected.)
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny-ingress', namespace: props.namespace, labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'cdk8s' } },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    for (const flow of mergeFlows(props.flows)) {
      new k8s.KubeNetworkPolicy(this, `${flow.to}-ingress`, {
        metadata: { name: `${flow.to}-ingress`, namespace: props.namespace, labels: componentLabels(flow.to) },
        spec: {
          podSelector: { matchLabels: selectorLabels(flow.to) },
          policyTypes: ['Ingress'],
          ingress: flow.rules.map((r) => ({
            from: r.from.map((c) => ({ podSelector: { matchLabels: selectorLabels(c) } })),
            ports: r.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' })),
          })),
        },
      });
    }
  }
}

/** Groups flows by target so each component gets one policy, in a stable order. */
function mergeFlows(flows: readonly IngressFlow[]): Array<{ to: ComponentName; rules: IngressFlow[] }> {
  const byTarget = new Map<ComponentName, IngressFlow[]>();
  for (const f of flows) byTarget.set(f.to, [...(byTarget.get(f.to) ?? []), f]);
  return [...byTarget.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([to, rules]) => ({ to, rules }));
}
