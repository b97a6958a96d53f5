import { NODE_EXPORTER, PROMETHEUS_SYNTHETIC } from '../metric-catalogue';
import { alertRule, formatNumber, percent, recordingRule } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';
import { sel } from './selector';

/** Filesystems the node pack watches: real disks, not tmpfs, overlay, image mounts or pod volumes. */
export const DEFAULT_FILESYSTEM_SELECTOR = 'fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|iso9660|fuse.*", mountpoint!~"/var/lib/kubelet/.+|/run/.+"';

/** Options of the `node` pack (node_exporter on every node). */
export interface NodePackOptions {
  /**
   * Matchers selecting node-exporter targets.
   * @default 'job="node-exporter"'
   */
  readonly selector?: string;
  /**
   * Matchers selecting the filesystems to watch. Pseudo and image filesystems (tmpfs, overlay, squashfs)
   * and the per-pod mounts under /var/lib/kubelet (watched as PersistentVolumes instead) are left out.
   * @default 'fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|iso9660|fuse.*", mountpoint!~"/var/lib/kubelet/.+|/run/.+"'
   */
  readonly filesystemSelector?: string;
  /**
   * CPU utilisation (0–1) above which `NodeHighCpuUsage` fires.
   * @default 0.9
   */
  readonly cpuThreshold?: number;
  /**
   * Memory utilisation (0–1) above which `NodeHighMemoryUsage` fires.
   * @default 0.9
   */
  readonly memoryThreshold?: number;
  /**
   * Free-space ratio below which `NodeFilesystemSpaceLow` (warning) fires.
   * @default 0.1
   */
  readonly filesystemLowRatio?: number;
  /**
   * Free-space ratio below which `NodeFilesystemAlmostFull` (critical) fires.
   * @default 0.05
   */
  readonly filesystemCriticalRatio?: number;
  /**
   * Hours ahead for which `NodeFilesystemFillingUp` predicts the filesystem to be full.
   * @default 24
   */
  readonly fillPredictionHours?: number;
}

