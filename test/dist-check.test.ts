import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputDifferences, staleMessage } from '../scripts/dist/compare';
import { synthesizedSync } from './helpers/synthesized';

const ROOT = join(__dirname, '..');

describe('dist:check comparison', () => {
  it('lists new, removed and changed files, naming the first changed line', () => {
    const committed = { 'a.k8s.yaml': 'x: 1\ny: 2\n', 'b.k8s.yaml': 'b\n' };
    const fresh = { 'a.k8s.yaml': 'x: 1\ny: 3\n', 'c.k8s.yaml': 'c\n' };
    expect(outputDifferences(committed, fresh)).toEqual([
      'a.k8s.yaml: differs from line 2: "y: 2" → "y: 3"',
      'b.k8s.yaml: no longer produced',
      'c.k8s.yaml: new, not committed',
    ]);
    expect(outputDifferences(committed, { ...committed })).toEqual([]);
  });

  it('says which command fixes it', () => {
    expect(staleMessage('dist', ['a.k8s.yaml: no longer produced'])).toBe([
      'dist/ is stale: it is not what the current code synthesizes.',
      '  dist/a.k8s.yaml: no longer produced',
      '',
      'Fix: run "npm run synth" (or "npm run test:update"), review the diff and commit it.',
      '',
    ].join('\n'));
  });
});

describe('npm run dist:check', () => {
  it('exits 1 on a stale output directory, listing the file and the fix; 0 on a current one', () => {
    const dir = mkdtempSync(join(ROOT, 'dist.check-test-'));
    try {
      cpSync(synthesizedSync('default'), dir, { recursive: true });
      const run = () => spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/dist-check.ts', '--dir', relative(ROOT, dir)], { cwd: ROOT, encoding: 'utf8' });
      const ok = run();
      expect(ok.status, ok.stderr).toBe(0);
      const file = join(dir, '0002-prometheus.k8s.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^kind: StatefulSet$/m, 'kind: StatefulSet\n# edited by hand'));
      const stale = run();
      expect(stale.status).toBe(1);
      expect(stale.stderr).toMatch(/is stale/);
      expect(stale.stderr).toMatch(/0002-prometheus\.k8s\.yaml: differs from line \d+: "# edited by hand" → "metadata:"/);
      expect(stale.stderr).toContain('npm run synth');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
