import { NODE_EXPORTER, PROMETHEUS_SYNTHETIC } from '../../alerts/metric-catalogue';
import { DashboardDefinition, gauge, row, stat, table, timeseries } from '../model';
import { datasourceVariable, labelVariable } from '../variables';
import { STACK_DASHBOARD_UIDS, STACK_FOLDER, StackDashboardContext, stackLinks } from './common';

const S = 'job="node-exporter", node=~"$node"';
const RATE = '[$__rate_interval]';
/** Filesystems worth watching: not the kernel's and container runtimes' virtual ones. */
const FS = 'fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs|fuse.*"';
/** Physical interfaces, not the per-pod veth pairs and CNI bridges. */
const NIC = 'device!~"lo|veth.*|cali.*|flannel.*|cni.*|docker.*|br-.*|vxlan.*|tunl.*|kube-.*"';
const USAGE = { base: 'green', steps: [{ value: 0.8, color: 'orange' }, { value: 0.9, color: 'red' }] };

/** One node, or all nodes together, from node-exporter: CPU, memory, disks and network. */
export function nodeOverviewDashboard(ctx: StackDashboardContext): DashboardDefinition {
  return {
    title: 'Vigil / Node overview',
    description: 'Host metrics from node-exporter. Pick one node, or several to see them added up.',
    folder: STACK_FOLDER,
    tags: ['node', 'stack'],
    variables: [datasourceVariable(), labelVariable('node', 'node_uname_info{job="node-exporter"}')],
    links: stackLinks(STACK_DASHBOARD_UIDS.nodeOverview, ctx.deployed),
    metrics: [PROMETHEUS_SYNTHETIC, NODE_EXPORTER],
    rows: [
      row('Overview', [
        gauge({ title: 'CPU busy', queries: [{ expr: `1 - avg(rate(node_cpu_seconds_total{${S}, mode="idle"}${RATE}))` }], unit: 'percentunit', min: 0, max: 1, thresholds: USAGE }),
        gauge({ title: 'Memory used', queries: [{ expr: `1 - sum(node_memory_MemAvailable_bytes{${S}}) / sum(node_memory_MemTotal_bytes{${S}})` }], unit: 'percentunit', min: 0, max: 1, thresholds: USAGE }),
        gauge({
          title: 'Root filesystem used', unit: 'percentunit', min: 0, max: 1, thresholds: USAGE,
          queries: [{ expr: `1 - sum(node_filesystem_avail_bytes{${S}, mountpoint="/"}) / sum(node_filesystem_size_bytes{${S}, mountpoint="/"})` }],
        }),
        gauge({
          title: 'Load per CPU (1m)', unit: 'short', min: 0, max: 2, decimals: 2, thresholds: { base: 'green', steps: [{ value: 1, color: 'orange' }, { value: 1.5, color: 'red' }] },
          queries: [{ expr: `sum(node_load1{${S}}) / count(node_cpu_seconds_total{${S}, mode="idle"})` }],
        }),
        stat({ title: 'Uptime', queries: [{ expr: `min(node_time_seconds{${S}} - node_boot_time_seconds{${S}})` }], unit: 's' }),
        stat({ title: 'CPUs', queries: [{ expr: `count(node_cpu_seconds_total{${S}, mode="idle"})` }], unit: 'short' }),
        stat({ title: 'Memory', queries: [{ expr: `sum(node_memory_MemTotal_bytes{${S}})` }], unit: 'bytes' }),
        stat({ title: 'OOM kills', description: 'Processes killed for lack of memory in the selected range.', queries: [{ expr: `sum(increase(node_vmstat_oom_kill{${S}}[$__range]))` }], thresholds: { steps: [{ value: 1, color: 'red' }] } }),
      ]),
      row('CPU and memory', [
        timeseries({
          title: 'CPU by mode', unit: 'percentunit', stacked: true, min: 0,
          queries: [{ expr: `sum by (mode) (rate(node_cpu_seconds_total{${S}, mode!="idle"}${RATE})) / scalar(count(node_cpu_seconds_total{${S}, mode="idle"}))`, legend: '{{ mode }}' }],
        }),
        timeseries({
          title: 'Load average', unit: 'short',
          queries: [
            { expr: `sum(node_load1{${S}})`, legend: '1m' },
            { expr: `sum(node_load5{${S}})`, legend: '5m' },
            { expr: `sum(node_load15{${S}})`, legend: '15m' },
            { expr: `count(node_cpu_seconds_total{${S}, mode="idle"})`, legend: 'CPUs' },
          ],
        }),
        timeseries({
          title: 'Memory', unit: 'bytes', min: 0,
          queries: [
            { expr: `sum(node_memory_MemTotal_bytes{${S}} - node_memory_MemAvailable_bytes{${S}})`, legend: 'used' },
            { expr: `sum(node_memory_Cached_bytes{${S}} + node_memory_Buffers_bytes{${S}})`, legend: 'cache and buffers' },
            { expr: `sum(node_memory_MemAvailable_bytes{${S}})`, legend: 'available' },
          ],
        }),
        timeseries({ title: 'Swap used', queries: [{ expr: `sum(node_memory_SwapTotal_bytes{${S}} - node_memory_SwapFree_bytes{${S}})`, legend: 'swap used' }], unit: 'bytes', min: 0 }),
      ]),
      row('Disks', [
        timeseries({
          title: 'Disk throughput', unit: 'Bps',
          queries: [
            { expr: `sum by (device) (rate(node_disk_read_bytes_total{${S}}${RATE}))`, legend: 'read {{ device }}' },
            { expr: `sum by (device) (rate(node_disk_written_bytes_total{${S}}${RATE}))`, legend: 'write {{ device }}' },
          ],
        }),
        timeseries({ title: 'Disk busy', queries: [{ expr: `max by (device) (rate(node_disk_io_time_seconds_total{${S}}${RATE}))`, legend: '{{ device }}' }], unit: 'percentunit', min: 0, max: 1, thresholds: USAGE }),
        table({
          title: 'Filesystems used', unit: 'percentunit', thresholds: USAGE,
          queries: [{ expr: `1 - node_filesystem_avail_bytes{${S}, ${FS}} / node_filesystem_size_bytes{${S}, ${FS}}` }],
        }),
      ]),
      row('Network', [
        timeseries({
          title: 'Network traffic', unit: 'Bps',
          queries: [
            { expr: `sum by (device) (rate(node_network_receive_bytes_total{${S}, ${NIC}}${RATE}))`, legend: 'in {{ device }}' },
            { expr: `sum by (device) (rate(node_network_transmit_bytes_total{${S}, ${NIC}}${RATE}))`, legend: 'out {{ device }}' },
          ],
        }),
        timeseries({
          title: 'Network errors', unit: 'short',
          queries: [
            { expr: `sum by (device) (rate(node_network_receive_errs_total{${S}, ${NIC}}${RATE}))`, legend: 'in {{ device }}' },
            { expr: `sum by (device) (rate(node_network_transmit_errs_total{${S}, ${NIC}}${RATE}))`, legend: 'out {{ device }}' },
          ],
        }),
      ]),
    ],
  };
}
