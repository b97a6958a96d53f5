// Benchmark: the series Prometheus keeps from the infrastructure jobs in each `prometheus.metricFilter`
// mode, measured with real programs. The pinned Prometheus (scripts/install-tools.sh) scrapes, with the
// generated jobs' metric_relabel_configs and scrape options:
// - node-exporter: Debian's binary with the generated collector flags, reading this machine;
// - kubelet, cadvisor, kube-state-metrics: recorded expositions of real nodes
//   (test/fixtures/exposition/, sources in its README) served on loopback.
// Per job it reads scrape_samples_scraped and scrape_samples_post_metric_relabeling, the series that
// carry a pod (those grow with the pods on a node), and the live heap after a forced GC, from which it
// derives the per-node estimate at 30 pods and what it means for the profiles' memory requests.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { App } from 'cdk8s';
import YAML from 'yaml';
import { VigilStack, VigilStackProps } from '../charts/vigil-stack';
import { bytesOf } from '../lib/validators';
import { freePort } from '../test/e2e/harness/processes';

export const MODES = ['none', 'curated', 'queried'] as const;
export type Mode = typeof MODES[number];

export const FIXTURE_DIR = join(__dirname, '..', 'test', 'fixtures', 'exposition');

/** The recorded expositions, by the generated job that scrapes such an endpoint. */
export const EXPOSITION_FIXTURES: Readonly<Record<string, string>> = {
  kubelet: 'kubelet-v1.37.2.prom.gz',
  cadvisor: 'cadvisor-v1.35.0.prom.gz',
  'kube-state-metrics': 'kube-state-metrics-v2.19.0.prom.gz',
};

/** The jobs measured, in table order. */
export const JOBS = ['node-exporter', 'kubelet', 'cadvisor', 'kube-state-metrics'] as const;

/** Pods per node for the estimate. */
export const PODS_PER_NODE = 30;

/** The pinned Prometheus' default GOGC (config/config.go at v3.14.0: DefaultGoGCPercentage = 75). */
const GOGC = 75;

/**
 * The exposition without sample timestamps. cAdvisor stamps each sample with its collection time; a
 * recording's stamps are months old and Prometheus would refuse them as out of bounds.
 */
export function stripTimestamps(text: string): string {
  return text.split('\n').map((line) => {
    if (!line || line.startsWith('#')) return line;
    // Skip the name and the label block (values may hold spaces, braces and escaped quotes).
    let i = 0;
    let quoted = false;
    let inLabels = false;
    for (; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '{') inLabels = true;
      else if (c === '}') inLabels = false;
      else if (!inLabels && (c === ' ' || c === '\t')) break;
    }
    const [value] = line.slice(i).trim().split(/\s+/);
    return `${line.slice(0, i)} ${value}`;
  }).join('\n');
}

/** The pods on the recorded node, as the kubelet counted them (`kubelet_running_pods`). */
export function kubeletRecordedPods(): number {
  return Number(/^kubelet_running_pods (\S+)$/m.exec(readFixture('kubelet'))?.[1] ?? NaN);
}

export function readFixture(job: string): string {
  return gunzipSync(readFileSync(join(FIXTURE_DIR, EXPOSITION_FIXTURES[job]))).toString('utf8');
}

type Sample = { metric: Record<string, string>; value: [number, string] };

export async function query(port: number, expr: string): Promise<Sample[]> {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return ((await r.json()) as { data: { result: Sample[] } }).data.result;
}

async function byJob(port: number, expr: string): Promise<Map<string, number>> {
  return new Map((await query(port, expr).catch(() => [] as Sample[])).map((s) => [s.metric.job, Number(s.value[1])]));
}

export type Job = Record<string, unknown> & { job_name: string; metric_relabel_configs?: Array<Record<string, unknown>> };

/** The stack `props` generate, its measured scrape jobs and node-exporter's arguments. */
function generated(props: VigilStackProps): { stack: VigilStack; jobs: Map<string, Job>; nodeExporterArgs: string[] } {
  const app = new App();
  const stack = new VigilStack(app, 'vigil', props);
  const docs = YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON()).filter(Boolean);
  const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'prometheus-config');
  const all = YAML.parse(cm.data['prometheus.yml']).scrape_configs as Job[];
  const ds = docs.find((d) => d.kind === 'DaemonSet' && d.metadata.name === 'node-exporter');
  return {
    stack,
    jobs: new Map(all.filter((j) => (JOBS as readonly string[]).includes(j.job_name)).map((j) => [j.job_name, j])),
    nodeExporterArgs: ds.spec.template.spec.containers[0].args,
  };
}

