import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { durationSeconds } from '../../lib/duration';
import { renderRuleTests } from '../../alerts/render-rule-tests';
import { renderRulePacks } from '../../alerts/render-rules';
import { packAlerts, packTests, RulePack } from '../../alerts/rule-pack';

/** Runs promtool in a directory; exit code and combined output. */
export function promtoolIn(promtool: string, dir: string, args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(promtool, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: `${err.stdout}\n${err.stderr}` };
  }
}

/**
 * Defines, for each pack, the two promtool checks: the rendered file passes `promtool check rules`
 * with linting on (`--lint=all --lint-fatal`: duplicate rules fail), and the pack's typed test cases
 * pass `promtool test rules`. Call inside a `describeWithTool('promtool', ...)` block.
 */
export function promtoolPackChecks(promtool: string, packs: readonly RulePack[], label = (p: RulePack) => p.name): void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const pack of packs) {
    it(`${label(pack)}: promtool check rules --lint=all --lint-fatal`, () => {
      const [file] = renderRulePacks([pack]);
      writeFileSync(join(dir, file.fileName), file.content);
      const r = promtoolIn(promtool, dir, ['check', 'rules', '--lint=all', '--lint-fatal', file.fileName]);
      expect(r.out).toMatch(/SUCCESS/);
      expect(r.code, r.out).toBe(0);
    });

    it(`${label(pack)}: promtool test rules`, () => {
      const [file] = renderRulePacks([pack]);
      writeFileSync(join(dir, file.fileName), file.content);
      const tests = renderRuleTests(pack);
      expect(tests, `pack '${pack.name}' carries tests`).toBeDefined();
      writeFileSync(join(dir, `${pack.name}.test.yml`), tests!);
      const r = promtoolIn(promtool, dir, ['test', 'rules', `${pack.name}.test.yml`]);
      expect(r.code, r.out).toBe(0);
    });
  }
}

/**
 * What a pack's promtool cases leave unproven, per alert: a case where it fires, one where it does not
 * (except the always-firing Watchdog), and, when it has a `for`, one where it is still pending.
 */
export function ruleTestCoverageProblems(pack: RulePack): string[] {
  const checks = packTests(pack).flatMap((t) => t.alerts);
  const problems: string[] = [];
  for (const alert of packAlerts(pack)) {
    const mine = checks.filter((c) => c.alert === alert.name);
    if (!mine.some((c) => c.state === 'firing')) problems.push(`${pack.name}/${alert.name}: no case where it fires`);
    if (alert.expr === 'vector(1)') continue;
    if (!mine.some((c) => c.state !== 'firing')) problems.push(`${pack.name}/${alert.name}: no case where it does not fire`);
    if (alert.for && durationSeconds(alert.for) > 0 && !mine.some((c) => c.state === 'pending')) {
      problems.push(`${pack.name}/${alert.name}: no case proving it does not fire before its for (${alert.for})`);
    }
  }
  return problems;
}
