import { describe, expect, it } from 'vitest';
import { STREAM_LABELS } from '../charts/config-logs';
import { AGENT_LABELS } from '../lib/log-pipeline';
import { applyRedaction, redactionRules } from '../lib/redaction';
import { applyOttlRedactions, ottlRedactions, redactedKeyPattern, splitValueGroup } from '../lib/redaction-ottl';
import { CLEAN, SAMPLES } from './fixtures/redaction-samples';
import { configDoc, synthStack } from './helpers/synth';

/**
 * OTLP logs through the collector get the node agents' labels and redaction (issue 17 item 12). The
 * collector run itself is test/e2e/otlp-logs.e2e.test.ts; `otelcol-vigil validate` in
 * test/pinned-config-checks.test.ts parses every OTTL statement and compiles its regexes with Go.
 */
describe('OTLP logs', () => {
  const objects = synthStack({ otelCollector: { enabled: true }, logs: { redactFields: ['ssn'] } });
  const loki = configDoc(objects, 'loki-config', 'config.yaml');
  const relay = configDoc(objects, 'otel-collector-config', 'relay.yaml');

  it('Loki indexes the agents\' labels for OTLP logs and none of its default resource attributes', () => {
    const otlp = loki.limits_config.otlp_config;
    expect(otlp.resource_attributes.ignore_defaults).toBe(true);
    const resourceLabels: string[] = otlp.resource_attributes.attributes_config.flatMap((c: any) => (c.action === 'index_label' ? c.attributes : []));
    const logLabels: string[] = otlp.log_attributes.flatMap((c: any) => (c.action === 'index_label' ? c.attributes : []));
    // Loki turns the dots of an attribute name into underscores: service.name → service_name.
    const labels = [...resourceLabels, ...logLabels].map((a) => a.replace(/\./g, '_')).sort();
    expect(labels).toEqual([...AGENT_LABELS, 'service_name'].sort());
    expect(labels.every((l) => STREAM_LABELS.includes(l))).toBe(true);
  });

  it('the collector\'s logs pipeline finds the pod, labels and redacts before batching', () => {
    expect(relay.service.pipelines.logs.processors).toEqual(['memory_limiter', 'k8sattributes', 'transform/otlp-logs', 'batch']);
    const statements: string[] = relay.processors['transform/otlp-logs'].log_statements.flatMap((s: any) => s.statements);
    expect(statements.filter((s) => s.startsWith('replace_pattern(log.body')).length).toBe(redactionRules(['ssn']).length);
    expect(statements).toContain('set(resource.attributes["namespace"], resource.attributes["k8s.namespace.name"]) where resource.attributes["k8s.namespace.name"] != nil');
  });

  it('replace_pattern redacts exactly what the agents\' replace stages redact', () => {
    const ottl = ottlRedactions(['ssn']);
    const rules = redactionRules(['ssn']);
    for (const line of [...SAMPLES.map((s) => s.before), ...CLEAN, '{"user":{"ssn":"078-05-1120"}}']) {
      expect(applyOttlRedactions(line, ottl), line).toBe(applyRedaction(line, rules));
    }
    expect(splitValueGroup('(?i)a(?:b)(c(?:d))e[(]')).toEqual({ flags: '(?i)', prefix: 'a(?:b)', value: 'c(?:d)', suffix: 'e[(]' });
  });

  it('removes attributes named like a secret', () => {
    const re = new RegExp(redactedKeyPattern(['ssn']).replace('(?i)', ''), 'i');
    for (const k of ['password', 'db_password', 'X-Api-Key', 'client_secret', 'ssn']) expect(re.test(k), k).toBe(true);
    for (const k of ['user.ssn_hint', 'level', 'stream', 'http.method']) expect(re.test(k), k).toBe(false);
  });
});
