import { beforeAll, expect, it } from 'vitest';
import { alertRule } from '../../alerts/rule';
import { ruleGroup } from '../../alerts/rule-group';
import type { VigilStackProps } from '../../charts/vigil-stack';
import { row, timeseries } from '../../dashboards/model';
import type { QueriedMetrics } from '../../charts/prometheus-metric-filter';
import { VARIABLE_PLACEHOLDER } from '../../dashboards/queries';
import { Job, MODES, Mode, query, withScrapedInfrastructure } from '../../scripts/bench-series';
import { describeWithPinned } from '../helpers/tools';

/**
 * `prometheus.metricFilter` on real data: the pinned Prometheus scrapes node-exporter and the recorded
 * kubelet, cAdvisor and kube-state-metrics expositions (test/fixtures/exposition/) with the generated
 * jobs, and every selector a generated rule or panel reads selects exactly the same series in every
 * mode as with no filter.
 */

/** Each selector of a queried name as PromQL; matchers on a dashboard variable are left out (they narrow by a value chosen later). */
function selectors(q: QueriedMetrics): string[] {
  const out = new Set<string>();
  for (const [name, list] of q.selectors) {
    for (const matches of list) {
      const m = matches.filter((x) => !x.value.includes(VARIABLE_PLACEHOLDER)).map((x) => `${x.label}${x.op}${JSON.stringify(x.value)}`);
      out.add(`${name}{${m.join(',')}}`);
    }
  }
  return [...out].sort();
}

/** Series count per selector, by job, in one Prometheus. */
async function counts(port: number, sels: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const sel of sels) {
    for (const s of await query(port, `count by (job) (${sel})`)) out.set(`${sel} @ ${s.metric.job}`, Number(s.value[1]));
  }
  return out;
}

/**
 * A user's pack and dashboard reading what `curated` drops and no shipped rule or panel reads, in each
 * recorded job: those names must be kept by themselves, with every series the selectors read.
 */
const userProps: VigilStackProps = {
  rulePacks: [{
    name: 'my-cluster',
    source: 'test/e2e/metric-filter-recorded.e2e.test.ts',
    groups: [ruleGroup({
      name: 'my-cluster.alerts',
      rules: [alertRule({
        name: 'BestEffortPods',
        expr: 'count by (namespace) (kube_pod_status_qos_class{qos_class="BestEffort"} == 1) > 10',
        severity: 'warning',
        summary: 'Many best-effort pods.',
        description: '{{ $labels.namespace }} runs {{ $value }} pods without requests.',
        runbook: 'docs/runbooks/TargetDown.md',
      })],
    })],
  }],
  dashboards: [{
    title: 'My nodes',
    uid: 'my-nodes',
    rows: [row('Internals', [
      timeseries({ title: 'Kubelet goroutines', queries: [{ expr: 'max by (instance) (go_goroutines{job="kubelet"})' }] }),
      timeseries({ title: 'Kubelet API calls', queries: [{ expr: 'sum by (code) (rate(rest_client_requests_total{job="kubelet"}[5m]))' }] }),
      timeseries({ title: 'Container threads', queries: [{ expr: 'sum by (pod) (container_threads{container!=""})' }] }),
      timeseries({ title: 'Receive FIFO errors', queries: [{ expr: 'sum by (device) (rate(node_network_receive_fifo_total[5m]))' }] }),
    ])],
  }],
};

const APPS: Record<string, VigilStackProps> = {
  'the default app': {},
  'a user pack and dashboard reading what curated drops': userProps,
};
describeWithPinned(['prometheus'], 'metricFilter on recorded node data: no rule or panel loses a series', () => {
  for (const [title, props] of Object.entries(APPS)) {
    const results = new Map<Mode, Map<string, number>>();
    let sels: string[] = [];
    beforeAll(async () => {
      for (const mode of MODES) {
        results.set(mode, await withScrapedInfrastructure({ ...props, config: { prometheus: { metricFilter: mode } } }, async ({ port, stack }) => {
          sels = selectors(stack.queriedMetrics);
          return counts(port, sels);
        }));
      }
    }, 200_000);

    it(`${title}: the recordings hold data for selectors of every infrastructure job`, () => {
      const none = results.get('none')!;
      const jobs = new Set([...none.keys()].map((k) => k.split(' @ ')[1]));
      expect([...jobs].sort()).toEqual(['cadvisor', 'kube-state-metrics', 'kubelet', 'node-exporter']);
      expect(none.size).toBeGreaterThan(40);
    });

    if (props === userProps) {
      it(`${title}: the recordings hold the names the user reads`, () => {
        const none = results.get('none')!;
        for (const name of ['kube_pod_status_qos_class', 'go_goroutines', 'rest_client_requests_total', 'container_threads', 'node_network_receive_fifo_total']) {
          expect([...none.keys()].some((k) => k.startsWith(`${name}{`)), name).toBe(true);
        }
      });
    }

    for (const mode of ['curated', 'queried'] as const) {
      it(`${title}: ${mode} keeps every series each selector reads`, () => {
        const none = results.get('none')!;
        const got = results.get(mode)!;
        const lost = [...none].filter(([k, n]) => got.get(k) !== n).map(([k, n]) => `${k}: ${n} → ${got.get(k) ?? 0}`);
        expect(lost).toEqual([]);
      });
    }
  }

  it('the comparison sees a lost series: a drop of a read name shows as a difference', async () => {
    const drop = (j: Job): Job => (j.job_name === 'cadvisor'
      ? { ...j, metric_relabel_configs: [...(j.metric_relabel_configs ?? []), { source_labels: ['__name__'], regex: 'container_memory_working_set_bytes', action: 'drop' }] }
      : j);
    let sels: string[] = [];
    const none = await withScrapedInfrastructure({}, async ({ port, stack }) => {
      sels = selectors(stack.queriedMetrics).filter((s) => s.startsWith('container_memory_working_set_bytes{'));
      return counts(port, sels);
    });
    const broken = await withScrapedInfrastructure({}, async ({ port }) => counts(port, sels), drop);
    expect(sels.length).toBeGreaterThan(0);
    expect([...none.values()].some((n) => n > 0)).toBe(true);
    expect([...none].filter(([k, n]) => broken.get(k) !== n)).not.toEqual([]);
  }, 120_000);
});
