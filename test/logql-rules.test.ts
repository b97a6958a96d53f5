import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { logsRulePack, shippedLokiRulePacks } from '../alerts/packs';
import { renderLokiRulePacks } from '../alerts/render-rules';
import { ruleIssues } from '../alerts/validate';

describe('Loki ruler packs (LogQL)', () => {
  it('render as a standard groups document with valid LogQL', () => {
    const packs = shippedLokiRulePacks();
    expect(ruleIssues(packs)).toEqual([]);
    const [file] = renderLokiRulePacks(packs);
    expect(file.fileName).toBe('logs.yml');
    const doc = YAML.parse(file.content);
    const rules = doc.groups.flatMap((g: { rules: Array<Record<string, any>> }) => g.rules);
    expect(rules.map((r: Record<string, any>) => r.alert)).toEqual(['LogErrorRateHigh', 'LogAuthenticationFailures']);
    expect(rules[0].expr).toBe('sum by (namespace, container) (count_over_time({namespace=~".+"} |~ `(?i)\\b(error|fatal|panic)\\b` [5m])) > 50');
    expect(rules[1].annotations.description).toBe('{{ $labels.namespace }}/{{ $labels.container }} logged {{ $value }} failed authentications in the last 5 minutes: a misconfigured client or someone guessing passwords.');
  });

  it('take the stream selector, grouping, patterns and thresholds as parameters', () => {
    const pack = logsRulePack({
      streamSelector: '{namespace="medianest", app="backend"}',
      groupBy: ['app'],
      authFailurePattern: 'login failed',
      authFailuresThreshold: 5,
      recordErrorRate: true,
    });
    expect(ruleIssues([pack])).toEqual([]);
    const text = renderLokiRulePacks([pack])[0].content;
    expect(text).toContain('record: app:log_error_lines:rate5m');
    expect(text).toContain('expr: sum by (app) (count_over_time({namespace="medianest", app="backend"} |~ `login failed` [5m])) > 5');
  });

  it('rejects broken LogQL with the position', () => {
    const pack = logsRulePack({ streamSelector: '{namespace="x"' });
    expect(ruleIssues([pack]).map((i) => i.message)[0]).toMatch(/LogQL error at 1:\d+/);
  });
});
