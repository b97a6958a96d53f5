import { KUBE_STATE_METRICS, KUBELET } from '../metric-catalogue';
import { alertRule, formatNumber, percent } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';
import { sel } from './selector';

/** Options of the `kubernetes` pack (kube-state-metrics and kubelet volume statistics). */
export interface KubernetesPackOptions {
  /**
   * Matchers selecting kube-state-metrics series.
   * @default 'job="kube-state-metrics"'
   */
  readonly kubeStateMetricsSelector?: string;
  /**
   * Matchers selecting kubelet series (volume statistics).
   * @default 'job="kubelet"'
   */
  readonly kubeletSelector?: string;
  /**
   * Matchers restricting which namespaces are watched, e.g. `namespace=~"monitoring|apps"`.
   * @default - all namespaces
   */
  readonly namespaceSelector?: string;
  /**
   * Free-space ratio of a PersistentVolume below which `KubePersistentVolumeFillingUp` (warning) fires.
   * @default 0.1
   */
  readonly volumeLowRatio?: number;
  /**
   * Free-space ratio below which `KubePersistentVolumeAlmostFull` (critical) fires.
   * @default 0.03
   */
  readonly volumeCriticalRatio?: number;
}

/** The `kubernetes` pack: crash loops, unready pods, replica mismatches, failed jobs, OOM kills, full volumes, unready nodes. */
export function kubernetesRulePack(options: KubernetesPackOptions = {}): RulePack {
  const K = options.kubeStateMetricsSelector ?? 'job="kube-state-metrics"';
  const KL = options.kubeletSelector ?? 'job="kubelet"';
  const NS = options.namespaceSelector;
  const ksm = 'job="kube-state-metrics", instance="10.0.0.20:8080"';
  const ksmLabels = { job: 'kube-state-metrics', instance: '10.0.0.20:8080' };
  const pod = { ...ksmLabels, namespace: 'apps', pod: 'api-7d9f8-x2x4z', container: 'api' };

  const crashLooping = alertRule({
    name: 'KubePodCrashLooping',
    expr: `max_over_time(${sel('kube_pod_container_status_waiting_reason', K, NS, 'reason="CrashLoopBackOff"')}[5m]) >= 1`,
    for: '15m',
    severity: 'warning',
    summary: 'A container is crash looping.',
    description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} keeps crashing and Kubernetes is backing off restarts (CrashLoopBackOff).',
    tests: [{
      name: 'KubePodCrashLooping: container in CrashLoopBackOff',
      series: [{ series: `kube_pod_container_status_waiting_reason{${ksm}, namespace="apps", pod="api-7d9f8-x2x4z", container="api", reason="CrashLoopBackOff"}`, values: '0x5 1x30' }],
      alerts: [
        { at: '4m', state: 'inactive' },
        { at: '15m', state: 'pending', alerts: [{ labels: { ...pod, reason: 'CrashLoopBackOff' } }] },
        { at: '25m', state: 'firing', alerts: [{ labels: { ...pod, reason: 'CrashLoopBackOff' } }] },
      ],
    }],
  });

  const podNotReady = alertRule({
    name: 'KubePodNotReady',
    // Pods of Jobs are left out: a Job pod that fails is reported by KubeJobFailed.
    expr: `
      sum by (namespace, pod) (${sel('kube_pod_status_phase', K, NS, 'phase=~"Pending|Unknown|Failed"')}) > 0
      unless on (namespace, pod)
      ${sel('kube_pod_owner', K, 'owner_kind="Job"')}
    `,
    for: '15m',
    severity: 'warning',
    summary: 'A pod is not running.',
    description: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is Pending, Failed or Unknown; check its events for scheduling, image or volume problems.',
    tests: [{
      name: 'KubePodNotReady: pod stuck pending, job pod ignored',
      series: [
        { series: `kube_pod_status_phase{${ksm}, namespace="apps", pod="api-7d9f8-x2x4z", phase="Pending"}`, values: '1x40' },
        { series: `kube_pod_status_phase{${ksm}, namespace="apps", pod="api-7d9f8-x2x4z", phase="Running"}`, values: '0x40' },
        { series: `kube_pod_status_phase{${ksm}, namespace="apps", pod="migrate-abcde", phase="Failed"}`, values: '1x40' },
        { series: `kube_pod_owner{${ksm}, namespace="apps", pod="migrate-abcde", owner_kind="Job", owner_name="migrate"}`, values: '1x40' },
      ],
      alerts: [
        { at: '10m', state: 'pending', alerts: [{ labels: { namespace: 'apps', pod: 'api-7d9f8-x2x4z' } }] },
        { at: '20m', state: 'firing', alerts: [{ labels: { namespace: 'apps', pod: 'api-7d9f8-x2x4z' } }] },
      ],
    }, {
      name: 'KubePodNotReady: running pod',
      series: [
        { series: `kube_pod_status_phase{${ksm}, namespace="apps", pod="api-7d9f8-x2x4z", phase="Pending"}`, values: '1x2 0x40' },
        { series: `kube_pod_status_phase{${ksm}, namespace="apps", pod="api-7d9f8-x2x4z", phase="Running"}`, values: '0x2 1x40' },
      ],
      alerts: [{ at: '30m', state: 'inactive' }],
    }],
  });

  const deployment = { ...ksmLabels, namespace: 'apps', deployment: 'api' };
  const deploymentMismatch = alertRule({
    name: 'KubeDeploymentReplicasMismatch',
    // Only when the rollout is not progressing: during a rolling update fewer replicas are available by design.
    expr: `
      ${sel('kube_deployment_spec_replicas', K, NS)} > ${sel('kube_deployment_status_replicas_available', K, NS)}
      and
      changes(${sel('kube_deployment_status_replicas_updated', K, NS)}[10m]) == 0
    `,
    for: '15m',
    severity: 'warning',
    summary: 'A Deployment does not have its desired number of available replicas.',
    description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} wants {{ $value }} replicas but fewer are available, and the rollout is not progressing.',
    tests: [{
      name: 'KubeDeploymentReplicasMismatch: one of three replicas unavailable',
      series: [
        { series: `kube_deployment_spec_replicas{${ksm}, namespace="apps", deployment="api"}`, values: '3x40' },
        { series: `kube_deployment_status_replicas_available{${ksm}, namespace="apps", deployment="api"}`, values: '3x3 2x37' },
        { series: `kube_deployment_status_replicas_updated{${ksm}, namespace="apps", deployment="api"}`, values: '3x40' },
      ],
      alerts: [
        { at: '2m', state: 'inactive' },
        { at: '10m', state: 'pending', alerts: [{ labels: deployment }] },
        { at: '25m', state: 'firing', alerts: [{ labels: deployment, annotations: { description: 'Deployment apps/api wants 3 replicas but fewer are available, and the rollout is not progressing.' } }] },
      ],
    }],
  });

  const statefulset = { ...ksmLabels, namespace: 'monitoring', statefulset: 'alertmanager' };
  const statefulSetMismatch = alertRule({
    name: 'KubeStatefulSetReplicasMismatch',
    expr: `
      ${sel('kube_statefulset_replicas', K, NS)} > ${sel('kube_statefulset_status_replicas_ready', K, NS)}
      and
      changes(${sel('kube_statefulset_status_replicas_updated', K, NS)}[10m]) == 0
    `,
    for: '15m',
    severity: 'warning',
    summary: 'A StatefulSet does not have its desired number of ready replicas.',
    description: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} wants {{ $value }} replicas but fewer are ready, and the rollout is not progressing.',
    tests: [{
      name: 'KubeStatefulSetReplicasMismatch: one replica not ready',
      series: [
        { series: `kube_statefulset_replicas{${ksm}, namespace="monitoring", statefulset="alertmanager"}`, values: '3x40' },
        { series: `kube_statefulset_status_replicas_ready{${ksm}, namespace="monitoring", statefulset="alertmanager"}`, values: '3x3 2x37' },
        { series: `kube_statefulset_status_replicas_updated{${ksm}, namespace="monitoring", statefulset="alertmanager"}`, values: '3x40' },
      ],
      alerts: [
        { at: '2m', state: 'inactive' },
        { at: '10m', state: 'pending', alerts: [{ labels: statefulset }] },
        { at: '25m', state: 'firing', alerts: [{ labels: statefulset, annotations: { description: 'StatefulSet monitoring/alertmanager wants 3 replicas but fewer are ready, and the rollout is not progressing.' } }] },
      ],
    }],
  });

  const daemonset = { ...ksmLabels, namespace: 'monitoring-agents', daemonset: 'node-exporter' };
  const daemonSetNotReady = alertRule({
    name: 'KubeDaemonSetNotReady',
    expr: `
      ${sel('kube_daemonset_status_desired_number_scheduled', K, NS)}
        -
      ${sel('kube_daemonset_status_number_ready', K, NS)} > 0
    `,
    for: '15m',
    severity: 'warning',
    summary: 'A DaemonSet is not ready on every node.',
    description: 'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} has {{ $value }} pods that are not ready; those nodes miss it.',
    tests: [{
      name: 'KubeDaemonSetNotReady: one node without a ready pod',
      series: [
        { series: `kube_daemonset_status_desired_number_scheduled{${ksm}, namespace="monitoring-agents", daemonset="node-exporter"}`, values: '3x40' },
        { series: `kube_daemonset_status_number_ready{${ksm}, namespace="monitoring-agents", daemonset="node-exporter"}`, values: '3x3 2x37' },
      ],
      alerts: [
        { at: '2m', state: 'inactive' },
        { at: '10m', state: 'pending', alerts: [{ labels: daemonset }] },
        { at: '25m', state: 'firing', alerts: [{ labels: daemonset, annotations: { description: 'DaemonSet monitoring-agents/node-exporter has 1 pods that are not ready; those nodes miss it.' } }] },
      ],
    }],
  });

  const jobFailed = alertRule({
    name: 'KubeJobFailed',
    expr: `${sel('kube_job_failed', K, NS, 'condition="true"')} == 1`,
    severity: 'warning',
    summary: 'A Kubernetes Job failed.',
    description: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed to complete; delete it once investigated to clear this alert.',
    tests: [{
      name: 'KubeJobFailed: job runs out of retries',
      series: [{ series: `kube_job_failed{${ksm}, namespace="apps", job_name="migrate", condition="true"}`, values: '0x5 1x10' }],
      alerts: [
        { at: '3m', state: 'inactive' },
        { at: '8m', state: 'firing', alerts: [{ labels: { ...ksmLabels, namespace: 'apps', job_name: 'migrate', condition: 'true' } }] },
      ],
    }],
  });

  const oomKilled = alertRule({
    name: 'KubeContainerOomKilled',
    expr: `
      (${sel('kube_pod_container_status_restarts_total', K, NS)} - ${sel('kube_pod_container_status_restarts_total', K, NS)} offset 10m >= 1)
      and ignoring (reason)
      min_over_time(${sel('kube_pod_container_status_last_terminated_reason', K, NS, 'reason="OOMKilled"')}[10m]) == 1
    `,
    severity: 'warning',
    summary: 'A container was killed for using more memory than its limit.',
    description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was OOM-killed and restarted in the last 10 minutes; raise its memory limit or fix the leak.',
    tests: [{
      name: 'KubeContainerOomKilled: restart after OOM kill',
      series: [
        { series: `kube_pod_container_status_restarts_total{${ksm}, namespace="apps", pod="api-7d9f8-x2x4z", container="api"}`, values: '0x14 1x20' },
        { series: `kube_pod_container_status_last_terminated_reason{${ksm}, namespace="apps", pod="api-7d9f8-x2x4z", container="api", reason="OOMKilled"}`, values: '_x14 1x20' },
      ],
      alerts: [
        { at: '12m', state: 'inactive' },
        { at: '18m', state: 'firing', alerts: [{ labels: pod }] },
        { at: '30m', state: 'inactive' },
      ],
    }],
  });

  const pvc = { job: 'kubelet', instance: 'worker-1', namespace: 'monitoring', persistentvolumeclaim: 'data-prometheus-0' };
  const volSeries = (available: string) => [
    { series: 'kubelet_volume_stats_capacity_bytes{job="kubelet", instance="worker-1", namespace="monitoring", persistentvolumeclaim="data-prometheus-0"}', values: '10000000000x30' },
    { series: 'kubelet_volume_stats_available_bytes{job="kubelet", instance="worker-1", namespace="monitoring", persistentvolumeclaim="data-prometheus-0"}', values: available },
  ];
  const volumeExpr = (t: number) => `
    ${sel('kubelet_volume_stats_available_bytes', KL, NS)}
      /
    ${sel('kubelet_volume_stats_capacity_bytes', KL, NS)} < ${formatNumber(t)}
  `;
  const volumeFillingUp = alertRule({
    name: 'KubePersistentVolumeFillingUp',
    threshold: options.volumeLowRatio ?? 0.1,
    expr: volumeExpr,
    for: '5m',
    severity: 'warning',
    summary: (t) => `A PersistentVolume has less than ${percent(t)} space left.`,
    description: 'The volume of PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} space left.',
    tests: [{
      name: 'KubePersistentVolumeFillingUp: 8% free',
      series: volSeries('2000000000x5 800000000x25'),
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels: pvc }] },
        { at: '15m', state: 'firing', alerts: [{ labels: pvc, annotations: { description: 'The volume of PersistentVolumeClaim monitoring/data-prometheus-0 has 8% space left.' } }] },
      ],
    }],
  });
  const volumeAlmostFull = alertRule({
    name: 'KubePersistentVolumeAlmostFull',
    threshold: options.volumeCriticalRatio ?? 0.03,
    expr: volumeExpr,
    for: '1m',
    severity: 'critical',
    summary: (t) => `A PersistentVolume has less than ${percent(t)} space left.`,
    description: 'The volume of PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has only {{ $value | humanizePercentage }} space left; the application using it will fail to write.',
    tests: [{
      name: 'KubePersistentVolumeAlmostFull: 2% free',
      series: volSeries('800000000x5 200000000x25'),
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '6m', state: 'pending', alerts: [{ labels: pvc }] },
        { at: '10m', state: 'firing', alerts: [{ labels: pvc, annotations: { description: 'The volume of PersistentVolumeClaim monitoring/data-prometheus-0 has only 2% space left; the application using it will fail to write.' } }] },
      ],
    }],
  });

  const nodeNotReady = alertRule({
    name: 'KubeNodeNotReady',
    expr: `${sel('kube_node_status_condition', K, 'condition="Ready"', 'status="true"')} == 0`,
    for: '15m',
    severity: 'warning',
    summary: 'A Kubernetes node is not ready.',
    description: 'Node {{ $labels.node }} is not Ready; its pods are being evicted or cannot run.',
    tests: [{
      name: 'KubeNodeNotReady: kubelet stops reporting',
      series: [{ series: `kube_node_status_condition{${ksm}, node="worker-2", condition="Ready", status="true"}`, values: '1x5 0x30' }],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '15m', state: 'pending', alerts: [{ labels: { ...ksmLabels, node: 'worker-2', condition: 'Ready', status: 'true' } }] },
        { at: '25m', state: 'firing', alerts: [{ labels: { ...ksmLabels, node: 'worker-2', condition: 'Ready', status: 'true' } }] },
      ],
    }],
  });

  return {
    name: 'kubernetes',
    source: 'alerts/packs/kubernetes.ts',
    catalogues: [KUBE_STATE_METRICS, KUBELET],
    groups: [
      ruleGroup({ name: 'kubernetes.workloads', rules: [crashLooping, podNotReady, deploymentMismatch, statefulSetMismatch, daemonSetNotReady, jobFailed, oomKilled] }),
      ruleGroup({ name: 'kubernetes.storage', rules: [volumeFillingUp, volumeAlmostFull] }),
      ruleGroup({ name: 'kubernetes.nodes', rules: [nodeNotReady] }),
    ],
  };
}
