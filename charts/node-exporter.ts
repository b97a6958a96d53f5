import { Construct } from 'constructs';
import { IMAGES } from '../lib/images';
import { Resources } from '../lib/validators';
import { Workload } from '../lib/workload';
import { NODE_EXPORTER } from '../alerts/metric-catalogue';
import { nodeRulePack } from '../alerts/packs/node';
import { STACK_DASHBOARD_UIDS, nodeOverviewDashboard } from '../dashboards/stack';
import { StackComponent } from './component';
import { componentJob } from './scrape-jobs';
import { ApiObject } from 'cdk8s';
import { apiObjectsOf } from './component';
import { NODE_CRITICAL_PRIORITY_CLASS } from './namespaces';
import { res } from './config';

/** Properties of {@link NodeExporter}. */
export interface NodeExporterProps {
  /** @default 'monitoring-agents' */
  readonly namespace?: string;
  /** @default - the `nodeExporter.resources` default of docs/configuration.md */
  readonly resources?: Resources;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
}

const PORT = 9100;

/**
 * node-exporter on every node, including tainted control-plane nodes. It cannot run under Pod Security
 * "restricted": it needs the host's network namespace (so network metrics are the node's, and
 * Prometheus reaches it on the node IP), the host's PID namespace (process counts) and read-only
 * views of /proc, /sys and /. Everything else stays restricted: non-root UID, no capabilities,
 * read-only root filesystem, no privilege escalation.
 */
export class NodeExporter extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: NodeExporterProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? 'monitoring-agents';
    const resources = props.resources ?? res('20m', '32Mi', '64Mi');
    this.workload = new Workload(this, 'workload', {
      kind: 'DaemonSet',
      component: 'node-exporter',
      namespace: namespace,
      imagePullPolicy: props.imagePullPolicy,
      containers: [{
        name: 'node-exporter',
        image: 'nodeExporter',
        args: [
          '--path.procfs=/host/proc',
          '--path.sysfs=/host/sys',
          '--path.rootfs=/host/root',
          '--path.udev.data=/host/root/run/udev/data',
          `--web.listen-address=:${PORT}`,
          // Container and pod mounts would otherwise show up as thousands of filesystems.
          '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/k3s/containerd/.+|var/lib/docker/.+|var/lib/kubelet/pods/.+|var/lib/containers/storage/.+)($|/)',
          '--collector.netclass.ignored-devices=^(veth.*|cali.*|[a-f0-9]{15})$',
          '--collector.netdev.device-exclude=^(veth.*|cali.*|[a-f0-9]{15})$',
          '--no-collector.wifi',
        ],
        ports: [{ name: 'http-metrics', port: PORT }],
        resources,
        liveness: { path: '/', port: 'http-metrics' },
        readiness: { path: '/', port: 'http-metrics' },
        volumeMounts: [
          { name: 'proc', mountPath: '/host/proc', readOnly: true },
          { name: 'sys', mountPath: '/host/sys', readOnly: true },
          // HostToContainer so filesystems mounted on the host after start are seen.
          { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
        ],
      }],
      volumes: [
        { name: 'proc', hostPath: { path: '/proc', type: 'Directory' } },
        { name: 'sys', hostPath: { path: '/sys', type: 'Directory' } },
        { name: 'root', hostPath: { path: '/', type: 'Directory' } },
      ],
      user: IMAGES.nodeExporter.user,
      podOverrides: {
        hostNetwork: true,
        hostPid: true,
        dnsPolicy: 'ClusterFirstWithHostNet',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        // Metrics of every node, control plane and tainted nodes included.
        tolerations: [{ operator: 'Exists' }],
        // Admitted outside kube-system by the ResourceQuota in charts/namespaces.ts.
        priorityClassName: NODE_CRITICAL_PRIORITY_CLASS,
      },
      servicePorts: [{ name: 'http-metrics', port: PORT }],
    });
  }

  /** Its ApiObjects: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }
}

/** The stack component: host metrics from every node, the `node` pack and the node overview. */
export const nodeExporterComponent: StackComponent = {
  name: 'node-exporter',
  enabled: (c) => c.nodeExporter.enabled,
  jobNames: ['node-exporter'],
  catalogues: [NODE_EXPORTER],
  // Host network: Prometheus reaches it on the node's address. NetworkPolicies select pod-network
  // traffic only, so the agents namespace's default-deny policy neither blocks nor protects it; the
  // node's own firewall decides who reaches port 9100.
  scrapeJobs: (c) => [componentJob('node-exporter', c.namespaces.agents, 'http-metrics')],
  rulePacks: () => [nodeRulePack()],
  stackDashboards: () => [{ uid: STACK_DASHBOARD_UIDS.nodeOverview, linkTitle: 'Node overview', build: nodeOverviewDashboard }],
  build: (ctx) => new NodeExporter(ctx.chart('node-exporter'), 'node-exporter', {
    ...ctx.common, namespace: ctx.config.namespaces.agents, resources: ctx.config.nodeExporter.resources,
  }),
};
