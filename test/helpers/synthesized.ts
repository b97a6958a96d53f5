import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import YAML from 'yaml';
import type { Manifest } from './synth';

/**
 * The generated output of every app, obtained only through the stable contracts: `CDK8S_OUTDIR=<dir>
 * npx tsx <app>` for the default app (main.ts), each example (examples/<name>/main.ts) and the
 * variants fixture (test/fixtures/variants/main.ts, built from the package entry). Each app is
 * synthesized once per test run into the directory test/setup/synth-dir.ts provides; test files in
 * other workers that ask for the same app wait for the first one (a lock directory per app).
 */
const ROOT = resolve(__dirname, '..', '..');

/** The apps, by the script that synthesizes them; `outputs` are the directories each writes. */
const APPS = [
  { app: 'default', script: 'main.ts', outputs: ['default'] },
  ...['idkarr', 'barbossa', 'canvascast', 'medianest'].map((n) => ({ app: n, script: `examples/${n}/main.ts`, outputs: [n] })),
  { app: 'variants', script: 'test/fixtures/variants/main.ts', outputs: ['everything', 'homelab', 'tailSampling', 'metricsOnly'].map((v) => `variants/${v}`) },
] as const;

/** Every output: the default app, the examples, then the variants. */
export const OUTPUTS: readonly string[] = APPS.flatMap((a) => a.outputs);
export const EXAMPLE_OUTPUTS = ['idkarr', 'barbossa', 'canvascast', 'medianest'] as const;

function rootDir(): string {
  let dir: string | undefined;
  try {
    dir = inject('vigilSynthDir');
  } catch {
    dir = undefined;
  }
  if (dir) return dir;
  // Run without the globalSetup (a config that does not name it): a directory of this worker's own.
  const own = (globalThis as { __vigilSynthDir?: string }).__vigilSynthDir ?? mkdtempSync(join(tmpdir(), 'vigil-synth-'));
  (globalThis as { __vigilSynthDir?: string }).__vigilSynthDir = own;
  process.once('exit', () => rmSync(own, { recursive: true, force: true }));
  return own;
}

/** The marker paths of one app's synthesis in `root`, and its output directory. */
function markers(root: string, a: (typeof APPS)[number]) {
  return { lock: join(root, `${a.app}.lock`), done: join(root, `${a.app}.done`), failed: join(root, `${a.app}.failed`), outdir: join(root, a.app) };
}

/** True when this caller takes the app's lock (and so synthesizes it); false when another has it. */
function claim(m: ReturnType<typeof markers>): boolean {
  try {
    mkdirSync(m.lock);
    return true;
  } catch {
    return false;
  }
}

/** True once the app is synthesized; throws the other caller's error when it failed. */
function finished(m: ReturnType<typeof markers>): boolean {
  if (existsSync(m.failed)) throw new Error(readFileSync(m.failed, 'utf8'));
  return existsSync(m.done);
}

const POLLS = 1200;
const POLL_MS = 100;
const tsxArgs = (script: string) => [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), script];
const appEnv = (outdir: string) => ({ ...process.env, CDK8S_OUTDIR: outdir });

/** The error of a failed app run: its first lines (source-map comments in a stack would confuse vitest's reporter). */
function appFailure(script: string, outdir: string, status: number | null, output: string): Error {
  const said = output.split('\n').filter((l) => !l.includes('sourceMappingURL')).slice(0, 30).join('\n');
  return new Error(`CDK8S_OUTDIR=${outdir} tsx ${script} exited ${status}:\n${said}`);
}

/** Records the run's outcome in the markers, for the callers waiting on them. */
function settle(m: ReturnType<typeof markers>, err?: Error): void {
  if (err) {
    writeFileSync(m.failed, String(err));
    throw err;
  }
  writeFileSync(m.done, '');
}

function runApp(script: string, outdir: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, tsxArgs(script), { cwd: ROOT, env: appEnv(outdir), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => { output += b; });
    child.stderr.on('data', (b) => { output += b; });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(appFailure(script, outdir, code, output))));
  });
}

async function ensureApp(root: string, a: (typeof APPS)[number]): Promise<void> {
  const m = markers(root, a);
  if (!claim(m)) {
    // Another test file is synthesizing it: wait for its marker.
    for (let i = 0; i < POLLS; i++) {
      if (finished(m)) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new Error(`timed out waiting for ${a.app} to be synthesized`);
  }
  try {
    await runApp(a.script, m.outdir);
  } catch (err) {
    settle(m, err as Error);
  }
  settle(m);
}

function appOf(output: string): (typeof APPS)[number] {
  const a = APPS.find((x) => (x.outputs as readonly string[]).includes(output));
  if (!a) throw new Error(`no app writes '${output}'; known: ${OUTPUTS.join(', ')}`);
  return a;
}

/** {@link ensureApp} for synchronous callers (module-level objects in a test file): same lock and markers. */
function ensureAppSync(root: string, a: (typeof APPS)[number]): void {
  const m = markers(root, a);
  if (!claim(m)) {
    for (let i = 0; i < POLLS; i++) {
      if (finished(m)) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, POLL_MS);
    }
    throw new Error(`timed out waiting for ${a.app} to be synthesized`);
  }
  const r = spawnSync(process.execPath, tsxArgs(a.script), { cwd: ROOT, env: appEnv(m.outdir), encoding: 'utf8', timeout: 120_000 });
  settle(m, r.status === 0 ? undefined : appFailure(a.script, m.outdir, r.status, `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`));
}

/** The directory of one output, synthesized once per run (synchronously: for module-level use in a test file). */
export function synthesizedSync(output: string): string {
  const root = rootDir();
  ensureAppSync(root, appOf(output));
  return join(root, output);
}

const parsed = new Map<string, Manifest[]>();

/**
 * The objects of one output, synthesized once per run and parsed once per test worker; each call
 * returns a fresh copy, so a test may change what it gets.
 */
export function synthesizedObjects(output: string): Manifest[] {
  if (!parsed.has(output)) parsed.set(output, readObjects(synthesizedSync(output)));
  return structuredClone(parsed.get(output)!);
}

/** Synthesizes (once per run) the apps behind the named outputs, in parallel; returns each output's directory. */
export async function synthesized(outputs: readonly string[] = OUTPUTS): Promise<Record<string, string>> {
  const root = rootDir();
  const apps = APPS.filter((a) => a.outputs.some((o) => outputs.includes(o)));
  await Promise.all(apps.map((a) => ensureApp(root, a)));
  return Object.fromEntries(outputs.map((o) => [o, join(root, o)]));
}

/** The objects of an output directory, file by file in name order (the apply order). */
export function readObjects(dir: string): Manifest[] {
  return readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort()
    .flatMap((f) => YAML.parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJSON() as Manifest).filter((o) => o));
}

/** The data of a ConfigMap of an output, or undefined when the output has no such ConfigMap. */
export function configMapData(objects: readonly Manifest[], name: string): Record<string, string> | undefined {
  return objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)?.data;
}
