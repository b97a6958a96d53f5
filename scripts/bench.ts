// Benchmark: synth time of the default app and of each example against the serialization floor of the
// same output; how synth grows with 1,000 and 10,000 generated alert rules and 200 dashboards; and what
// each profile requests. Prints markdown tables; numbers are medians over several runs in one warm
// process (module loading and JIT warm-up excluded), plus the cold start of `npm run synth`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Yaml } from 'cdk8s';
import YAML from 'yaml';
import { clearPromqlTrees } from '../lib/promql';
import { VigilStack } from '../charts/vigil-stack';
import type { DashboardDefinition } from '../dashboards/model';
import { row, stat, timeseries } from '../dashboards/model';
import { requestedResources } from '../lib/resource-totals';
import { buildApp } from '../main';
import { measureInfrastructureSeries, seriesTables } from './bench-series';
import { generatedRules } from './generated-rules';

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const ROOT = join(__dirname, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

interface Row { name: string; objects: number; synthMs: number; floorMs: number }

/** Synth time of an app, and the floor: the same finished objects only serialized to YAML and written. */
function bench(name: string, build: (outdir: string) => App, runs = RUNS): Row {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  try {
    build(dir).synth(); // warm-up
    // Each run parses its queries anew, as one `npm run synth` process does (no trees from the last run).
    const synthMs = median(Array.from({ length: runs }, () => {
      clearPromqlTrees();
      return time(() => build(dir).synth());
    }));
    const docs = build(dir).charts.flatMap((c) => c.toJson());
    const floorMs = median(Array.from({ length: runs }, () => time(() => Yaml.save(join(dir, 'floor.k8s.yaml'), docs))));
    return { name, objects: docs.length, synthMs, floorMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall-clock time of `npm run synth` as a user runs it: a fresh process, TypeScript compile included. */
function coldSynthMs(): number {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const ms = median(Array.from({ length: 3 }, () => time(() => {
    const r = spawnSync(tsx, ['main.ts'], { cwd: ROOT, env: { ...process.env, CDK8S_OUTDIR: join(dir, 'dist') }, stdio: 'ignore' });
    if (r.status !== 0) throw new Error('synth failed during the benchmark');
  })));
  rmSync(dir, { recursive: true, force: true });
  return ms;
}


/** `n` dashboards of 12 panels each, every query parsed at synth. */
function generatedDashboards(n: number): DashboardDefinition[] {
  return Array.from({ length: n }, (_, d) => ({
    title: `Generated ${d}`,
    folder: 'Generated',
    rows: [
      row('Traffic', Array.from({ length: 4 }, (_, i) => stat({ title: `Requests ${i}`, queries: [{ expr: `sum(rate(http_requests_total{job="svc-${d}", route="/r${i}"}[$__rate_interval]))` }] }))),
      row('Latency', Array.from({ length: 8 }, (_, i) => timeseries({
        title: `p95 ${i}`,
        queries: [{ expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="svc-${d}", route="/r${i}"}[$__rate_interval])))` }],
        unit: 's',
      }))),
    ],
  }));
}

function stackApp(props: ConstructorParameters<typeof VigilStack>[2]): (outdir: string) => App {
  return (outdir) => {
    const app = new App({ outdir });
    new VigilStack(app, 'vigil', props);
    return app;
  };
}

function exampleApps(): Array<[string, (outdir: string) => App]> {
  return ['idkarr', 'medianest', 'canvascast', 'barbossa']
    .filter((name) => existsSync(join(ROOT, 'examples', name, 'main.ts')))
    .map((name) => [`example: ${name}`, require(join(ROOT, 'examples', name, 'main.ts')).buildApp]);
}

const cold = coldSynthMs();
// A discarded pass, so the first measured app does not pay for the JIT warming the shared code.
for (const [, build] of [['default', buildApp] as const, ...exampleApps()]) bench('warm-up', build, 3);
const rows: Row[] = [
  bench('default app', buildApp),
  ...exampleApps().map(([name, build]) => bench(name, build)),
  bench('default + 1,000 generated alerts', stackApp({ rulePacks: [generatedRules(1_000)] }), 5),
  bench('default + 10,000 generated alerts', stackApp({ rulePacks: [generatedRules(10_000)] }), 3),
  bench('default + 200 generated dashboards', stackApp({ dashboards: generatedDashboards(200) }), 3),
];

console.log(`\nSynth (median in a warm process; a cold \`npm run synth\` process takes ${cold.toFixed(0)} ms end to end)\n`);
console.log('| app | objects | synth ms | floor ms | synth / floor |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${r.objects} | ${r.synthMs.toFixed(1)} | ${r.floorMs.toFixed(1)} | ${(r.synthMs / r.floorMs).toFixed(1)}x |`);

const base = rows[0].synthMs;
const at1k = rows.find((r) => r.name.includes('1,000'))!.synthMs;
const at10k = rows.find((r) => r.name.includes('10,000'))!.synthMs;
console.log(`\nGrowth: ${((at1k - base) / 1_000).toFixed(3)} ms per alert at 1,000 rules, ${((at10k - base) / 10_000).toFixed(3)} ms per alert at 10,000 (linear growth keeps these close).`);

console.log('\nRequested resources per profile (DaemonSets counted once, per node)\n');
console.log('| profile | workload | replicas | CPU request | memory request | memory limit | storage |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
const Mi = 2 ** 20;
const Gi = 2 ** 30;
for (const profile of ['homelab', 'production'] as const) {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'vigil-bench-')) });
  new VigilStack(app, 'vigil', { config: { profile } });
  const { workloads, total } = requestedResources(YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON()));
  for (const w of workloads) {
    console.log(`| ${profile} | ${w.kind}/${w.name} | ${w.replicas} | ${w.cpuMillis}m | ${(w.memoryBytes / Mi).toFixed(0)}Mi | ${(w.memoryLimitBytes / Mi).toFixed(0)}Mi | ${(w.storageBytes / Gi).toFixed(0)}Gi |`);
  }
  console.log(`| **${profile}** | **total** | | **${total.cpuMillis}m** | **${(total.memoryBytes / Mi).toFixed(0)}Mi** | **${(total.memoryLimitBytes / Mi).toFixed(0)}Mi** | **${(total.storageBytes / Gi).toFixed(0)}Gi** |`);
}

// Series per node kept by each prometheus.metricFilter mode, measured with the pinned Prometheus
// scraping node-exporter and recorded node expositions (scripts/bench-series.ts).
void measureInfrastructureSeries().then((series) => {
  console.log('\nInfrastructure series by prometheus.metricFilter (the generated jobs, scraped by the pinned Prometheus)\n');
  console.log(series ? seriesTables(series) : 'the pinned Prometheus (.tools/bin/prometheus) or prometheus-node-exporter is missing (scripts/install-tools.sh): not measured');
});
