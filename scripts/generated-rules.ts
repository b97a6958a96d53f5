import { alertRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import type { RulePack } from '../alerts/rule-pack';

/**
 * `n` distinct alert rules in groups of 50, each with a real PromQL expression to parse and validate:
 * the load the benchmark measures and the ConfigMap size test synthesizes.
 */
export function generatedRules(n: number): RulePack {
  const groups = Array.from({ length: Math.ceil(n / 50) }, (_, g) => ruleGroup({
    name: `generated-${g}.alerts`,
    rules: Array.from({ length: Math.min(50, n - g * 50) }, (_, i) => {
      const k = g * 50 + i;
      return alertRule({
        name: `GeneratedAlert${k}`,
        threshold: 0.05 + (k % 10) / 100,
        expr: (t) => `sum by (job) (rate(http_requests_total{job="svc-${k}", status_code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{job="svc-${k}"}[5m])) > ${t}`,
        for: '5m',
        severity: k % 3 === 0 ? 'critical' : 'warning',
        summary: `Service svc-${k} fails too many requests.`,
        description: 'Error ratio of {{ $labels.job }} is {{ $value | humanizePercentage }}.',
        runbook: 'docs/runbooks/TargetDown.md',
      });
    }),
  }));
  return { name: 'generated', source: 'scripts/generated-rules.ts', groups };
}
