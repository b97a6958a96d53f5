import { Construct } from 'constructs';
import { IMAGES } from '../lib/images';
import { Resources } from '../lib/validators';
import { Workload } from '../lib/workload';
import { NODE_EXPORTER } from '../alerts/metric-catalogue';
import { nodeRulePack } from '../alerts/packs/node';
import { STACK_DASHBOARD_UIDS, nodeOverviewDashboard } from '../dashboards/stack';
import { StackComponent } from './component';
import { MetricDrop, componentJob } from './scrape-jobs';
import { MetricFilterMode, QueriedMetrics, feedsQueries } from './prometheus-metric-filter';
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
  /** Collectors switched off with `--no-collector.<name>` (see {@link nodeExporterDisabledCollectors}). @default - none */
  readonly disabledCollectors?: readonly string[];
}

const PORT = 9100;

/**
 * The Linux collectors node_exporter v1.12.1 enables by default (`registerCollector(..., defaultEnabled,
 * ...)` in collector/*_linux.go and collector/*.go at v1.12.1), with the prefixes of the metric names each
 * one writes (`prometheus.BuildFQName(namespace, subsystem, ...)` there; namespace is `node`). Every
 * collector also adds `node_scrape_collector_{duration_seconds,success}{collector="<name>"}`.
 */
export const NODE_EXPORTER_COLLECTORS: Readonly<Record<string, readonly string[]>> = {
  arp: ['node_arp_'],
  bcache: ['node_bcache_'],
  bcachefs: ['node_bcachefs_'],
  bonding: ['node_bonding_'],
  btrfs: ['node_btrfs_'],
  conntrack: ['node_nf_conntrack_'],
  cpu: ['node_cpu_seconds_total', 'node_cpu_guest_seconds_total', 'node_cpu_info', 'node_cpu_core_throttles_total', 'node_cpu_package_throttles_total', 'node_cpu_isolated', 'node_cpu_online', 'node_cpu_flag_info', 'node_cpu_bug_info'],
  cpufreq: ['node_cpu_frequency_', 'node_cpu_scaling_'],
  diskstats: ['node_disk_'],
  dmi: ['node_dmi_'],
  dmmultipath: ['node_dmmultipath_'],
  edac: ['node_edac_'],
  entropy: ['node_entropy_'],
  fibrechannel: ['node_fibrechannel_'],
  filefd: ['node_filefd_'],
  filesystem: ['node_filesystem_'],
  hwmon: ['node_hwmon_'],
  infiniband: ['node_infiniband_'],
  ipvs: ['node_ipvs_'],
  kernel_hung: ['node_kernel_hung_'],
  loadavg: ['node_load1', 'node_load5', 'node_load15'],
  mdadm: ['node_md_'],
  meminfo: ['node_memory_'],
  netclass: ['node_network_info', 'node_network_up', 'node_network_mtu_bytes', 'node_network_speed_bytes', 'node_network_carrier', 'node_network_flags', 'node_network_iface_', 'node_network_address_assign_type', 'node_network_device_id', 'node_network_dormant', 'node_network_name_assign_type', 'node_network_net_dev_group', 'node_network_protocol_type', 'node_network_transmit_queue_length'],
  netdev: ['node_network_receive_', 'node_network_transmit_', 'node_network_address_info'],
  netstat: ['node_netstat_'],
  nfs: ['node_nfs_'],
  nfsd: ['node_nfsd_'],
  nvme: ['node_nvme_'],
  os: ['node_os_'],
  powersupplyclass: ['node_power_supply_'],
  pressure: ['node_pressure_'],
  rapl: ['node_rapl_'],
  schedstat: ['node_schedstat_'],
  selinux: ['node_selinux_'],
  sockstat: ['node_sockstat_'],
  softnet: ['node_softnet_'],
  stat: ['node_intr_total', 'node_context_switches_total', 'node_forks_total', 'node_boot_time_seconds', 'node_procs_'],
  tapestats: ['node_tape_'],
  textfile: ['node_textfile_'],
  thermal_zone: ['node_thermal_zone_', 'node_cooling_device_'],
  time: ['node_time_'],
  timex: ['node_timex_'],
  udp_queues: ['node_udp_queues'],
  uname: ['node_uname_'],
  vmstat: ['node_vmstat_'],
  watchdog: ['node_watchdog_'],
  xfs: ['node_xfs_'],
  zfs: ['node_zfs_'],
};

