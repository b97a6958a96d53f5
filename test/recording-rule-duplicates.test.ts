import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderRulePack } from '../alerts/render-rules';
import { recordingRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import type { RulePack } from '../alerts/rule-pack';
import { formatRuleIssue, ruleIssues } from '../alerts/validate';
import { promtoolIn } from './helpers/promtool-rules';
import { synthStackInMemory } from './helpers/synth';
import { describeWithTool } from './helpers/tools';

/**
 * Two recording rules writing one series (same name, same static labels) overwrite each other at every
 * evaluation; promtool's lint reports them. They fail synth, within a pack and across packs (a user's
 * pack recording what the shipped node pack records).
 */
const cpu = recordingRule({ record: 'instance:node_cpu_utilisation:rate5m', expr: '1 - avg without (cpu) (rate(node_cpu_seconds_total{mode="idle"}[5m]))' });
const within: RulePack = {
  name: 'mine', source: 'main.ts',
  groups: [ruleGroup({ name: 'mine.rules', rules: [cpu] }), ruleGroup({ name: 'mine.more', rules: [cpu] })],
};

describe('duplicate recording rules', () => {
  it('within a pack', () => {
    expect(ruleIssues([within]).map(formatRuleIssue)).toEqual([
      expect.stringMatching(/^pack 'mine' \(main\.ts\) › group 'mine\.more' › record 'instance:node_cpu_utilisation:rate5m' \(rule 1\) › record: pack 'mine' \(group 'mine\.rules'\) records instance:node_cpu_utilisation:rate5m already: two rules writing one series/),
    ]);
  });

  it('labels that tell them apart are fine', () => {
    const apart: RulePack = { ...within, groups: [ruleGroup({ name: 'mine.rules', rules: [cpu, { ...cpu, labels: { app: 'other' } }] })] };
    expect(ruleIssues([apart])).toEqual([]);
  });

  it('against a shipped pack, in the stack', () => {
    const mine: RulePack = { name: 'mine', groups: [ruleGroup({ name: 'mine.rules', rules: [cpu] })] };
    expect(() => synthStackInMemory({}, { rulePacks: [mine] })).toThrow(/pack 'mine' › group 'mine\.rules' › record 'instance:node_cpu_utilisation:rate5m' \(rule 1\) › record: pack 'node' \(group 'node\.rules'\) records instance:node_cpu_utilisation:rate5m already/);
  });
});

describeWithTool('promtool', 'duplicate recording rules under promtool', (promtool) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('promtool check rules --lint=all --lint-fatal refuses what synth now refuses', () => {
    const file = renderRulePack(within);
    writeFileSync(join(dir, file.fileName), file.content);
    const r = promtoolIn(promtool, dir, ['check', 'rules', '--lint=all', '--lint-fatal', file.fileName]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/duplicate rule/);
  });
});
