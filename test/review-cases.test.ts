import { describe, expect, it } from 'vitest';
import { renderReview, review } from '../scripts/review/markdown';
import { StackConfigInput } from '../charts/config';
import { synthStack, synthStackInMemory } from './helpers/synth';

/**
 * The review on real output: the default app against ordinary changes a user makes (the cases of
 * docs/operations.md, "Changing a running stack").
 */
const defaults = synthStack();
const reviewOf = (config: StackConfigInput) => review(defaults, synthStackInMemory({ profile: 'homelab', ...config }));

describe('npm run review on the default app', () => {
  it('a one-threshold override names the alert, before → after, and nothing is unsafe', () => {
    const r = reviewOf({ alerting: { overrides: { NodeHighCpuUsage: { threshold: 0.95 } } } });
    expect(r.rules[0]).toBe('- changed alert `NodeHighCpuUsage`: threshold `> 0.9 → > 0.95`');
    expect(r.safety).toEqual({ refused: [], removed: [], dataAtRisk: [] });
    expect(r.workloads).toEqual([]);
  });

  it("profile 'production': the four StatefulSets' volumes are refused, each with its commands", () => {
    const r = reviewOf({ profile: 'production' });
    expect(r.safety.refused.map((x) => x.line.split(':')[0])).toEqual(
      ['alertmanager', 'prometheus', 'loki', 'jaeger'].map((n) => `StatefulSet \`monitoring/${n}\``),
    );
    for (const x of r.safety.refused) {
      expect(x.line).toMatch(/claim `data` `\d+Gi → \d+Gi` \(spec\.volumeClaimTemplates immutable\)$/);
      expect(x.commands[0]).toMatch(/^kubectl -n monitoring delete statefulset \S+ --cascade=orphan$/);
      expect(x.commands.some((c) => /^kubectl -n monitoring patch pvc data-\S+-0 /.test(c))).toBe(true);
      expect(x.commands.at(-1)).toMatch(/^kubectl apply -f dist\//);
    }
  });

  it('jaeger disabled: its objects are removed and its volume is at risk', () => {
    const r = reviewOf({ jaeger: { enabled: false } });
    expect(r.safety.removed).toContain('`StatefulSet monitoring/jaeger`');
    expect(r.safety.removed.length).toBeGreaterThan(4);
    expect(r.safety.dataAtRisk).toEqual([expect.stringMatching(/^jaeger's data: StatefulSet `monitoring\/jaeger` is removed; its claims `data-jaeger-0` \(10Gi\) are kept/)]);
    expect(renderReview(r, 'x')).toMatch(/^## Vigil review: x\n\n### ⚠ Apply safety\n/);
  });

  it('switching the log agent to Alloy: Promtail is removed (prune it), Alloy added', () => {
    const r = reviewOf({ logs: { agent: 'alloy' } });
    expect(r.safety.removed).toContain('`DaemonSet monitoring-agents/promtail`');
    expect(r.workloads.some((l) => l.startsWith('- added DaemonSet `monitoring-agents/alloy`'))).toBe(true);
  });

  it('shorter Prometheus retention is data at risk', () => {
    const r = reviewOf({ prometheus: { retentionTime: '7d' } });
    expect(r.safety.dataAtRisk).toEqual(['StatefulSet `monitoring/prometheus` `--storage.tsdb.retention.time` shortened `15d → 7d`: older samples are deleted at the next compaction.']);
  });
});