/**
 * Collectors that `metricFilter: 'curated'` switches off unless a rule or panel reads what they write:
 * hardware, filesystem and kernel-subsystem detail (RAID, NFS, ZFS/XFS/Btrfs internals, sensors, power,
 * InfiniBand/Fibre Channel, IPVS backends, per-CPU scheduler, softnet and frequency counters) that no
 * shipped rule or panel reads. On a node that has the hardware they are the largest part of what
 * node-exporter exposes (IPVS alone writes series per Service backend under kube-proxy's ipvs mode).
 */
export const NODE_EXPORTER_CURATED_OFF: readonly string[] = [
  'arp', 'bcache', 'bcachefs', 'bonding', 'btrfs', 'cpufreq', 'dmmultipath', 'edac', 'entropy', 'fibrechannel',
  'hwmon', 'infiniband', 'ipvs', 'mdadm', 'nfs', 'nfsd', 'nvme', 'powersupplyclass', 'rapl', 'schedstat',
  'softnet', 'tapestats', 'thermal_zone', 'udp_queues', 'watchdog', 'xfs', 'zfs',
];

/** node-exporter series no one needs (`prometheus.metricFilter: 'curated'`); queried names are exempted. */
export const NODE_EXPORTER_DROPS: readonly MetricDrop[] = [
  { names: '(go|promhttp)_.+', reason: "the exporter's own Go runtime and HTTP handler internals; node-exporter is watched by up and NodeExporterDown" },
  { names: 'node_scrape_collector_.+', reason: 'two series per collector about the collector itself (duration, success); a failing collector shows as missing data in the panel that reads it' },
  // The columns of /proc/net/dev beside bytes, packets, errs and drop (collector/netdev_linux.go).
  { names: 'node_network_(receive|transmit)_(compressed|fifo|frame|multicast|nohandler|colls|carrier)_total', reason: 'per-interface driver counters: compressed packets (CSLIP/PPP), FIFO, framing, collision and carrier errors are also counted in errs_total, which the network panels and alerts read' },
  // Attributes of /sys/class/net/<iface> (collector/netclass_linux.go).
  { names: 'node_network_(protocol_type|net_dev_group|iface_id|iface_link|iface_link_mode|address_assign_type|name_assign_type|device_id|dormant|flags)', reason: 'constant kernel attributes of each interface (ARP hardware type, device group, ifindex, link mode, how its address and name were assigned); node_network_info carries its name, address and state' },
];

/**
 * The collectors to switch off: in `queried` mode every default collector that writes nothing a rule,
 * panel or `keepMetrics` entry reads; in `curated` mode those of {@link NODE_EXPORTER_CURATED_OFF} that
 * feed nothing read.
 */
export function nodeExporterDisabledCollectors(mode: MetricFilterMode, q: QueriedMetrics, keepMetrics: readonly string[]): string[] {
  if (mode === 'none') return [];
  const candidates = mode === 'queried' ? Object.keys(NODE_EXPORTER_COLLECTORS) : NODE_EXPORTER_CURATED_OFF;
  return candidates.filter((c) => !feedsQueries(NODE_EXPORTER_COLLECTORS[c], q, keepMetrics)).sort();
}

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
          ...(props.disabledCollectors ?? []).filter((c) => c !== 'wifi').map((c) => `--no-collector.${c}`),
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
  scrapeJobs: (c) => [componentJob('node-exporter', c.namespaces.agents, 'http-metrics', { metricDrops: NODE_EXPORTER_DROPS })],
  rulePacks: () => [nodeRulePack()],
  stackDashboards: () => [{ uid: STACK_DASHBOARD_UIDS.nodeOverview, linkTitle: 'Node overview', build: nodeOverviewDashboard }],
  build: (ctx) => new NodeExporter(ctx.chart('node-exporter'), 'node-exporter', {
    ...ctx.common, namespace: ctx.config.namespaces.agents, resources: ctx.config.nodeExporter.resources,
    disabledCollectors: nodeExporterDisabledCollectors(ctx.config.prometheus.metricFilter, ctx.queriedMetrics, ctx.config.prometheus.keepMetrics),
  }),
};
