// Benchmark: synth time of the default app against the serialization floor, and what each profile
// requests. Prints a table; numbers are medians over several runs in one warm process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Yaml } from 'cdk8s';
import YAML from 'yaml';
import { buildApp } from '../main';
import { VigilStack } from '../charts/vigil-stack';
import { requestedResources } from '../lib/resource-totals';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function bench(name: string, build: (outdir: string) => App): { name: string; objects: number; synthMs: number; floorMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  try {
    build(dir).synth(); // warm-up: module loading and JIT are not what we measure
    const synthMs = median(Array.from({ length: RUNS }, () => time(() => build(dir).synth())));
    // The floor: the same objects, already built, only serialized to YAML and written.
    const docs = build(dir).charts.flatMap((c) => c.toJson());
    const floorMs = median(Array.from({ length: RUNS }, () => time(() => Yaml.save(join(dir, 'floor.k8s.yaml'), docs))));
    return { name, objects: docs.length, synthMs, floorMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall-clock time of `npm run synth` as a user runs it: a fresh process, TypeScript compile included. */
function coldSynthMs(): number {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const tsx = join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const ms = median(Array.from({ length: 3 }, () => time(() => {
    const r = spawnSync(tsx, ['main.ts'], { cwd: join(__dirname, '..'), env: { ...process.env, CDK8S_OUTDIR: join(dir, 'dist') }, stdio: 'ignore' });
    if (r.status !== 0) throw new Error('synth failed during the benchmark');
  })));
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const rows = [bench('default app', buildApp)];
console.log(`\nSynth (median of ${RUNS} runs in a warm process; a cold \`npm run synth\` process takes ${coldSynthMs().toFixed(0)} ms end to end)\n`);
console.log('| app | objects | synth ms | floor ms | synth / floor |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${r.objects} | ${r.synthMs.toFixed(1)} | ${r.floorMs.toFixed(1)} | ${(r.synthMs / r.floorMs).toFixed(1)}x |`);

console.log('\nRequested resources per profile\n');
console.log('| profile | workload | replicas | CPU request | memory request | memory limit | storage |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
const Mi = 2 ** 20;
for (const profile of ['homelab', 'production'] as const) {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'vigil-bench-')) });
  new VigilStack(app, 'vigil', { config: { profile } });
  const objects = YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON());
  const { workloads, total } = requestedResources(objects);
  for (const w of workloads) {
    console.log(`| ${profile} | ${w.kind}/${w.name} | ${w.replicas} | ${w.cpuMillis}m | ${(w.memoryBytes / Mi).toFixed(0)}Mi | ${(w.memoryLimitBytes / Mi).toFixed(0)}Mi | ${(w.storageBytes / 2 ** 30).toFixed(0)}Gi |`);
  }
  console.log(`| **${profile}** | **total** (DaemonSets per node) | | **${total.cpuMillis}m** | **${(total.memoryBytes / Mi).toFixed(0)}Mi** | **${(total.memoryLimitBytes / Mi).toFixed(0)}Mi** | **${(total.storageBytes / 2 ** 30).toFixed(0)}Gi** |`);
}
