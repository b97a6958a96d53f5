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
// An example's own runbooks live in examples/<name>/runbooks/ (the alert sets its `runbook` path);
// shipped packs' runbooks, which examples may share, stay in docs/runbooks/.
type Linked = { pack: string; alert: ReturnType<typeof resolveAlert>; example?: string };
const shipped: Linked[] = [...shippedRulePacks(), ...shippedLokiRulePacks(), exampleSlos].flatMap((p) => packAlerts(p).map((a) => ({ pack: p.name, alert: resolveAlert(a) })));
const examples: Linked[] = EXAMPLES.flatMap((e) => examplePacks(e).flatMap((p) => packAlerts(p).map((a) => ({ pack: p.name, alert: resolveAlert(a), example: e.name }))));
const alerts = [...shipped, ...examples];
/** Every directory holding runbooks: docs/runbooks and each example's runbooks/. */
const RUNBOOK_DIRS = ['docs/runbooks', ...EXAMPLES.map((e) => `examples/${e.name}/runbooks`)].filter((d) => existsSync(join(ROOT, d)));

describe('runbooks', () => {
  for (const { pack, alert, example } of alerts) {
    it(`${pack}/${alert.name} links a runbook that exists and helps`, () => {
      // A shipped pack links docs/runbooks/; an example's alert links a shipped runbook or one of its own.
      const own = example ? `|examples\\/${example}\\/runbooks` : '';
      expect(alert.runbook).toMatch(new RegExp(`^(docs\\/runbooks${own})\\/[A-Za-z0-9]+\\.md$`));
      const path = join(ROOT, alert.runbook);
      expect(existsSync(path), `${alert.runbook} is missing: write it (Meaning, How to check, How to fix)`).toBe(true);
      expect(runbookProblems(readFileSync(path, 'utf8'), basename(path, '.md'))).toEqual([]);
    });
  }

  it('every runbook belongs to a shipped or example alert (no orphans after a rename or a move)', () => {
    const linked = new Set(alerts.map((a) => a.alert.runbook));
    const orphans = RUNBOOK_DIRS.flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.md')).map((f) => `${d}/${f}`)).filter((f) => !linked.has(f));
    expect(orphans).toEqual([]);
  });

  it('a runbook in docs/runbooks is linked by a shipped alert: an example-only runbook lives in its example', () => {
    const shippedLinks = new Set(shipped.map((a) => a.alert.runbook));
    const exampleOnly = [...new Set(examples.map((a) => a.alert.runbook))].filter((r) => r.startsWith('docs/runbooks/') && !shippedLinks.has(r));
    expect(exampleOnly).toEqual([]);
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
