import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, exampleObjects } from './helpers/examples';
import { exampleGoldenFiles, expectGolden, goldenDifferences, readGolden } from './helpers/golden';
import { SECRET_PATTERNS } from './helpers/secret-patterns';
import { Manifest, readOutput } from './helpers/synth';
import { synthesizedObjects, synthesizedSync } from './helpers/synthesized';

/**
 * The seed systems' example apps (examples/<name>/main.ts) synthesize, match their golden output and
 * never write a secret. Each app is synthesized once per run through its CDK8S_OUTDIR contract
 * (test/helpers/synthesized.ts). Their objects also go through the Kubernetes schema
 * (test/kubernetes-schema.test.ts), the hardening checks (test/hardening.test.ts) and promtool /
 * amtool / blackbox-exporter config checks (test/component-configs.test.ts); their alerts through
 * test/example-<name>-alerts.test.ts.
 *
 * Golden: test/golden/<name>/ keeps only what the example adds to the default app (its rule files,
 * dashboards, routing, scrape configuration and object list; see exampleGoldenFiles); the default
 * app's full copy covers the rest. A golden copy written by an earlier run also proves the output is
 * the same from run to run; idkarr is additionally synthesized a second time below, in another
 * directory, and compared byte for byte.
 */

const ROOT = join(__dirname, '..');

/** One change to an example's output that its golden copy must notice, and the golden file it shows in. */
interface Mutation {
  readonly what: string;
  readonly file: RegExp;
  readonly apply: (objects: Manifest[], defaults: readonly Manifest[]) => void;
}

function configMap(objects: Manifest[], name: string | RegExp): Manifest {
  const found = objects.find((o) => o.kind === 'ConfigMap' && (typeof name === 'string' ? o.metadata.name === name : name.test(o.metadata.name)));
  if (!found) throw new Error(`no ConfigMap ${name}`);
  return found;
}

/** Replaces the first match in one data value of a ConfigMap; throws when nothing matched, so a mutation cannot be a no-op. */
function edit(cm: Manifest, key: string | undefined, re: RegExp, by: (m: string, ...groups: string[]) => string): void {
  const k = key ?? Object.keys(cm.data)[0];
  const before = cm.data[k] as string;
  const after = before.replace(re, by as any);
  if (after === before) throw new Error(`${cm.metadata.name}/${k}: ${re} matched nothing`);
  cm.data[k] = after;
}

const MUTATIONS: readonly Mutation[] = [
  {
    what: "an alert's for duration in the example's rule file",
    file: /^rules\/prometheus-rules-/,
    apply: (o, d) => {
      const cm = o.find((x) => x.kind === 'ConfigMap' && /^prometheus-rules-/.test(x.metadata.name) && !d.some((y) => y.kind === 'ConfigMap' && y.metadata.name === x.metadata.name))!;
      edit(cm, undefined, /for: (\d+)m/, (_m, n) => `for: ${Number(n) + 1}m`);
    },
  },
  {
    what: "a panel title of the example's dashboard",
    file: /^dashboards\/grafana-dashboard-/,
    apply: (o, d) => {
      const cm = o.find((x) => x.kind === 'ConfigMap' && /^grafana-dashboard-/.test(x.metadata.name) && !d.some((y) => y.kind === 'ConfigMap' && y.metadata.name === x.metadata.name))!;
      edit(cm, undefined, /"title": "([^"]+)"/, (_m, t) => `"title": "${t} (changed)"`);
    },
  },
  {
    what: 'a receiver of its routing',
    file: /^alertmanager\.yml$/,
    apply: (o) => edit(configMap(o, 'alertmanager-config'), 'alertmanager.yml', /receiver: (\S+)/, (_m, r) => `receiver: ${r}-changed`),
  },
  {
    what: 'the name of one of its scrape jobs',
    file: /^prometheus\.yml$/,
    apply: (o, d) => {
      const known = configMap([...d], 'prometheus-config').data['prometheus.yml'] as string;
      const cm = configMap(o, 'prometheus-config');
      const own = [...(cm.data['prometheus.yml'] as string).matchAll(/job_name: (\S+)/g)].map((m) => m[1]).find((j) => !known.includes(`job_name: ${j}\n`));
      if (!own) throw new Error('the example adds no scrape job');
      edit(cm, 'prometheus.yml', new RegExp(`job_name: ${own.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`), () => `job_name: ${own}-changed\n`);
    },
  },
  {
    what: 'an object it no longer deploys',
    file: /^objects\.txt$/,
    apply: (o) => { o.splice(o.findIndex((x) => x.kind === 'Deployment'), 1); },
  },
];

describe('examples', () => {
  it('cover the four seed systems', () => {
    expect(EXAMPLES.map((e) => e.name).sort()).toEqual(['barbossa', 'canvascast', 'idkarr', 'medianest']);
  });

  const defaults = synthesizedObjects('default');

  for (const e of EXAMPLES) {
    describe(e.name, () => {
      const objects = exampleObjects(e);
      const files = readOutput(synthesizedSync(e.name));

      it(`matches the golden copy of what it adds in test/golden/${e.name}`, () => {
        expect(Object.keys(files)[0]).toBe('0000-namespaces.k8s.yaml');
        expectGolden(e.name, exampleGoldenFiles(objects, defaults));
      });

      it('the golden comparison fails when a rule, dashboard, routing, scrape job or object changes', () => {
        const golden = readGolden(e.name);
        expect(goldenDifferences(golden, exampleGoldenFiles(exampleObjects(e), defaults))).toEqual([]);
        for (const m of MUTATIONS) {
          const changed = exampleObjects(e);
          m.apply(changed, defaults);
          const diff = goldenDifferences(golden, exampleGoldenFiles(changed, defaults));
          expect(diff.length, `${m.what} went unnoticed`).toBeGreaterThan(0);
          expect(diff.every((d) => m.file.test(d.slice(0, d.indexOf(':')))), `${m.what}: ${diff.join('; ')}`).toBe(true);
        }
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

  it('an example runs as a process from any directory, byte-for-byte the same on a second synth: CDK8S_OUTDIR=<dir> npx tsx examples/idkarr/main.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-example-'));
    const out = join(dir, 'out');
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'examples', 'idkarr', 'main.ts')], {
        cwd: dir, env: { ...process.env, CDK8S_OUTDIR: out }, encoding: 'utf8', timeout: 60_000,
      });
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('synthesized to out/');
      expect(readOutput(out)).toEqual(readOutput(synthesizedSync('idkarr')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