/** The `node` pack: node-exporter up-ness, CPU, memory, disk space, disk-fill prediction, read-only filesystems. */
export function nodeRulePack(options: NodePackOptions = {}): RulePack {
  const S = options.selector ?? 'job="node-exporter"';
  const FS = options.filesystemSelector ?? DEFAULT_FILESYSTEM_SELECTOR;
  const node = { job: 'node-exporter', instance: '10.0.0.10:9100', node: 'worker-1' };
  const fsLabels = { ...node, device: '/dev/sda1', fstype: 'ext4', mountpoint: '/' };
  const fsSeries = (metric: string) => `${metric}{job="node-exporter", instance="10.0.0.10:9100", node="worker-1", device="/dev/sda1", fstype="ext4", mountpoint="/"}`;

  const cpuRecord = recordingRule({
    record: 'instance:node_cpu_utilisation:rate5m',
    // idle, iowait and steal are time the node could not or did not use the CPU for work.
    expr: `1 - avg without (cpu) (sum without (mode) (rate(${sel('node_cpu_seconds_total', S, 'mode=~"idle|iowait|steal"')}[5m])))`,
  });
  const memoryRecord = recordingRule({
    record: 'instance:node_memory_utilisation:ratio',
    expr: `1 - (${sel('node_memory_MemAvailable_bytes', S)} / ${sel('node_memory_MemTotal_bytes', S)})`,
  });

  const exporterDown = alertRule({
    name: 'NodeExporterDown',
    expr: `${sel('up', S)} == 0`,
    for: '5m',
    severity: 'warning',
    summary: 'node-exporter cannot be scraped.',
    description: 'Prometheus cannot scrape node-exporter {{ $labels.instance }} (node {{ $labels.node }}); node alerts for it are blind.',
    tests: [{
      name: 'NodeExporterDown: scrape fails',
      series: [{ series: 'up{job="node-exporter", instance="10.0.0.10:9100", node="worker-1"}', values: '1x3 0x20' }],
      alerts: [
        { at: '3m', state: 'inactive' },
        { at: '6m', state: 'pending', alerts: [{ labels: node }] },
        { at: '10m', state: 'firing', alerts: [{ labels: node }] },
      ],
    }],
  });

  // Two CPUs; each second the idle counter grows by `idle` seconds per CPU.
  const cpuSeries = (idlePerSecond: number) => [0, 1].map((cpu) => ({
    series: `node_cpu_seconds_total{job="node-exporter", instance="10.0.0.10:9100", node="worker-1", cpu="${cpu}", mode="idle"}`,
    values: `0+${idlePerSecond * 60}x40`,
  }));
  const cpu = alertRule({
    name: 'NodeHighCpuUsage',
    threshold: options.cpuThreshold ?? 0.9,
    expr: (t) => `${sel('instance:node_cpu_utilisation:rate5m', S)} > ${formatNumber(t)}`,
    for: '15m',
    severity: 'warning',
    summary: (t) => `Node CPU usage is above ${percent(t)}.`,
    description: 'CPU usage on {{ $labels.instance }} (node {{ $labels.node }}) is {{ $value | humanizePercentage }}.',
    tests: [
      {
        name: 'NodeHighCpuUsage: 95% busy',
        series: cpuSeries(0.05),
        alerts: [
          { at: '10m', state: 'pending', alerts: [{ labels: node }] },
          { at: '25m', state: 'firing', alerts: [{ labels: node, annotations: { description: 'CPU usage on 10.0.0.10:9100 (node worker-1) is 95%.' } }] },
        ],
      },
      { name: 'NodeHighCpuUsage: 50% busy', series: cpuSeries(0.5), alerts: [{ at: '30m', state: 'inactive' }] },
    ],
  });

  const memSeries = (available: number) => [
    { series: 'node_memory_MemTotal_bytes{job="node-exporter", instance="10.0.0.10:9100", node="worker-1"}', values: '8000000000x40' },
    { series: 'node_memory_MemAvailable_bytes{job="node-exporter", instance="10.0.0.10:9100", node="worker-1"}', values: `${available}x40` },
  ];
  const memory = alertRule({
    name: 'NodeHighMemoryUsage',
    threshold: options.memoryThreshold ?? 0.9,
    expr: (t) => `${sel('instance:node_memory_utilisation:ratio', S)} > ${formatNumber(t)}`,
    for: '15m',
    severity: 'warning',
    summary: (t) => `Node memory usage is above ${percent(t)}.`,
    description: 'Memory usage on {{ $labels.instance }} (node {{ $labels.node }}) is {{ $value | humanizePercentage }}; pods may be OOM-killed or evicted.',
    tests: [
      {
        name: 'NodeHighMemoryUsage: 95% used',
        series: memSeries(400000000),
        alerts: [
          { at: '10m', state: 'pending', alerts: [{ labels: node }] },
          { at: '20m', state: 'firing', alerts: [{ labels: node, annotations: { description: 'Memory usage on 10.0.0.10:9100 (node worker-1) is 95%; pods may be OOM-killed or evicted.' } }] },
        ],
      },
      { name: 'NodeHighMemoryUsage: half used', series: memSeries(4000000000), alerts: [{ at: '30m', state: 'inactive' }] },
    ],
  });

  const fsSpace = (avail: string) => [
    { series: fsSeries('node_filesystem_size_bytes'), values: '100000000000x200' },
    { series: fsSeries('node_filesystem_avail_bytes'), values: avail },
    { series: fsSeries('node_filesystem_readonly'), values: '0x200' },
  ];
  const spaceExpr = (t: number) => `
    ${sel('node_filesystem_avail_bytes', S, FS)} / ${sel('node_filesystem_size_bytes', S, FS)} < ${formatNumber(t)}
    and
    ${sel('node_filesystem_readonly', S, FS)} == 0
  `;
  const spaceLow = alertRule({
    name: 'NodeFilesystemSpaceLow',
    threshold: options.filesystemLowRatio ?? 0.1,
    expr: spaceExpr,
    for: '5m',
    severity: 'warning',
    summary: (t) => `A filesystem has less than ${percent(t)} space left.`,
    description: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} (node {{ $labels.node }}) has {{ $value | humanizePercentage }} space left.',
    tests: [{
      name: 'NodeFilesystemSpaceLow: 8% free',
      series: fsSpace('20000000000x5 8000000000x35'),
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels: fsLabels }] },
        { at: '15m', state: 'firing', alerts: [{ labels: fsLabels, annotations: { description: 'Filesystem / on 10.0.0.10:9100 (node worker-1) has 8% space left.' } }] },
      ],
    }],
  });

  const almostFull = alertRule({
    name: 'NodeFilesystemAlmostFull',
    threshold: options.filesystemCriticalRatio ?? 0.05,
    expr: spaceExpr,
    for: '5m',
    severity: 'critical',
    summary: (t) => `A filesystem has less than ${percent(t)} space left.`,
    description: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} (node {{ $labels.node }}) has only {{ $value | humanizePercentage }} space left; writes will fail soon.',
    tests: [{
      name: 'NodeFilesystemAlmostFull: 3% free',
      series: fsSpace('8000000000x5 3000000000x35'),
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels: fsLabels }] },
        { at: '15m', state: 'firing', alerts: [{ labels: fsLabels, annotations: { description: 'Filesystem / on 10.0.0.10:9100 (node worker-1) has only 3% space left; writes will fail soon.' } }] },
      ],
    }],
  });

  const fillingUp = alertRule({
    name: 'NodeFilesystemFillingUp',
    threshold: options.fillPredictionHours ?? 24,
    // Only filesystems already below 40% free: a fast-growing but nearly empty disk is not news.
    expr: (t) => `
      ${sel('node_filesystem_avail_bytes', S, FS)} / ${sel('node_filesystem_size_bytes', S, FS)} < 0.4
      and
      predict_linear(${sel('node_filesystem_avail_bytes', S, FS)}[6h], ${formatNumber(t)} * 3600) < 0
      and
      ${sel('node_filesystem_readonly', S, FS)} == 0
    `,
    for: '1h',
    severity: 'warning',
    summary: (t) => `A filesystem is predicted to be full within ${formatNumber(t)} hours.`,
    description: (t) => `Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} (node {{ $labels.node }}) has {{ $value | humanizePercentage }} space left and, at the rate of the last 6 hours, will be full within ${formatNumber(t)} hours.`,
    tests: [
      {
        name: 'NodeFilesystemFillingUp: losing 3% an hour from 39% free',
        series: fsSpace('39000000000-50000000x200'),
        alerts: [
          { at: '40m', state: 'pending', alerts: [{ labels: fsLabels }] },
          { at: '2h', state: 'firing', alerts: [{ labels: fsLabels, annotations: { description: 'Filesystem / on 10.0.0.10:9100 (node worker-1) has 33% space left and, at the rate of the last 6 hours, will be full within 24 hours.' } }] },
        ],
      },
      { name: 'NodeFilesystemFillingUp: 30% free but stable', series: fsSpace('30000000000x200'), alerts: [{ at: '3h', state: 'inactive' }] },
    ],
  });

  const readOnly = alertRule({
    name: 'NodeFilesystemReadOnly',
    expr: `${sel('node_filesystem_readonly', S, FS)} == 1`,
    for: '5m',
    severity: 'warning',
    summary: 'A filesystem is mounted read-only.',
    description: 'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} (node {{ $labels.node }}) is read-only; the kernel remounts a filesystem read-only after I/O errors.',
    tests: [{
      name: 'NodeFilesystemReadOnly: remounted read-only',
      series: [{ series: fsSeries('node_filesystem_readonly'), values: '0x5 1x20' }, { series: 'node_filesystem_readonly{job="node-exporter", instance="10.0.0.10:9100", node="worker-1", device="tmpfs", fstype="tmpfs", mountpoint="/sys/fs/cgroup"}', values: '1x25' }],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels: fsLabels }] },
        { at: '15m', state: 'firing', alerts: [{ labels: fsLabels }] },
      ],
    }],
  });

  return {
    name: 'node',
    source: 'alerts/packs/node.ts',
    catalogues: [PROMETHEUS_SYNTHETIC, NODE_EXPORTER],
    groups: [
      ruleGroup({ name: 'node.rules', rules: [cpuRecord, memoryRecord] }),
      ruleGroup({ name: 'node.alerts', rules: [exporterDown, cpu, memory, spaceLow, almostFull, fillingUp, readOnly] }),
    ],
  };
}