/** The memory request of the Prometheus container in a profile. */
function prometheusMemoryRequest(profile: 'homelab' | 'production'): number {
  const app = new App();
  new VigilStack(app, 'vigil', { config: { profile } });
  const docs = YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON()).filter(Boolean);
  const sts = docs.find((d) => d.kind === 'StatefulSet' && d.metadata.name === 'prometheus');
  const c = sts.spec.template.spec.containers.find((x: { name: string }) => x.name === 'prometheus');
  return bytesOf(c.resources.requests.memory);
}

/**
 * The generated job pointed at a loopback target: its discovery, target relabelling, TLS and
 * credentials (which reach the kubelet through the node) are replaced; everything that decides which
 * series are kept (metric_relabel_configs, honor_labels, limits, staleness handling) stays as generated.
 */
function loopbackJob(job: Job, target: string, path: string): Job {
  const { kubernetes_sd_configs: _sd, relabel_configs: _rl, tls_config: _tls, authorization: _auth, scheme: _s, metrics_path: _p, ...kept } = job;
  return { ...kept, scheme: 'http', metrics_path: path, static_configs: [{ targets: [target] }] };
}

export interface JobRow {
  job: string;
  exposed: number;
  kept: number;
  /** Kept series with a non-empty pod label. */
  podSeries: number;
  /** Distinct pods in the job's kept series (in `none` mode: the recording's pods). */
  pods: number;
}

export interface ModeRow {
  mode: Mode;
  jobs: JobRow[];
  headSeries: number;
  /** Live heap after a forced GC, bytes. */
  heap: number;
}

export interface SeriesReport {
  rows: ModeRow[];
  nodeExporterVersion: string;
  prometheusVersion: string;
  skippedFlags: string[];
  memoryRequests: { homelab: number; production: number };
}

function versionOf(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? 'unknown';
}

async function serveFixtures(): Promise<{ server: Server; port: number }> {
  const bodies = new Map(Object.keys(EXPOSITION_FIXTURES).map((job) => [`/${job}`, stripTimestamps(readFixture(job))]));
  const server = createServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(body ?? 'not found');
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, port };
}

const PROMETHEUS = join(__dirname, '..', '.tools', 'bin', 'prometheus');

/** Where the programs are missing, why; undefined when the pinned Prometheus and Debian's node-exporter are there. */
export function missingPrograms(): string | undefined {
  if (!existsSync(PROMETHEUS)) return 'the pinned Prometheus (.tools/bin/prometheus) is missing: run scripts/install-tools.sh';
  const h = spawnSync('prometheus-node-exporter', ['--help'], { encoding: 'utf8' });
  if (h.error) return 'prometheus-node-exporter is missing: run scripts/install-tools.sh';
  return undefined;
}

/** A Prometheus scraping the infrastructure jobs of a stack, and what it ran with. */
export interface ScrapedStack {
  /** Port of its HTTP API on 127.0.0.1. */
  readonly port: number;
  readonly stack: VigilStack;
  /** node-exporter flags left out because the installed node-exporter does not know them. */
  readonly skippedFlags: readonly string[];
}

/**
 * Runs `fn` while the pinned Prometheus scrapes, with the jobs the stack of `props` generates, node-exporter (with
 * the generated collector flags) and the recorded expositions, every job scraped at least twice.
 * `alterJob` changes a job before it is written (the tests' negative control).
 */
