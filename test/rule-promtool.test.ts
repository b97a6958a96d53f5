import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { shippedRulePacks } from '../alerts/packs';
import { renderRuleTests } from '../alerts/render-rule-tests';
import { renderRulePacks } from '../alerts/render-rules';
import { describeWithTool } from './helpers/tools';

/**
 * The authoritative check: every shipped pack renders to a file that promtool accepts with linting on
 * (promtool 2.42's `--lint=all` is the duplicate-rule lint; `--lint-fatal` turns findings into failures),
 * and its typed test cases pass `promtool test rules`.
 */
describeWithTool('promtool', 'shipped rule packs under promtool', (promtool) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync(promtool, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' }) };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { code: err.status, out: `${err.stdout}\n${err.stderr}` };
    }
  };

  for (const pack of shippedRulePacks()) {
    it(`${pack.name}: promtool check rules --lint=all --lint-fatal`, () => {
      const [file] = renderRulePacks([pack]);
      writeFileSync(join(dir, file.fileName), file.content);
      const r = run(['check', 'rules', '--lint=all', '--lint-fatal', file.fileName]);
      expect(r.out).toMatch(/SUCCESS/);
      expect(r.code, r.out).toBe(0);
    });

    it(`${pack.name}: promtool test rules`, () => {
      const [file] = renderRulePacks([pack]);
      writeFileSync(join(dir, file.fileName), file.content);
      const tests = renderRuleTests(pack);
      expect(tests, 'every shipped pack carries tests').toBeDefined();
      writeFileSync(join(dir, `${pack.name}.test.yml`), tests!);
      const r = run(['test', 'rules', `${pack.name}.test.yml`]);
      expect(r.code, r.out).toBe(0);
    });
  }

  it('promtool really fails a wrong expectation (the harness can fail)', () => {
    const pack = shippedRulePacks()[0];
    const [file] = renderRulePacks([pack]);
    writeFileSync(join(dir, file.fileName), file.content);
    const broken = renderRuleTests({
      ...pack,
      tests: [{ name: 'Watchdog is wrongly expected to be silent', series: [], alerts: [{ at: '5m', alert: 'Watchdog', state: 'inactive' }] }],
      groups: pack.groups.map((g) => ({ ...g, rules: g.rules.map((r) => (r.kind === 'alert' ? { ...r, tests: undefined } : r)) })),
    })!;
    writeFileSync(join(dir, 'broken.test.yml'), broken);
    const r = run(['test', 'rules', 'broken.test.yml']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/FAILED/);
  });
});
