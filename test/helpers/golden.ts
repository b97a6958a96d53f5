import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App } from 'cdk8s';
import { expect } from 'vitest';
import { outputDifferences, readOutputFiles } from '../../scripts/dist/compare';
import { Manifest, readOutput } from './synth';

/**
 * Golden output, kept small: the committed dist/ is the default app's full output, file by file (see
 * {@link expectDist}); test/golden/<example>/ holds only what the example adds to it (see
 * {@link exampleGoldenFiles}).
 */
const GOLDEN = join(__dirname, '..', 'golden');
export const DIST = join(__dirname, '..', '..', 'dist');

/** Synthesizes an app into a fresh temporary directory and returns its files. */
export function synthFiles(build: (outdir: string) => App): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-golden-'));
  try {
    build(dir).synth();
    return readOutput(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RULES = /^(prometheus|loki)-rules-/;
const DASHBOARD = /^grafana-dashboard-/;

/**
 * What an example adds to the default app, as reviewable files:
 * - `objects.txt`: every object of its output (`Kind namespace/name`), so an added or lost object shows;
 * - `prometheus.yml`: its scrape configuration;
 * - `alertmanager.yml`: its routing;
 * - `rules/<ConfigMap>/<file>`: each rule file of a Prometheus or Loki rule ConfigMap that the default
 *   app does not have, or has with other content (a shipped pack the example overrides);
 * - `dashboards/<ConfigMap>/<file>`: likewise each dashboard.
 * The stack's own objects are covered by the default app's full copy.
 */
export function exampleGoldenFiles(objects: readonly Manifest[], defaults: readonly Manifest[]): Record<string, string> {
  const data = (list: readonly Manifest[], name: string): Record<string, string> | undefined =>
    list.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)?.data;
  const one = (name: string, key: string): string => {
    const v = data(objects, name)?.[key];
    if (v === undefined) throw new Error(`the output has no ConfigMap ${name} with key ${key}`);
    return v;
  };
  const files: Record<string, string> = {
    'objects.txt': objects.map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}\n`).join(''),
    'prometheus.yml': one('prometheus-config', 'prometheus.yml'),
    'alertmanager.yml': one('alertmanager-config', 'alertmanager.yml'),
  };
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    const name = o.metadata.name;
    const dir = RULES.test(name) ? 'rules' : DASHBOARD.test(name) ? 'dashboards' : undefined;
    if (!dir) continue;
    const base = data(defaults, name) ?? {};
    for (const [key, value] of Object.entries((o.data ?? {}) as Record<string, string>)) {
      if (base[key] !== value) files[`${dir}/${name}/${key}`] = value;
    }
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

/** Every file under a directory, by its path relative to it. */
function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, rel)).isDirectory()) Object.assign(out, readTree(dir, rel));
    else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

/** The golden copy test/golden/<name>/ (every file, by relative path); empty when it does not exist. */
export function readGolden(name: string): Record<string, string> {
  try {
    return readTree(join(GOLDEN, name));
  } catch {
    return {};
  }
}

/** Differences between a golden copy and new files, one line per file; empty when they are equal. */
export function goldenDifferences(golden: Readonly<Record<string, string>>, files: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const f of Object.keys(golden)) if (!(f in files)) out.push(`${f}: no longer produced`);
  for (const [f, content] of Object.entries(files)) {
    if (!(f in golden)) out.push(`${f}: new`);
    else if (golden[f] !== content) {
      const a = golden[f].split('\n');
      const b = content.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      out.push(`${f}: differs from line ${(line < 0 ? a.length : line) + 1}: ${JSON.stringify(b[line < 0 ? a.length : line] ?? '(end)')}`);
    }
  }
  return out;
}

/**
 * Compares files with the golden copy under test/golden/<name>/. `UPDATE_GOLDEN=1` rewrites the copy
 * (review the diff before committing it); otherwise any difference fails, file by file, so the
 * failure shows which component, rule file or dashboard changed.
 */
export function expectGolden(name: string, files: Record<string, string>): void {
  const dir = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    rmSync(dir, { recursive: true, force: true });
    for (const [f, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), content);
    }
    return;
  }
  const golden = readGolden(name);
  expect(Object.keys(golden).length, `test/golden/${name} is missing (run "npm run test:update")`).toBeGreaterThan(0);
  expect(goldenDifferences(golden, files), `${name} differs from test/golden/${name} (run "npm run test:update" after an intended change and review the diff)`).toEqual([]);
}

/**
 * Compares the default app's files with the committed dist/ (the default app's golden copy).
 * `UPDATE_GOLDEN=1` (`npm run test:update`) rewrites dist/ instead: every `*.k8s.yaml` the app no
 * longer writes is removed, the rest written. Otherwise any difference fails, file by file, with the
 * fix; `npm run dist:check` makes the same comparison from the command line.
 */
export function expectDist(files: Record<string, string>): void {
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(DIST, { recursive: true });
    for (const f of Object.keys(readOutputFiles(DIST))) if (!(f in files)) rmSync(join(DIST, f));
    for (const [f, content] of Object.entries(files)) writeFileSync(join(DIST, f), content);
    return;
  }
  const committed = readOutputFiles(DIST);
  expect(Object.keys(committed).length, 'dist/ is missing (run "npm run synth" or "npm run test:update")').toBeGreaterThan(0);
  expect(outputDifferences(committed, files), 'dist/ is stale (run "npm run synth" or "npm run test:update" after an intended change, review the diff and commit it)').toEqual([]);
}
