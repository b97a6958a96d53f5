// Benchmark: active series per node that Prometheus keeps from node-exporter in each
// `prometheus.metricFilter` mode, measured with the real programs: Debian's node-exporter with the
// generated collector flags, scraped by Debian's Prometheus with the generated job relabelling
// (`scrape_samples_post_metric_relabeling`, and `prometheus_tsdb_head_series` for the whole head).
// Run by `npm run bench`; prints a markdown table. Flags the installed node-exporter does not know
// (collectors newer than it) are left out and listed.
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import YAML from 'yaml';
import { VigilStack } from '../charts/vigil-stack';

const MODES = ['none', 'curated', 'queried'] as const;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function query(port: number, expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return ((await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
}

function generated(mode: typeof MODES[number]): { relabel: unknown[]; args: string[] } {
  const app = new App();
  new VigilStack(app, 'vigil', { config: { prometheus: { metricFilter: mode } } });
  const docs = YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON()).filter(Boolean);
  const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'prometheus-config');
  const job = YAML.parse(cm.data['prometheus.yml']).scrape_configs.find((j: { job_name: string }) => j.job_name === 'node-exporter');
  const ds = docs.find((d) => d.kind === 'DaemonSet' && d.metadata.name === 'node-exporter');
  return { relabel: job.metric_relabel_configs ?? [], args: ds.spec.template.spec.containers[0].args };
}

export interface SeriesRow { mode: string; exposed: number; kept: number; head: number; skippedFlags: string[] }

/** Measures node-exporter series per mode; undefined when Debian's binaries are not installed. */
export async function measureNodeExporterSeries(): Promise<SeriesRow[] | undefined> {
  let help: string;
  try {
    // kingpin prints its help on stderr.
    const h = spawnSync('prometheus-node-exporter', ['--help'], { encoding: 'utf8' });
    help = `${h.stdout}${h.stderr}`;
    execFileSync('prometheus', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  // Boolean flags are listed as --collector.<name> or --[no-]collector.<name>.
  const known = (flag: string) => new RegExp(`--(\\[no-\\])?${flag.replace(/^--(no-)?/, '').split('=')[0].replace(/\./g, '\\.')}(?![\\w.-])`).test(help);
  const rows: SeriesRow[] = [];
  for (const mode of MODES) {
    const { relabel, args } = generated(mode);
    // Collector settings only: the host paths (/host/proc) are the pod's mounts; here the host is read directly.
    const collectorArgs = args.filter((a) => a.startsWith('--collector.') || a.startsWith('--no-collector.'));
    const skippedFlags = collectorArgs.filter((a) => !known(a));
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-series-'));
    const [nePort, promPort] = [await freePort(), await freePort()];
    const procs: ChildProcess[] = [];
    try {
      procs.push(spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${nePort}`, ...collectorArgs.filter(known)], { stdio: 'ignore' }));
      writeFileSync(join(dir, 'prometheus.yml'), YAML.stringify({
        global: { scrape_interval: '1s', scrape_timeout: '1s' },
        scrape_configs: [{ job_name: 'node-exporter', static_configs: [{ targets: [`127.0.0.1:${nePort}`] }], metric_relabel_configs: relabel }],
      }));
      procs.push(spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' }));
      let exposed = 0;
      let kept = 0;
      for (let i = 0; i < 60 && !kept; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const up = await query(promPort, 'scrape_samples_scraped{job="node-exporter"}').catch(() => []);
        const post = await query(promPort, 'scrape_samples_post_metric_relabeling{job="node-exporter"}').catch(() => []);
        if (up.length && post.length) [exposed, kept] = [Number(up[0].value[1]), Number(post[0].value[1])];
      }
      await new Promise((r) => setTimeout(r, 3000));
      // The head holds the kept series plus the five Prometheus writes per target (up, scrape_*).
      const head = Number((await query(promPort, 'count({job="node-exporter"})'))[0]?.value[1] ?? 0);
      rows.push({ mode, exposed, kept, head, skippedFlags });
    } finally {
      procs.forEach((p) => p.kill());
      await new Promise((r) => setTimeout(r, 500));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

export function seriesTable(rows: readonly SeriesRow[]): string {
  const none = rows.find((r) => r.mode === 'none')!.kept;
  const lines = [
    '| metricFilter | node-exporter series exposed | kept (after relabelling) | share of `none` | series in the head (with `up`, `scrape_*`) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| \`${r.mode}\` | ${r.exposed} | ${r.kept} | ${Math.round((100 * r.kept) / none)}% | ${r.head} |`),
  ];
  const skipped = [...new Set(rows.flatMap((r) => r.skippedFlags))];
  if (skipped.length) lines.push('', `Flags the installed node-exporter does not know (left out): ${skipped.join(' ')}`);
  return lines.join('\n');
}

if (require.main === module) {
  measureNodeExporterSeries().then((rows) => {
    console.log(rows ? seriesTable(rows) : 'prometheus-node-exporter or prometheus is not installed (scripts/install-tools.sh): series not measured');
  });
}
