import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { alertRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import type { RulePack } from '../alerts/rule-pack';
import type { StackConfigInput } from '../charts/config';
import type { LabelMatch } from '../charts/prometheus-metric-filter';
import { VigilStack, VigilStackProps } from '../charts/vigil-stack';
import { row, timeseries } from '../dashboards/model';
import type { DashboardDefinition } from '../dashboards/model';
import { re2ToAnchoredJs } from '../lib/re2';
import { EXAMPLES } from './helpers/examples';
import { Manifest, objectOf } from './helpers/synth';

/**
 * `prometheus.metricFilter`: in every mode, every series a rule or panel reads survives the generated
 * `metric_relabel_configs` (applied here the way Prometheus applies them), and a user's own pack or
 * dashboard extends the keep list by itself.
 */

const MODES = ['none', 'curated', 'queried'] as const;
const INFRA_JOBS = ['kubelet', 'cadvisor', 'kube-state-metrics', 'node-exporter'];

type Labels = Record<string, string>;
type Relabel = { source_labels?: string[]; separator?: string; regex?: string; target_label?: string; replacement?: string; action?: string };

/** Prometheus' metric relabelling for the actions Vigil writes (keep, drop, replace, labeldrop); regexes are anchored. */
function relabel(labels: Labels, rules: readonly Relabel[]): Labels | undefined {
  let ls: Labels = { ...labels };
  for (const r of rules) {
    const re = new RegExp(`^(?:${r.regex ?? '(.*)'})$`, 's');
    const value = (r.source_labels ?? []).map((l) => ls[l] ?? '').join(r.separator ?? ';');
    switch (r.action ?? 'replace') {
      case 'keep': if (!re.test(value)) return undefined; break;
      case 'drop': if (re.test(value)) return undefined; break;
      case 'replace': {
        const m = re.exec(value);
        if (m) {
          const v = (r.replacement ?? '$1').replace(/\$(\d)/g, (_x, i: string) => m[Number(i)] ?? '');
          if (v === '') delete ls[r.target_label!]; else ls[r.target_label!] = v;
        }
        break;
      }
      case 'labeldrop': ls = Object.fromEntries(Object.entries(ls).filter(([k]) => !re.test(k))); break;
      default: throw new Error(`relabel action ${r.action} not modelled`);
    }
  }
  return ls;
}

/** A value for a label that satisfies every matcher on it, preferring the empty value (the worst case for a drop on `container=""`). */
function valueFor(label: string, matches: readonly LabelMatch[], fallback: string): string {
  const on = matches.filter((m) => m.label === label);
  const candidates = ['', fallback, 'app', 'x', ...on.map((m) => m.value.replace(/[\\^$.*+?()[\]{}|]/g, '')), ...on.map((m) => m.value)];
  const ok = (v: string) => on.every((m) => {
    const re = re2ToAnchoredJs(m.value) ?? /^$/;
    return m.op === '=' ? v === m.value : m.op === '!=' ? v !== m.value : m.op === '=~' ? re.test(v) : !re.test(v);
  });
  return candidates.find(ok) ?? fallback;
}

interface Synth { objects: Manifest[]; stack: VigilStack }

function synth(config: StackConfigInput, props: Omit<VigilStackProps, 'config'> = {}): Synth {
  const app = new App();
  const stack = new VigilStack(app, 'vigil', { ...props, config });
  return { objects: YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON()).filter(Boolean), stack };
}

