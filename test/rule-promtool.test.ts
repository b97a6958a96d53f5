import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { shippedRulePacks } from '../alerts/packs';
import { renderRuleTests } from '../alerts/render-rule-tests';
import { renderRulePacks } from '../alerts/render-rules';
import { promtoolIn, promtoolPackChecks } from './helpers/promtool-rules';
import { describeWithTool } from './helpers/tools';

/**
 * The authoritative check: every shipped pack renders to a file that promtool accepts with linting on
 * (promtool 2.42's `--lint=all` is the duplicate-rule lint; `--lint-fatal` turns findings into failures),
 * and its typed test cases pass `promtool test rules`. The examples' packs go through the same checks
 * in test/example-*-alerts.test.ts.
 */
describeWithTool('promtool', 'shipped rule packs under promtool', (promtool) => {
  promtoolPackChecks(promtool, shippedRulePacks());

  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    const r = promtoolIn(promtool, dir, ['test', 'rules', 'broken.test.yml']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/FAILED/);
  });
});
