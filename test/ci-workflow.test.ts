import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

/**
 * The pull-request workflow: valid for GitHub Actions (checked by @action-validator/cli, pinned in
 * devDependencies), and every npm command of its steps names a script package.json has.
 */
const ROOT = join(__dirname, '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

function validate(file: string) {
  return spawnSync(process.execPath, [join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs'), file], { encoding: 'utf8' });
}

/** The npm scripts a shell snippet runs: `npm run <name>` (flags allowed before the name), `npm test`. */
export function npmScripts(run: string): string[] {
  const out: string[] = [];
  for (const m of run.matchAll(/\bnpm[ \t]+(run(?:-script)?|test|t|start|stop|restart)\b((?:[ \t]+--?[\w-]+)*)(?:[ \t]+([\w:.-]+))?/g)) {
    if (m[1].startsWith('run')) out.push(m[3]);
    else out.push(m[1] === 't' ? 'test' : m[1]);
  }
  return out;
}

const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

describe('GitHub Actions workflows', () => {
  it('there is a pull-request workflow', () => {
    expect(files).toContain('pull-request.yml');
  });

  it('the validator rejects a broken copy of it (so a pass means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-workflow-'));
    try {
      const broken = join(dir, 'broken.yml');
      writeFileSync(broken, readFileSync(join(WORKFLOWS, 'pull-request.yml'), 'utf8').replace('runs-on:', 'runs_on:'));
      const r = validate(broken);
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/runs_on/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const f of files) {
    describe(f, () => {
      const doc = YAML.parse(readFileSync(join(WORKFLOWS, f), 'utf8'));
      const runs: string[] = Object.values(doc.jobs as Record<string, { steps: Array<{ run?: string }> }>).flatMap((j) => j.steps.flatMap((s) => (s.run ? [s.run] : [])));

      it('is valid for GitHub Actions (@action-validator/cli)', () => {
        const r = validate(join(WORKFLOWS, f));
        expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
      });

      it('calls only package scripts that exist', () => {
        const called = runs.flatMap(npmScripts);
        expect(called.length).toBeGreaterThan(0);
        expect(called.filter((s) => !(s in scripts))).toEqual([]);
      });

      if (f === 'pull-request.yml') {
        it('runs on pull requests: install, typecheck, npm test, dist:check, and the review into the job summary', () => {
          expect(Object.keys(doc.on)).toContain('pull_request');
          const called = runs.flatMap(npmScripts);
          for (const s of ['typecheck', 'test', 'dist:check', 'review']) expect(called).toContain(s);
          expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
          expect(runs.find((r) => r.includes('npm run --silent review'))).toMatch(/--base "origin\/\$BASE_REF" >> "\$GITHUB_STEP_SUMMARY"/);
        });
      }
    });
  }
});

describe('npmScripts', () => {
  it('finds the script of each npm command', () => {
    expect(npmScripts('npm ci && npm run typecheck\nnpm test\nnpm run --silent review -- --base x')).toEqual(['typecheck', 'test', 'review']);
  });
});