export async function withScrapedInfrastructure<T>(props: VigilStackProps, fn: (s: ScrapedStack) => Promise<T>, alterJob: (job: Job) => Job = (j) => j): Promise<T> {
  const missing = missingPrograms();
  if (missing) throw new Error(missing);
  // kingpin prints its help on stderr. Boolean flags are listed as --collector.<name> or --[no-]collector.<name>.
  const h = spawnSync('prometheus-node-exporter', ['--help'], { encoding: 'utf8' });
  const help = `${h.stdout}${h.stderr}`;
  const known = (flag: string) => new RegExp(`--(\\[no-\\])?${flag.replace(/^--(no-)?/, '').split('=')[0].replace(/\./g, '\\.')}(?![\\w.-])`).test(help);
  const { stack, jobs, nodeExporterArgs } = generated(props);
  // Collector settings only: the host paths (/host/proc) are the pod's mounts; here the host is read directly.
  const collectorArgs = nodeExporterArgs.filter((a) => a.startsWith('--collector.') || a.startsWith('--no-collector.'));
  const fixtures = await serveFixtures();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-series-'));
  const [nePort, promPort] = [await freePort(), await freePort()];
  const procs: ChildProcess[] = [];
  try {
    procs.push(spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${nePort}`, ...collectorArgs.filter(known)], { stdio: 'ignore' }));
    const scrapeConfigs = JOBS.map((name) => {
      const generatedJob = jobs.get(name);
      if (!generatedJob) throw new Error(`the stack has no '${name}' scrape job`);
      const job = alterJob(generatedJob);
      return name === 'node-exporter'
        ? loopbackJob(job, `127.0.0.1:${nePort}`, '/metrics')
        : loopbackJob(job, `127.0.0.1:${fixtures.port}`, `/${name}`);
    });
    writeFileSync(join(dir, 'prometheus.yml'), YAML.stringify({ global: { scrape_interval: '1s', scrape_timeout: '1s' }, scrape_configs: scrapeConfigs }));
    procs.push(spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' }));
    let post = new Map<string, number>();
    for (let i = 0; i < 60 && post.size < JOBS.length; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      post = await byJob(promPort, 'scrape_samples_post_metric_relabeling');
    }
    if (post.size < JOBS.length) throw new Error(`Prometheus scraped only ${[...post.keys()].join(', ') || 'nothing'} within 60 s`);
    await new Promise((r) => setTimeout(r, 2000));
    return await fn({ port: promPort, stack, skippedFlags: collectorArgs.filter((a) => !known(a)) });
  } finally {
    procs.forEach((p) => p.kill());
    fixtures.server.close();
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measures every mode; undefined when the pinned Prometheus or Debian's node-exporter is missing. */
export async function measureInfrastructureSeries(): Promise<SeriesReport | undefined> {
  if (missingPrograms()) return undefined;
  const rows: ModeRow[] = [];
  const skipped = new Set<string>();
  for (const mode of MODES) {
    rows.push(await withScrapedInfrastructure({ config: { prometheus: { metricFilter: mode } } }, async ({ port, skippedFlags }) => {
      skippedFlags.forEach((f) => skipped.add(f));
      // Ten more scrapes, so every series has a few samples in its head chunk.
      await new Promise((r) => setTimeout(r, 10_000));
      const exposed = await byJob(port, 'scrape_samples_scraped');
      const post = await byJob(port, 'scrape_samples_post_metric_relabeling');
      const podSeries = await byJob(port, 'count by (job) ({pod!=""})');
      const pods = await byJob(port, 'count by (job) (count by (job, namespace, pod) ({pod!=""}))');
      // Prometheus does not scrape itself here, so its own metrics are read directly, after a forced GC.
      // Twice: the first collection moves sync.Pool contents (scrape buffers) to the victim cache, the second frees them.
      for (let gc = 0; gc < 2; gc++) await fetch(`http://127.0.0.1:${port}/debug/pprof/heap?gc=1`).then((r) => r.arrayBuffer());
      const self = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const own = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(self)?.[1] ?? NaN);
      return {
        mode,
        headSeries: own('prometheus_tsdb_head_series'),
        heap: own('go_memstats_heap_alloc_bytes'),
        jobs: JOBS.map((job) => ({ job, exposed: exposed.get(job) ?? 0, kept: post.get(job) ?? 0, podSeries: podSeries.get(job) ?? 0, pods: pods.get(job) ?? 0 })),
      };
    }));
  }
  return {
    rows,
    nodeExporterVersion: versionOf('prometheus-node-exporter'),
    prometheusVersion: versionOf(PROMETHEUS),
    skippedFlags: [...skipped],
    memoryRequests: { homelab: prometheusMemoryRequest('homelab'), production: prometheusMemoryRequest('production') },
  };
}

const pct = (a: number, b: number) => `${Math.round((100 * a) / b)}%`;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const Mi = 1024 * 1024;

/**
 * Series of one node with `pods` pods: node-exporter and the kubelet as recorded (they do not grow
 * with pods: node-exporter skips pod network devices), cAdvisor's node part plus its per-pod series
 * scaled, and kube-state-metrics' per-pod series scaled (its other series are the cluster's, counted
 * once per cluster).
 */
