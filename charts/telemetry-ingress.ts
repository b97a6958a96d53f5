import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ComponentName, componentLabels, selectorLabels } from '../lib/labels';

/** Where telemetry may come from: every namespace, or named ones (optionally one component's pods there). */
export type TelemetrySource =
  | { readonly allNamespaces: true }
  | { readonly namespaces: readonly string[]; readonly component?: ComponentName };

/** Telemetry admitted into a component from outside the stack's namespace. */
export interface TelemetryIngressRule {
  readonly to: ComponentName;
  /** TCP ports: push and OTLP ports only, never a query port unless the source is trusted. */
  readonly ports: readonly number[];
  readonly from: TelemetrySource;
}

/** Properties of {@link TelemetryIngress}. */
export interface TelemetryIngressProps {
  /** The stack's namespace, where the default-deny policy applies. */
  readonly namespace: string;
  readonly rules: readonly TelemetryIngressRule[];
}

/**
 * NetworkPolicies for telemetry that crosses namespaces: apps anywhere sending OTLP to Jaeger or the
 * collector, node log agents pushing to Loki. One policy per target, `<component>-ingress-telemetry`,
 * next to the stack's `<component>-ingress` policies (policies add up).
 */
export class TelemetryIngress extends Construct {
  constructor(scope: Construct, id: string, props: TelemetryIngressProps) {
    super(scope, id);
    const targets = [...new Set(props.rules.map((r) => r.to))].sort();
    for (const to of targets) {
      new k8s.KubeNetworkPolicy(this, `${to}-ingress-telemetry`, {
        metadata: { name: `${to}-ingress-telemetry`, namespace: props.namespace, labels: componentLabels(to) },
        spec: {
          podSelector: { matchLabels: selectorLabels(to) },
          policyTypes: ['Ingress'],
          ingress: props.rules.filter((r) => r.to === to).map((r) => ({
            from: peers(r.from),
            ports: r.ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })),
          })),
        },
      });
    }
  }
}

function peers(from: TelemetrySource): k8s.NetworkPolicyPeer[] {
  if ('allNamespaces' in from) return [{ namespaceSelector: {} }];
  return from.namespaces.map((ns) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
    ...(from.component ? { podSelector: { matchLabels: selectorLabels(from.component) } } : {}),
  }));
}
