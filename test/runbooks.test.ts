import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedLokiRulePacks, shippedRulePacks } from '../alerts/packs';
import { resolveAlert } from '../alerts/rule';
import { packAlerts } from '../alerts/rule-pack';
import { availabilitySlo, latencySlo, sloRulePack } from '../alerts/slo';
import { EXAMPLES, examplePacks } from './helpers/examples';

const ROOT = join(__dirname, '..');
const RUNBOOK_DIR = join(ROOT, 'docs', 'runbooks');

/** Why a runbook is not good enough; empty when it is fine. */
function runbookProblems(text: string, name: string): string[] {
  const problems: string[] = [];
  const title = /^# (\S+)\s*$/m.exec(text);
  if (!title || title[1] !== name) problems.push(`the first heading must be "# ${name}"`);
  for (const section of ['## Meaning', '## How to check', '## How to fix']) {
    if (!text.includes(`\n${section}\n`)) problems.push(`missing section "${section}"`);
  }
  const check = text.split('\n## How to check\n')[1]?.split('\n## ')[0] ?? '';
  if (!/```(promql|sh|logql)\n[\s\S]+?```/.test(check)) problems.push('"How to check" needs a concrete PromQL/LogQL query or command in a fenced block');
  const fix = text.split('\n## How to fix\n')[1]?.split('\n## ')[0] ?? '';
  if (fix.trim().length < 150) problems.push('"How to fix" is too short to help');
  if (text.length < 900) problems.push(`only ${text.length} characters: a stub`);
  if (/\b(TODO|TBD|FIXME|lorem ipsum)\b/i.test(text)) problems.push('contains a placeholder (TODO/TBD)');
  return problems;
}

const exampleSlos = sloRulePack({ slos: [availabilitySlo({ name: 'api-availability' }), latencySlo({ name: 'api-latency' })] });
// The examples' own alerts (examples/<name>/) need runbooks too; they link shipped ones where the
// meaning is the same and their own otherwise.
const examples = EXAMPLES.flatMap(examplePacks);
const alerts = [...shippedRulePacks(), ...shippedLokiRulePacks(), exampleSlos, ...examples].flatMap((p) => packAlerts(p).map((a) => ({ pack: p.name, alert: resolveAlert(a) })));

describe('runbooks', () => {
  for (const { pack, alert } of alerts) {
    it(`${pack}/${alert.name} links a runbook that exists and helps`, () => {
      expect(alert.runbook).toMatch(/^docs\/runbooks\/[A-Za-z0-9]+\.md$/);
      const path = join(ROOT, alert.runbook);
      expect(existsSync(path), `${alert.runbook} is missing: write it (Meaning, How to check, How to fix)`).toBe(true);
      expect(runbookProblems(readFileSync(path, 'utf8'), basename(path, '.md'))).toEqual([]);
    });
  }

  it('every runbook belongs to a shipped or example alert (no orphans after a rename)', () => {
    const linked = new Set(alerts.map((a) => basename(a.alert.runbook)));
    const orphans = readdirSync(RUNBOOK_DIR).filter((f) => f.endsWith('.md') && !linked.has(f));
    expect(orphans).toEqual([]);
  });

  it('the checker rejects a missing section, a stub and a placeholder', () => {
    expect(runbookProblems('# X\n\n## Meaning\n\nTODO\n', 'X')).toEqual(expect.arrayContaining([
      'missing section "## How to check"',
      'missing section "## How to fix"',
      expect.stringMatching(/a stub/),
      'contains a placeholder (TODO/TBD)',
    ]));
    const good = readFileSync(join(RUNBOOK_DIR, 'TargetDown.md'), 'utf8');
    expect(runbookProblems(good, 'TargetDown')).toEqual([]);
    expect(runbookProblems(good, 'Other')).toEqual(['the first heading must be "# Other"']);
  });
});
