import { describe, expect, it } from 'vitest';
import { logsRulePack, nodeRulePack } from '../alerts/packs';
import { alertRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import type { RulePack } from '../alerts/rule-pack';
import { configDoc, objectsOf, synthStackInMemory } from './helpers/synth';

/**
 * How the stack takes a user's packs: a pack named like a shipped one replaces it (rebuilding a
 * shipped pack with its options, as docs/alerting.md shows), Loki packs go in logRulePacks and only
 * with Loki deployed, LogQL recording rules are refused (the stack's Loki ruler has no remote write),
 * and alert and group names are unique across the two rulers.
 */
const logAlert = (name: string, group = 'app-logs.alerts'): RulePack => ({
  name: 'app-logs', target: 'loki', source: 'main.ts',
  groups: [ruleGroup({ name: group, rules: [alertRule({ name, expr: 'sum by (app) (count_over_time({app="api"} |= "error" [5m])) > 1', severity: 'warning', summary: 'Errors.', description: '{{ $labels.app }} logs errors.' })] })],
});

describe('user packs in the stack', () => {
  it('a pack named like a shipped pack replaces it: nodeRulePack with its options', () => {
    const objects = synthStackInMemory({}, { rulePacks: [nodeRulePack({ selector: 'job="node"' })] });
    const node = objectsOf(objects, 'ConfigMap').filter((o) => o.data?.['node.yml']);
    expect(node).toHaveLength(1);
    const text = node[0].data!['node.yml'];
    expect(text).toContain('job="node"');
    expect(text).not.toContain('job="node-exporter"');
  });

  it('logsRulePack options through logRulePacks', () => {
    const objects = synthStackInMemory({}, { logRulePacks: [logsRulePack({ errorLinesThreshold: 100 })] });
    const doc = configDoc(objects, 'loki-rules-logs', 'logs.yml');
    expect(doc.groups[0].rules[0].expr).toMatch(/> 100$/);
    expect(objectsOf(objects, 'ConfigMap').filter((o) => o.data?.['logs.yml'])).toHaveLength(1);
  });

  it('a Loki pack in rulePacks, or a Prometheus pack in logRulePacks, names the right list', () => {
    expect(() => synthStackInMemory({}, { rulePacks: [logAlert('AppLogErrors')] }))
      .toThrow(/rulePacks: pack 'app-logs' holds LogQL rules for the Loki ruler \(target: 'loki'\): pass it in logRulePacks instead/);
    expect(() => synthStackInMemory({}, { logRulePacks: [{ ...logAlert('AppLogErrors'), target: undefined }] }))
      .toThrow(/logRulePacks: pack 'app-logs' holds PromQL rules for Prometheus: pass it in rulePacks instead/);
  });

  it('logRulePacks with Loki disabled fail synth instead of vanishing', () => {
    expect(() => synthStackInMemory({ loki: { enabled: false } }, { logRulePacks: [logAlert('AppLogErrors')] }))
      .toThrow(/logRulePacks: 'app-logs' given, but Loki is not deployed \(loki.enabled is false\)/);
  });

  it('an override of a Loki alert with Loki disabled says so, not unrelated names', () => {
    expect(() => synthStackInMemory({ loki: { enabled: false }, alerting: { overrides: { LogErrorRateHigh: { threshold: 80 } } } }))
      .toThrow(/override 'LogErrorRateHigh': this alert comes with the loki component \(pack 'logs'\), which is not deployed: enable loki or remove the override/);
  });

  it('LogQL recording rules are refused: the stack\'s Loki ruler has no remote write', () => {
    expect(() => synthStackInMemory({}, { logRulePacks: [logsRulePack({ recordErrorRate: true })] }))
      .toThrow(/pack 'logs' \(alerts\/packs\/logs.ts\) › group 'logs.rules' › record 'namespace_container:log_error_lines:rate5m': the stack's Loki ruler has no remote write to Prometheus/);
  });

  it('alert and group names are unique across Prometheus and Loki', () => {
    const prom: RulePack = {
      name: 'app', groups: [ruleGroup({ name: 'logs.alerts', rules: [alertRule({ name: 'LogErrorRateHigh', expr: 'sum(rate(log_errors_total[5m])) > 1', severity: 'warning', summary: 'Errors.', description: 'Errors.' })] })],
    };
    let message = '';
    try {
      synthStackInMemory({}, { rulePacks: [prom] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/alert 'LogErrorRateHigh' is in Prometheus pack 'app' and in Loki pack 'logs': alert names must be unique across both rulers/);
    expect(message).toMatch(/group 'logs.alerts' is in Prometheus pack 'app' and in Loki pack 'logs'/);
  });
});