export function perNode(row: ModeRow, recordedPods: ReadonlyMap<string, number>, pods = PODS_PER_NODE): { node: number; cluster: number } {
  let node = 0;
  let cluster = 0;
  for (const j of row.jobs) {
    const recorded = recordedPods.get(j.job) ?? 0;
    const perPod = recorded ? j.podSeries / recorded : 0;
    if (j.job === 'kube-state-metrics') {
      node += perPod * pods;
      cluster += j.kept - j.podSeries;
    } else {
      node += j.kept - j.podSeries + perPod * pods;
    }
  }
  return { node: Math.round(node), cluster: Math.round(cluster) };
}

/** Live heap per head series and the heap without series: the least-squares line through the modes' (series, heap) points. */
export function heapPerSeries(rows: readonly ModeRow[]): { perSeries: number; base: number } {
  const n = rows.length;
  const mx = sum(rows.map((r) => r.headSeries)) / n;
  const my = sum(rows.map((r) => r.heap)) / n;
  const perSeries = sum(rows.map((r) => (r.headSeries - mx) * (r.heap - my))) / sum(rows.map((r) => (r.headSeries - mx) ** 2));
  return { perSeries, base: my - perSeries * mx };
}

export function seriesTables(r: SeriesReport): string {
  const none = r.rows.find((x) => x.mode === 'none')!;
  const recordedPods = new Map(none.jobs.map((j) => [j.job, j.pods]));
  const noneKept = new Map(none.jobs.map((j) => [j.job, j.kept]));
  const lines = [
    `Series kept per job (exposed → kept after metric_relabel_configs; share of \`none\`). node-exporter ${r.nodeExporterVersion} on this machine; the others are the recordings in test/fixtures/exposition/ (kubelet: ${kubeletRecordedPods()} pods; ${JOBS.slice(2).map((j) => `${j}: ${recordedPods.get(j)} pods`).join(', ')}). Prometheus ${r.prometheusVersion}.`,
    '',
    `| metricFilter | ${JOBS.join(' | ')} | all four | share of \`none\` |`,
    `| --- | ${JOBS.map(() => '---:').join(' | ')} | ---: | ---: |`,
    ...r.rows.map((row) => {
      const cells = row.jobs.map((j) => `${j.exposed} → ${j.kept} (${pct(j.kept, noneKept.get(j.job)!)})`);
      const total = sum(row.jobs.map((j) => j.kept));
      return `| \`${row.mode}\` | ${cells.join(' | ')} | ${total} | ${pct(total, sum([...noneKept.values()]))} |`;
    }),
  ];
  const { perSeries, base } = heapPerSeries(r.rows);
  lines.push(
    '',
    `Per node at ${PODS_PER_NODE} pods (node-exporter and kubelet as recorded, cAdvisor's and kube-state-metrics' per-pod series scaled; kube-state-metrics' other series are counted once per cluster). Memory: ${(perSeries / 1024).toFixed(1)} KiB of live heap per head series (measured: the least-squares slope of the live heap after a forced GC over the head series of the three modes), times ${(1 + GOGC / 100).toFixed(2)} for the pinned Prometheus' GOGC=${GOGC}; the base heap (${(base / Mi).toFixed(0)} MiB here) and query, rule and WAL-replay headroom come on top.`,
    '',
    `| metricFilter | series per node | share of \`none\` | cluster-wide (kube-state-metrics) | head memory per node | nodes in homelab's ${(r.memoryRequests.homelab / Mi).toFixed(0)}Mi request | nodes in production's ${(r.memoryRequests.production / Mi).toFixed(0)}Mi request |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const noneNode = perNode(none, recordedPods).node;
  for (const row of r.rows) {
    const { node, cluster } = perNode(row, recordedPods);
    const mem = node * perSeries * (1 + GOGC / 100);
    const fits = (req: number) => Math.max(0, Math.floor((req - base * (1 + GOGC / 100) - cluster * perSeries * (1 + GOGC / 100)) / mem));
    lines.push(`| \`${row.mode}\` | ${node} | ${pct(node, noneNode)} | ${cluster} | ${(mem / Mi).toFixed(1)} MiB | ${fits(r.memoryRequests.homelab)} | ${fits(r.memoryRequests.production)} |`);
  }
  if (r.skippedFlags.length) lines.push('', `node-exporter flags the installed version does not know (left out): ${r.skippedFlags.join(' ')}`);
  return lines.join('\n');
}

if (require.main === module) {
  measureInfrastructureSeries().then((r) => {
    console.log(r ? seriesTables(r) : 'the pinned Prometheus (.tools/bin/prometheus) or prometheus-node-exporter is missing (scripts/install-tools.sh): series not measured');
  });
}
