import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, example } from './helpers/examples';
import { expectGolden, synthFiles } from './helpers/golden';
import { SECRET_PATTERNS } from './helpers/secret-patterns';
import { readOutput } from './helpers/synth';

/**
 * The seed systems' example apps (examples/<name>/main.ts) synthesize, match their golden output and
 * never write a secret. Their objects also go through the Kubernetes schema
 * (test/kubernetes-schema.test.ts), the hardening checks (test/hardening.test.ts) and promtool /
 * amtool / blackbox-exporter config checks (test/component-configs.test.ts); their alerts through
 * test/example-<name>-alerts.test.ts.
 */

const ROOT = join(__dirname, '..');

describe('examples', () => {
  it('cover the four seed systems', () => {
    expect(EXAMPLES.map((e) => e.name).sort()).toEqual(['barbossa', 'canvascast', 'idkarr', 'medianest']);
  });

  for (const e of EXAMPLES) {
    describe(e.name, () => {
      const files = synthFiles(e.buildApp);

      it(`matches the golden copy in test/golden/${e.name}`, () => {
        expectGolden(e.name, files);
      });

      it('is byte-for-byte identical across two synths, namespaces first', () => {
        expect(synthFiles(e.buildApp)).toEqual(files);
        expect(Object.keys(files)[0]).toBe('0000-namespaces.k8s.yaml');
      });

      it('writes no secret value and no Secret object', () => {
        const all = Object.values(files).join('\n---\n');
        for (const [what, pattern] of SECRET_PATTERNS) expect(all, what).not.toMatch(pattern);
        expect(all).not.toMatch(/^kind: Secret$/m);
      });

      it('builds a fresh app on every call (tests and the end-to-end run reuse it)', () => {
        const a = e.buildApp();
        expect(a instanceof App).toBe(true);
        // Identity only: a deep comparison of two construct trees would walk their cycles for minutes.
        expect(e.buildApp() === a).toBe(false);
        expect(e.stackProps().rulePacks?.length).toBeGreaterThan(0);
        expect(e.stackProps().dashboards?.length).toBeGreaterThan(0);
      });
    });
  }

  it('an example runs as a process: CDK8S_OUTDIR=<dir> npx tsx examples/idkarr/main.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-example-'));
    const out = join(dir, 'out');
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'examples', 'idkarr', 'main.ts')], {
        cwd: dir, env: { ...process.env, CDK8S_OUTDIR: out }, encoding: 'utf8', timeout: 60_000,
      });
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('synthesized to out/');
      expect(readOutput(out)).toEqual(synthFiles(example('idkarr').buildApp));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
