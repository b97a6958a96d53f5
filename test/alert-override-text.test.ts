import { describe, expect, it } from 'vitest';
import { applyOverrides } from '../alerts/overrides';
import { nodeRulePack } from '../alerts/packs';
import { renderRulePacks } from '../alerts/render-rules';
import { alertRule, formatNumber, percent } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import type { RulePack } from '../alerts/rule-pack';
import { formatRuleIssue, ruleIssues } from '../alerts/validate';

/**
 * Threshold overrides keep expression and text in step: a threshold must build the expression, a
 * string expression override cannot leave text saying the old threshold, and an override's mistake is
 * blamed on the override, not on the pack that shipped the alert.
 */
const pack = (rules: RulePack['groups'][number]['rules']): RulePack => ({ name: 'app', source: 'main.ts', groups: [ruleGroup({ name: 'app.alerts', rules })] });

describe('threshold overrides', () => {
  it('a threshold that builds the text but not the expression is refused', () => {
    const p = pack([alertRule({
      name: 'ApiCpuHigh', threshold: 0.9, expr: 'process_cpu:ratio > 0.9', severity: 'warning',
      summary: (t) => `CPU above ${percent(t)}.`, description: 'CPU is high.',
    })]);
    expect(ruleIssues([p]).map(formatRuleIssue)).toEqual([
      expect.stringMatching(/alert 'ApiCpuHigh' \(rule 1\) › threshold: threshold 0.9 builds the text but not the expression.*write expr as a function/),
    ]);
  });

  it('a string expr override with text built from the threshold is refused, naming the stale text', () => {
    expect(() => applyOverrides([nodeRulePack()], { NodeHighCpuUsage: { expr: 'instance:node_cpu_utilisation:rate5m > 0.8' } }))
      .toThrow(/override 'NodeHighCpuUsage': expr is replaced by a string, but summary of 'NodeHighCpuUsage' is built from the threshold and would still say "Node CPU usage is above 90%\."/);
  });

  it('the documented forms work: an expr function with a threshold, or a string expr with its text', () => {
    const [a] = applyOverrides([nodeRulePack()], {
      NodeHighCpuUsage: { threshold: 0.8, expr: (t) => `instance:node_cpu_utilisation:rate5m{job="node"} > ${formatNumber(t)}` },
      NodeHighMemoryUsage: { expr: 'instance:node_memory_utilisation:ratio > 0.8', summary: 'Node memory usage is above 80%.' },
    });
    const text = renderRulePacks([a])[0].content;
    expect(text).toContain('expr: instance:node_cpu_utilisation:rate5m{job="node"} > 0.8');
    expect(text).toContain('summary: Node CPU usage is above 80%.');
    expect(text).toContain('summary: Node memory usage is above 80%.');
  });
});

describe('override errors', () => {
  it('name the override key, not the shipped pack', () => {
    let message = '';
    try {
      applyOverrides([nodeRulePack()], { NodeHighCpuUsage: { threshold: 0.5, expr: (t) => `sum(rate(x[5m]) > ${t}` } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/override 'NodeHighCpuUsage' of node\/NodeHighCpuUsage › expr: PromQL error at 1:\d+/);
    expect(message).not.toMatch(/alerts\/packs\/node\.ts/);
  });

  it('every zero duration removes for, as "0s" does', () => {
    for (const zero of ['0s', '0m', '0h', '0']) {
      const [p] = applyOverrides([nodeRulePack()], { NodeHighCpuUsage: { for: zero } });
      expect(renderRulePacks([p])[0].content).not.toMatch(/alert: NodeHighCpuUsage\n(.*\n){1}\s+for:/);
      expect(ruleIssues([p])).toEqual([]);
    }
  });

  it('NaN is named as such', () => {
    expect(() => applyOverrides([nodeRulePack()], { NodeHighCpuUsage: { threshold: NaN } })).toThrow(/threshold: NaN is not a threshold: write a finite number/);
  });
});
