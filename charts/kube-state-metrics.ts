import { Construct } from 'constructs';
import { Resources } from '../lib/validators';
import { Workload } from '../lib/workload';
import { KUBE_STATE_METRICS } from '../alerts/metric-catalogue';
import { kubernetesRulePack } from '../alerts/packs/kubernetes';
import { STACK_DASHBOARD_UIDS, kubernetesWorkloadsDashboard } from '../dashboards/stack';
import { StackComponent } from './component';
import { MetricDrop, componentJob } from './scrape-jobs';
import { ApiObject } from 'cdk8s';
import { apiObjectsOf } from './component';
import { res } from './config';

/** Its object metrics and its own telemetry. */
const PORTS = { metrics: 8080, telemetry: 8081 };

/** Properties of {@link KubeStateMetrics}. */
export interface KubeStateMetricsProps {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** @default - the `kubeStateMetrics.resources` default of docs/configuration.md */
  readonly resources?: Resources;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
  /** @default 'none' */
  readonly spread?: 'none' | 'preferred' | 'required';
  /** @default true */
  readonly podDisruptionBudget?: boolean;
}

/**
 * The collectors kube-state-metrics runs, by API group. The `--resources` flag and the ClusterRole are
 * both generated from this table, so RBAC grants list/watch on exactly what is collected. Secrets are
 * deliberately absent: their metadata is not worth a cluster-wide read grant on every Secret. So are
 * ConfigMaps: a cluster-wide read of every ConfigMap (kube-system/aws-auth, app configuration) for
 * `kube_configmap_*` series that no rule or dashboard reads.
 */
export const KSM_COLLECTORS: Record<string, string[]> = {
  '': ['limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'replicationcontrollers', 'resourcequotas', 'services'],
  'apps': ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  'autoscaling': ['horizontalpodautoscalers'],
  'batch': ['cronjobs', 'jobs'],
  'certificates.k8s.io': ['certificatesigningrequests'],
  'coordination.k8s.io': ['leases'],
  'discovery.k8s.io': ['endpointslices'],
  'networking.k8s.io': ['ingresses', 'networkpolicies'],
  'policy': ['poddisruptionbudgets'],
  'storage.k8s.io': ['storageclasses', 'volumeattachments'],
};

/** kube-state-metrics: metrics about Kubernetes objects (pods, deployments, PVCs, jobs...). */
export class KubeStateMetrics extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: KubeStateMetricsProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? 'monitoring';
    const resources = props.resources ?? res('20m', '64Mi', '192Mi');
    const collectors = Object.values(KSM_COLLECTORS).flat().sort();
    this.workload = new Workload(this, 'workload', {
      kind: 'Deployment',
      component: 'kube-state-metrics',
      namespace: namespace,
      automountServiceAccountToken: true,
      imagePullPolicy: props.imagePullPolicy,
      spread: props.spread,
      podDisruptionBudget: props.podDisruptionBudget,
      containers: [{
        name: 'kube-state-metrics',
        image: 'kubeStateMetrics',
        args: [
          `--port=${PORTS.metrics}`,
          `--telemetry-port=${PORTS.telemetry}`,
          `--resources=${collectors.join(',')}`,
          // Lets alerts and dashboards join pods to the app they belong to.
          '--metric-labels-allowlist=pods=[app.kubernetes.io/name,app.kubernetes.io/instance,app],deployments=[app.kubernetes.io/name],statefulsets=[app.kubernetes.io/name]',
        ],
        ports: [{ name: 'http-metrics', port: PORTS.metrics }, { name: 'http-telemetry', port: PORTS.telemetry }],
        resources,
        liveness: { path: '/livez', port: 'http-metrics' },
        readiness: { path: '/readyz', port: 'http-telemetry' },
      }],
      servicePorts: [{ name: 'http-metrics', port: PORTS.metrics }, { name: 'http-telemetry', port: PORTS.telemetry }],
    });

    this.workload.addClusterRole(Object.entries(KSM_COLLECTORS).map(([apiGroup, resources]) => ({ apiGroups: [apiGroup], resources, verbs: ['list', 'watch'] })));
  }

  /** Its ApiObjects: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }
}

/**
 * kube-state-metrics series no one needs (`prometheus.metricFilter: 'curated'`); a name a rule or panel
 * reads is exempted from every drop.
 */
