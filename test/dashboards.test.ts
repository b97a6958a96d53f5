import { describe, expect, it } from 'vitest';
import { alertRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import { renderRulePacks } from '../alerts/render-rules';
import { availabilitySlo, latencySlo } from '../alerts/slo';
import {
  DATASOURCE_UIDS, DashboardDefinition, dashboardProblems, dashboardSetProblems, dashboardExists, dashboardUid, dashboardUids,
  provisionDashboards, renderDashboard, sloDashboards, stackDashboards,
} from '../dashboards';
import { barbossaDashboards } from '../examples/barbossa/dashboards';
import { canvasCastDashboards } from '../examples/canvascast/dashboards';
import { idkarrDashboards, idkarrOverviewDashboard } from '../examples/idkarr/dashboards';
import { mediaNestDashboards } from '../examples/medianest/dashboards';

/**
 * Every dashboard Vigil ships, checked as Grafana will load it: structure (ids, grid), datasources,
 * queries and metric names. The rendering itself refuses broken queries and unknown metrics; these
 * tests also prove that on the shipped dashboards.
 */

const slos = [
  availabilitySlo({ name: 'idkarr-availability', selector: 'job="idkarr-api"' }),
  latencySlo({ name: 'idkarr-latency', selector: 'job="idkarr-api"', thresholdSeconds: 0.5 }),
];
const SHIPPED: Array<[string, DashboardDefinition[]]> = [
  ['stack', stackDashboards()],
  ['SLO', sloDashboards(slos)],
  ['idkarr', idkarrDashboards()],
  ['MediaNest', mediaNestDashboards()],
  ['CanvasCast', canvasCastDashboards()],
  ['Barbossa', barbossaDashboards()],
];
const ALL = SHIPPED.flatMap(([, ds]) => ds);
const PROVISIONED_UIDS = new Set<string>(Object.values(DATASOURCE_UIDS));

type Panel = { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; datasource?: { uid?: string }; targets?: Array<{ datasource?: { uid?: string }; expr: string }>; panels?: Panel[]; collapsed?: boolean };

/** Top-level panels plus the panels inside collapsed rows, each group laid out on its own grid. */
function grids(json: { panels?: unknown[] }): Panel[][] {
  const top = (json.panels ?? []) as Panel[];
  return [top, ...top.filter((p) => p.type === 'row' && p.collapsed).map((r) => r.panels ?? [])];
}

function overlaps(a: Panel['gridPos'], b: Panel['gridPos']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('shipped dashboards', () => {
  it('are all there, with distinct uids', () => {
    expect(ALL.length).toBe(5 + 3 + 1 + 5 + 3 + 1);
    expect(dashboardSetProblems(ALL)).toEqual([]);
  });

  for (const [group, dashboards] of SHIPPED) {
    for (const d of dashboards) {
      describe(`${group}: ${d.title}`, () => {
        const json = renderDashboard(d);
        const all = grids(json).flat();
        const vars = new Map((json.templating.list ?? []).filter((v) => v.type === 'datasource').map((v) => [v.name, (v.current as { value: string }).value]));

        it('validates: every query parses, every variable is defined, every metric is in its catalogues', () => {
          expect(dashboardProblems(d)).toEqual([]);
        });

        it('declares metric catalogues whenever it queries Prometheus', () => {
          const usesPrometheus = d.rows.some((r) => r.panels.some((p) => p.kind !== 'logs' && (p.datasource ?? 'prometheus') === 'prometheus'));
          if (usesPrometheus) expect(d.metrics?.length, d.title).toBeGreaterThan(0);
          else expect(all.some((p) => p.type === 'logs')).toBe(true);
        });

        it('has unique panel ids and a stable uid', () => {
          const ids = [...all.map((p) => p.id), ...all.flatMap((p) => (p.panels ?? []).map((c) => c.id))];
          expect(new Set(ids).size).toBe(ids.length);
          expect(json.uid).toBe(dashboardUid(d));
        });

        it('keeps every panel within the 24 columns, without overlaps', () => {
          for (const grid of grids(json)) {
            for (const p of grid) {
              expect(p.gridPos.x, p.title).toBeGreaterThanOrEqual(0);
              expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
              expect(p.gridPos.w * p.gridPos.h, p.title).toBeGreaterThan(0);
            }
            for (let i = 0; i < grid.length; i++) {
              for (let j = i + 1; j < grid.length; j++) expect(overlaps(grid[i].gridPos, grid[j].gridPos), `${grid[i].title} / ${grid[j].title}`).toBe(false);
            }
          }
        });

        it('queries only provisioned datasources (directly or through a datasource variable that defaults to one)', () => {
          const resolve = (uid?: string) => {
            const v = uid?.match(/^\$\{(\w+)\}$/)?.[1];
            return v ? vars.get(v) : uid;
          };
          const panels = all.filter((p) => p.type !== 'row');
          expect(panels.length).toBeGreaterThan(0);
          for (const p of panels) {
            expect(PROVISIONED_UIDS.has(resolve(p.datasource?.uid) ?? ''), `${p.title}: ${p.datasource?.uid}`).toBe(true);
            expect(p.targets?.length, p.title).toBeGreaterThan(0);
            for (const t of p.targets ?? []) expect(PROVISIONED_UIDS.has(resolve(t.datasource?.uid) ?? ''), `${p.title}: ${t.datasource?.uid}`).toBe(true);
          }
        });
      });
    }
  }
});

describe('the seeds\' dashboards', () => {
  const titles = (d: DashboardDefinition) => d.rows.flatMap((r) => r.panels.map((p) => `${p.kind}:${p.title}`));

  it('idkarr Overview has the eight panels of seed 000, with their visualizations', () => {
    const [overview] = idkarrDashboards();
    expect(overview.title).toBe('idkarr Overview');
    expect(titles(overview).sort()).toEqual([
      'gauge:Download Success Rate', 'gauge:Storage Usage', 'stat:Active Downloads', 'stat:Series Count', 'timeseries:Indexer Response Time',
      'timeseries:Queue Depth', 'timeseries:Request Latency (P95)', 'timeseries:Request Rate',
    ]);
  });

  it('Barbossa Overview has the six panels of seed 004 (graphs become time series)', () => {
    const [overview] = barbossaDashboards();
    expect(overview.title).toBe('Barbossa Overview');
    expect(titles(overview).sort()).toEqual([
      'stat:Active Downloads', 'stat:Download Queue', 'stat:Library Size', 'timeseries:Error Rate', 'timeseries:Request Latency (p95)', 'timeseries:Request Rate',
    ]);
  });

  it('MediaNest has the five dashboards of seed 001 and CanvasCast the three of seed 003', () => {
    expect(mediaNestDashboards().map((d) => d.title)).toEqual(['MediaNest Overview', 'MediaNest API Performance', 'MediaNest Infrastructure', 'MediaNest Business Metrics', 'MediaNest Logs']);
    expect(canvasCastDashboards().map((d) => d.title)).toEqual(['CanvasCast System Overview', 'CanvasCast Pipeline Performance', 'CanvasCast Business Metrics']);
    const panels = canvasCastDashboards().flatMap(titles).join('\n');
    for (const wish of ['Request Rate', 'Request Latency', 'Error Rate', 'Active Users', 'Queue Depth', 'Job completion rate', 'Step durations', 'Failure distribution', 'Cost per job', 'Signups and purchases', 'Revenue', 'Credit usage', 'Subscription']) {
      expect(panels, wish).toContain(wish);
    }
  });

  it('are parametrized: metric prefix, label names and a fixed selector instead of the job picker', () => {
    const d = idkarrOverviewDashboard({ metricPrefix: 'idkarr_', labels: { status: 'code' }, selector: 'job="idkarr-api"', titlePrefix: 'Media' });
    expect(d.title).toBe('Media Overview');
    expect(dashboardProblems(d)).toEqual([]);
    const exprs = d.rows.flatMap((r) => r.panels.flatMap((p) => p.queries.map((q) => q.expr)));
    expect(exprs[0]).toBe('sum by (code) (rate(idkarr_http_requests_total{job="idkarr-api"}[$__rate_interval]))');
    expect(exprs.every((e) => !e.includes('$job'))).toBe(true);
    expect((d.variables ?? []).map((v) => v.name)).toEqual(['datasource']);
    expect(Object.keys(d.metrics![0].metrics)).toContain('idkarr_queue_depth');
  });

  it('narrow the job picker to a pattern', () => {
    const [d] = barbossaDashboards({ jobPattern: 'barbossa-.*' });
    expect(d.variables?.find((v) => v.name === 'job')).toMatchObject({ query: 'label_values(barbossa_requests_total{job=~"barbossa-.*"}, job)' });
  });

  it('rejects a metric prefix that cannot start a metric name', () => {
    expect(() => idkarrDashboards({ metricPrefix: '1dkarr-' })).toThrow(/metricPrefix "1dkarr-" is not the start of a metric name/);
  });
});

describe('a mistake in a shipped dashboard fails synth, naming the dashboard and the panel', () => {
  const [overview] = idkarrDashboards();
  const mutate = (title: string, expr: string): DashboardDefinition => ({
    ...overview,
    rows: overview.rows.map((r) => ({ ...r, panels: r.panels.map((p) => (p.title === title ? { ...p, queries: [{ expr }] } : p)) })),
  });

  it('a broken query', () => {
    const broken = mutate('Queue Depth', 'sum by (queue (queue_depth{job=~"$job"})');
    expect(() => provisionDashboards([broken])).toThrow(/dashboard 'idkarr Overview' \(uid idkarr-overview\): panel 'Queue Depth' \(row 'Downloads and library', #\d\), query A: PromQL does not parse/);
  });

  it('a misspelt metric', () => {
    const typo = mutate('Series Count', 'sum(series_cout{job=~"$job"})');
    expect(() => renderDashboard(typo)).toThrow(/panel 'Series Count'.*reads metric "series_cout", which is in none of the dashboard's metric catalogues \(idkarr, prometheus-synthetic\); did you mean "series_count"/);
  });
});

describe('SLO dashboards', () => {
  const [overview, availability] = sloDashboards(slos);

  it('read the series the SLO recording rules write, with the alert thresholds as lines', () => {
    expect(dashboardUid(availability)).toBe('slo-idkarr-availability');
    const burn = availability.rows.flatMap((r) => r.panels).find((p) => p.title === 'Burn rate by window')!;
    expect(burn.queries.map((q) => q.expr)).toContain('max(slo:sli_error:ratio_rate1h{slo="idkarr-availability"}) / 0.001');
    expect(burn.thresholds?.steps.map((s) => s.value)).toEqual([1, 3, 6, 14.4]);
    expect(overview.links?.map((l) => l.uid)).toEqual(['slo-idkarr-availability', 'slo-idkarr-latency']);
  });

  it('makes no dashboards without SLOs', () => {
    expect(sloDashboards([])).toEqual([]);
  });
});

describe('links from alerts to dashboards', () => {
  const pack = (uid: string) => ({
    name: 'links',
    groups: [ruleGroup({
      name: 'links.alerts',
      rules: [alertRule({ name: 'NodeDown', expr: 'up{job="node-exporter"} == 0', for: '5m', severity: 'critical', summary: 'A node is down.', description: 'Node {{ $labels.node }} is down.', dashboard: { uid } })],
    })],
  });
  const known = dashboardUids([...stackDashboards(), ...idkarrDashboards()]);

  it('tells which dashboard uids exist', () => {
    expect(known).toContain('vigil-node-overview');
    expect(dashboardExists('idkarr-overview', idkarrDashboards())).toBe(true);
    expect(dashboardExists('idkarr-overveiw', idkarrDashboards())).toBe(false);
  });

  it('lets an alert link a provisioned dashboard, and fails one that links a missing uid', () => {
    expect(renderRulePacks([pack('vigil-node-overview')], { knownDashboardUids: known })[0].content).toContain('dashboard_uid: vigil-node-overview');
    expect(() => renderRulePacks([pack('vigil-node-overveiw')], { knownDashboardUids: known })).toThrow(/no dashboard has UID "vigil-node-overveiw"; did you mean "vigil-node-overview"/);
  });
});