function scrapeConfigs(objects: Manifest[]): Array<Record<string, any>> {
  return YAML.parse(objectOf(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']).scrape_configs;
}

function nodeExporterArgs(objects: Manifest[]): string[] {
  return objectOf(objects, 'DaemonSet', 'node-exporter').spec.template.spec.containers[0].args;
}

/** Every queried selector, as a series it may read, that the job's relabelling drops. */
function lostSeries({ objects, stack }: Synth): string[] {
  const lost: string[] = [];
  for (const job of scrapeConfigs(objects).filter((j) => INFRA_JOBS.includes(j.job_name))) {
    for (const [name, selectors] of stack.queriedMetrics.selectors) {
      for (const matches of selectors) {
        const labels: Labels = { __name__: name, container: valueFor('container', matches, 'app'), pod: valueFor('pod', matches, 'web-0') };
        for (const m of matches) if (!(m.label in labels)) labels[m.label] = valueFor(m.label, matches, 'x');
        const kept = relabel(labels, job.metric_relabel_configs ?? []);
        if (!kept || kept.__name__ !== name || Object.keys(kept).some((k) => k.startsWith('__tmp'))) lost.push(`${job.job_name}: ${JSON.stringify(labels)}`);
      }
    }
  }
  return lost;
}

/** A user's pack and dashboard reading what no shipped rule or panel reads, from three infrastructure jobs. */
const userPack: RulePack = {
  name: 'my-cluster',
  source: 'test/metric-filter.test.ts',
  groups: [ruleGroup({
    name: 'my-cluster.alerts',
    rules: [alertRule({
      name: 'KubeletTooManyPods',
      expr: 'kubelet_running_pods > 100 and on() kube_replicaset_status_ready_replicas > 0',
      severity: 'warning',
      summary: 'Too many pods on a node.',
      description: 'The kubelet {{ $labels.instance }} runs {{ $value }} pods.',
      runbook: 'docs/runbooks/TargetDown.md',
    })],
  })],
};
const userDashboard: DashboardDefinition = {
  title: 'My nodes',
  uid: 'my-nodes',
  rows: [row('Hardware', [
    timeseries({ title: 'Temperatures', queries: [{ expr: 'max by (instance) (node_hwmon_temp_celsius)' }] }),
    timeseries({ title: 'Container disk', queries: [{ expr: 'sum by (pod) (container_fs_usage_bytes)' }] }),
  ])],
};
const userProps = { rulePacks: [userPack], dashboards: [userDashboard] };

describe('prometheus.metricFilter', () => {
  const apps: Array<{ name: string; config: StackConfigInput; props: Omit<VigilStackProps, 'config'> }> = [
    { name: 'default', config: {}, props: {} },
    { name: 'default with a user pack and dashboard', config: {}, props: userProps },
    ...EXAMPLES.map((e) => {
      const { config, ...props } = e.stackProps();
      return { name: `example ${e.name}`, config: config ?? {}, props };
    }),
  ];
  for (const a of apps) {
    for (const mode of MODES) {
      it(`${a.name}, ${mode}: every series a rule or panel reads survives the relabelling`, () => {
        const s = synth({ ...a.config, prometheus: { ...a.config.prometheus, metricFilter: mode } }, a.props);
        expect(s.stack.queriedMetrics.names.size).toBeGreaterThan(20);
        expect(lostSeries(s)).toEqual([]);
      });
    }
  }

  it('none renders no metric_relabel_configs and no extra collector flags; curated and queried do', () => {
    const none = synth({ prometheus: { metricFilter: 'none' } }).objects;
    expect(scrapeConfigs(none).filter((j) => j.metric_relabel_configs)).toEqual([]);
    expect(nodeExporterArgs(none).filter((a) => a.startsWith('--no-collector.'))).toEqual(['--no-collector.wifi']);
    for (const mode of ['curated', 'queried'] as const) {
      const objects = synth({ prometheus: { metricFilter: mode } }).objects;
      const filtered = scrapeConfigs(objects).filter((j) => j.metric_relabel_configs).map((j) => j.job_name).sort();
      expect(filtered, mode).toEqual([...INFRA_JOBS].sort());
      expect(nodeExporterArgs(objects), mode).toContain('--no-collector.hwmon');
    }
  });

  it('curated spares keepMetrics from its drops, whole (a drop limited by labels too)', () => {
    const jobOf = (s: Synth, job: string) => scrapeConfigs(s.objects).find((j) => j.job_name === job)!;
    const kept = (s: Synth, job: string, labels: Labels) => {
      const out = relabel(labels, jobOf(s, job).metric_relabel_configs);
      return out !== undefined && !Object.keys(out).some((k) => k.startsWith('__tmp'));
    };
    const plain = synth({ prometheus: { metricFilter: 'curated' } });
    const keeping = synth({ prometheus: { metricFilter: 'curated', keepMetrics: ['container_fs_.+', 'go_goroutines', 'kube_pod_status_qos_class'] } });
    const fs = { __name__: 'container_fs_usage_bytes', container: 'app', pod: 'web-0' };
    const podLevel = { __name__: 'container_fs_usage_bytes', container: '', pod: 'web-0' };
    const goroutines = { __name__: 'go_goroutines' };
    const qos = { __name__: 'kube_pod_status_qos_class', pod: 'web-0', qos_class: 'Burstable' };
    expect([kept(plain, 'cadvisor', fs), kept(plain, 'cadvisor', podLevel), kept(plain, 'kubelet', goroutines), kept(plain, 'kube-state-metrics', qos)]).toEqual([false, false, false, false]);
    expect([kept(keeping, 'cadvisor', fs), kept(keeping, 'cadvisor', podLevel), kept(keeping, 'kubelet', goroutines), kept(keeping, 'kube-state-metrics', qos)]).toEqual([true, true, true, true]);
    // Everything else curated drops stays dropped.
    expect(kept(keeping, 'kubelet', { __name__: 'go_gc_duration_seconds' })).toBe(false);
    expect(kept(keeping, 'cadvisor', { __name__: 'container_tasks_state', container: 'app', pod: 'web-0' })).toBe(false);
  });

  it('queried keeps exactly the queried names plus keepMetrics, and drops what no one reads', () => {
    const s = synth({ prometheus: { metricFilter: 'queried', keepMetrics: ['container_fs_.+', 'go_goroutines'] } });
    const kubelet = scrapeConfigs(s.objects).find((j) => j.job_name === 'kubelet')!;
    const keep = kubelet.metric_relabel_configs[0];
    expect(keep.action).toBe('keep');
    const kept = (name: string) => relabel({ __name__: name, container: 'app', pod: 'p' }, kubelet.metric_relabel_configs) !== undefined;
    expect(kept('kubelet_volume_stats_available_bytes')).toBe(true);
    expect(kept('container_fs_reads_bytes_total')).toBe(true);
    expect(kept('go_goroutines')).toBe(true);
    expect(kept('go_gc_duration_seconds')).toBe(false);
    expect(kept('rest_client_requests_total')).toBe(false);
    expect(kept('kubelet_running_pods')).toBe(false);
    // node-exporter: only the collectors something reads stay on.
    const off = nodeExporterArgs(s.objects).filter((a) => a.startsWith('--no-collector.')).map((a) => a.slice('--no-collector.'.length));
    expect(off).toEqual(expect.arrayContaining(['arp', 'netstat', 'sockstat', 'hwmon', 'pressure']));
    expect(off).not.toEqual(expect.arrayContaining(['cpu']));
    for (const used of ['cpu', 'meminfo', 'filesystem', 'diskstats', 'netdev', 'loadavg', 'vmstat', 'uname']) expect(off).not.toContain(used);
  });

  it("a user's own pack and dashboard extend the keep list, exempt curated drops and switch collectors back on", () => {
    const queried = synth({ prometheus: { metricFilter: 'queried' } }, userProps);
    for (const name of ['kubelet_running_pods', 'kube_replicaset_status_ready_replicas', 'node_hwmon_temp_celsius', 'container_fs_usage_bytes']) {
      expect(queried.stack.queriedMetrics.names.has(name), name).toBe(true);
    }
    expect(nodeExporterArgs(queried.objects)).not.toContain('--no-collector.hwmon');
    const curated = synth({}, userProps);
    const ksm = scrapeConfigs(curated.objects).find((j) => j.job_name === 'kube-state-metrics')!;
    expect(relabel({ __name__: 'kube_replicaset_status_ready_replicas' }, ksm.metric_relabel_configs)).toEqual({ __name__: 'kube_replicaset_status_ready_replicas' });
    expect(relabel({ __name__: 'kube_replicaset_owner' }, ksm.metric_relabel_configs)).toBeUndefined();
    expect(nodeExporterArgs(curated.objects)).not.toContain('--no-collector.hwmon');
    expect(nodeExporterArgs(synth({}).objects)).toContain('--no-collector.hwmon');
  });

  it('curated drops pod-level cAdvisor series only where no selector reads them', () => {
    const cadvisor = scrapeConfigs(synth({}).objects).find((j) => j.job_name === 'cadvisor')!;
    const r = (labels: Labels) => relabel(labels, cadvisor.metric_relabel_configs);
    // The workloads dashboard asks for container!="": the pod-level cgroup is dropped, containers kept.
    expect(r({ __name__: 'container_memory_working_set_bytes', container: '', pod: 'web-0' })).toBeUndefined();
    expect(r({ __name__: 'container_memory_working_set_bytes', container: 'web', pod: 'web-0' })).toBeDefined();
    // Node-level cgroups (no pod) stay.
    expect(r({ __name__: 'container_memory_working_set_bytes', container: '', pod: '', id: '/' })).toBeDefined();
    // Pod network metrics exist only on the pod-level cgroup, and a panel reads them without a container matcher.
    expect(r({ __name__: 'container_network_receive_bytes_total', container: '', pod: 'web-0' })).toEqual({ __name__: 'container_network_receive_bytes_total', container: '', pod: 'web-0' });
    expect(r({ __name__: 'container_tasks_state', container: 'web', pod: 'web-0' })).toBeUndefined();
  });

  it('keepMetrics must be RE2: lookaround and backreferences fail synth naming the field', () => {
    expect(() => synth({ prometheus: { keepMetrics: ['(?!go_).+'] } })).toThrow(/keepMetrics[\s\S]*lookaround/);
    expect(() => synth({ prometheus: { keepMetrics: ['(a)\\1'] } })).toThrow(/keepMetrics[\s\S]*backreference/);
    expect(() => synth({ prometheus: { keepMetrics: ['container_fs_.+', 'up'] } })).not.toThrow();
  });

  it('queried refuses a query that names no metric, which no keep list can serve', () => {
    const d: DashboardDefinition = { title: 'All of kubelet', uid: 'all-kubelet', rows: [row(undefined, [timeseries({ title: 'Series', queries: [{ expr: 'count({job="kubelet"})' }] })])] };
    expect(() => synth({ prometheus: { metricFilter: 'queried' } }, { dashboards: [d] })).toThrow(/names no metric|without naming a metric[\s\S]*All of kubelet/);
    expect(() => synth({ prometheus: { metricFilter: 'curated' } }, { dashboards: [d] })).not.toThrow();
  });
});

describe('scrape limits', () => {
  it('the annotation jobs and typed targets carry the limits, a target overriding them; the stack\'s own jobs do not', () => {
    const objects = synth({
      prometheus: { scrapeLimits: { sampleLimit: 5000 } },
      scrapeTargets: [
        { name: 'api', namespace: 'apps', selector: { app: 'api' }, port: 'metrics' },
        { name: 'ingress', namespace: 'ingress', selector: { app: 'ingress' }, port: 'metrics', limits: { sampleLimit: 50000, labelValueLengthLimit: 0 } },
      ],
    }).objects;
    const jobs = Object.fromEntries(scrapeConfigs(objects).map((j) => [j.job_name, j]));
    const limits = (j: Record<string, unknown>) => Object.fromEntries(Object.entries(j).filter(([k]) => /limit/.test(k)));
    const defaults = { sample_limit: 5000, label_limit: 30, label_name_length_limit: 128, label_value_length_limit: 2048 };
    expect(limits(jobs['kubernetes-pods'])).toEqual(defaults);
    expect(limits(jobs['kubernetes-services'])).toEqual(defaults);
    expect(limits(jobs.api)).toEqual(defaults);
    expect(limits(jobs.ingress)).toEqual({ sample_limit: 50000, label_limit: 30, label_name_length_limit: 128 });
    for (const own of ['prometheus', 'kubelet', 'cadvisor', 'node-exporter', 'kube-state-metrics']) expect(limits(jobs[own]), own).toEqual({});
  });

  it('negative or fractional limits fail synth', () => {
    expect(() => synth({ prometheus: { scrapeLimits: { sampleLimit: -1 } } })).toThrow(/sampleLimit/);
    expect(() => synth({ scrapeTargets: [{ name: 'api', namespace: 'apps', selector: { app: 'api' }, port: 'metrics', limits: { labelLimit: 1.5 } }] })).toThrow(/labelLimit/);
  });
});