export const KUBE_STATE_METRICS_DROPS: readonly MetricDrop[] = [
  { names: 'kube_.+_annotations', reason: 'one constant series per object with no annotation in it: no --metric-annotations-allowlist is set' },
  { names: 'kube_.+_created', reason: 'creation timestamps of every object; ages are not alerted on, and pods show theirs in kube_pod_start_time' },
  { names: 'kube_replicaset_.+', reason: 'every Deployment keeps up to 10 old ReplicaSets (revisionHistoryLimit), each with its own series; the Deployment metrics carry what alerts and panels need' },
  { names: 'kube_pod_tolerations', reason: 'one series per toleration of every pod (DaemonSet pods carry half a dozen each); scheduling is debugged with kubectl' },
  { names: 'kube_endpointslice_endpoints(_hints)?', reason: 'one series per endpoint address, changing with every pod restart; Service health is watched through probes and targets' },
  { names: 'kube_lease_.+', reason: 'node heartbeat and leader-election leases; node health is kube_node_status_condition' },
  { names: 'kube_pod_status_(qos_class|scheduled|scheduled_time|initialized_time|ready_time|container_ready_time)', reason: 'three series per pod for the QoS class, which follows from the requests and limits in kube_pod_container_resource_*, three for the PodScheduled condition and four timestamps; a pod that does not schedule or get ready shows in kube_pod_status_phase and kube_pod_status_ready' },
  { names: 'kube_pod_(service_account|scheduler|restart_policy|ips)', reason: 'constant facts of every pod (its ServiceAccount, scheduler, restart policy, addresses), read with kubectl and alerted on by no one' },
  { names: 'kube_pod_container_state_started', reason: 'the start time of every container; restarts are counted by kube_pod_container_status_restarts_total' },
  { names: 'kube_.+_metadata_resource_version', reason: "the object's resourceVersion as a number, one series per ConfigMap, Secret and the like; it says that an object changed, not what, and no alert reads it" },
];

/** The stack component: Kubernetes object metrics, the `kubernetes` pack and the workloads dashboard. */
export const kubeStateMetricsComponent: StackComponent = {
  name: 'kube-state-metrics',
  enabled: (c) => c.kubeStateMetrics.enabled,
  jobNames: ['kube-state-metrics'],
  catalogues: [KUBE_STATE_METRICS],
  // honor_labels: the series describe other objects; their namespace/pod labels must win over the
  // labels of the kube-state-metrics pod itself.
  scrapeJobs: (c) => [componentJob('kube-state-metrics', c.namespaces.monitoring, 'http-metrics', { honorLabels: true, metricDrops: KUBE_STATE_METRICS_DROPS })],
  // Only the object metrics: nothing scrapes the telemetry port, which stays for the kubelet's
  // readiness probe (probes come from the node, not through the NetworkPolicy).
  ingress: () => [{ ports: [{ port: PORTS.metrics }], from: ['prometheus'] }],
  rulePacks: () => [kubernetesRulePack()],
  stackDashboards: () => [{ uid: STACK_DASHBOARD_UIDS.kubernetesWorkloads, linkTitle: 'Kubernetes workloads', build: kubernetesWorkloadsDashboard }],
  build: (ctx) => new KubeStateMetrics(ctx.chart('kube-state-metrics'), 'kube-state-metrics', {
    ...ctx.common, namespace: ctx.config.namespaces.monitoring, resources: ctx.config.kubeStateMetrics.resources,
  }),
};
