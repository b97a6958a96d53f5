import { describe, expect, it } from 'vitest';
import { durationSeconds, formatDuration, isPromDuration } from '../lib/duration';
import { alertRule, AlertRuleProps, formatNumber, recordingRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import type { RulePack } from '../alerts/rule-pack';
import { formatRuleIssue, ruleIssues, RuleValidationError, validateRulePacks } from '../alerts/validate';

const ok: AlertRuleProps = {
  name: 'ApiDown',
  expr: 'up{job="api"} == 0',
  for: '5m',
  severity: 'critical',
  summary: 'The API is down.',
  description: '{{ $labels.instance }} has been down for 5 minutes.',
};

function pack(rules: RulePack['groups'][number]['rules'], extra: Partial<RulePack> = {}): RulePack {
  return { name: 'app', source: 'examples/app.ts', groups: [ruleGroup({ name: 'app.alerts', rules })], ...extra };
}

function messages(p: RulePack | RulePack[]): string[] {
  return ruleIssues(Array.isArray(p) ? p : [p]).map(formatRuleIssue);
}

describe('rule validation', () => {
  it('accepts a well-formed alert and recording rule', () => {
    expect(messages(pack([recordingRule({ record: 'job:up:sum', expr: 'sum by (job) (up)' }), alertRule(ok)]))).toEqual([]);
  });

  it('names pack, source, group, rule, position and field, with the PromQL position and a fix', () => {
    const m = messages(pack([alertRule(ok), alertRule({ ...ok, name: 'ApiErrors', expr: 'sum(rate(errors_total[5m]) > 1' })]));
    expect(m).toHaveLength(1);
    expect(m[0]).toBe(
      "pack 'app' (examples/app.ts) › group 'app.alerts' › alert 'ApiErrors' (rule 2) › expr: PromQL error at 1:31: syntax error at the end of the expression; add the missing ')'",
    );
  });

  it('requires CamelCase, unique alert names', () => {
    expect(messages(pack([alertRule({ ...ok, name: 'api_down' })]))[0]).toMatch(/alert 'api_down'.* › name: expected a CamelCase name/);
    const dup = messages([pack([alertRule(ok)]), { ...pack([alertRule(ok)]), name: 'other', groups: [ruleGroup({ name: 'other.alerts', rules: [alertRule(ok)] })] }]);
    expect(dup.join('\n')).toMatch(/pack 'other'.*alert 'ApiDown'.*alert name already used in pack 'app'/);
  });

  it('checks durations, label names, severity and reserved keys', () => {
    const m = messages(pack([alertRule({
      ...ok,
      for: '5 minutes',
      keepFiringFor: '1h5',
      labels: { 'team-name': 'x', severity: 'critical', __meta: 'y' },
      severity: 'page' as never,
      annotations: { runbook_url: 'http://x' },
    })])).join('\n');
    expect(m).toMatch(/› for: expected a Prometheus duration/);
    expect(m).toMatch(/› keepFiringFor: expected a Prometheus duration/);
    expect(m).toMatch(/› severity: expected one of 'critical', 'warning', 'info'/);
    // zod shape errors stop before the semantic checks; fix severity and check the rest.
    const m2 = messages(pack([alertRule({ ...ok, labels: { 'team-name': 'x', severity: 'critical', __meta: 'y' }, annotations: { runbook_url: 'http://x' } })])).join('\n');
    expect(m2).toMatch(/labels.team-name: "team-name" is not a legal label name.*"team_name"/);
    expect(m2).toMatch(/labels.severity: "severity" is set by Vigil: use the rule's severity field/);
    expect(m2).toMatch(/labels.__meta: "__meta" is not a legal label name/);
    expect(m2).toMatch(/annotations.runbook_url: "runbook_url" is rendered from a typed field: set runbook instead/);
  });

  it('requires summary and description and checks their templates', () => {
    const m = messages(pack([alertRule({ ...ok, summary: ' ', description: 'Down: {{ $labels.instance }' })])).join('\n');
    expect(m).toMatch(/› summary: summary is required/);
    expect(m).toMatch(/› description: template: "\{\{" at offset 6 is never closed/);
  });

  it('rejects unknown keys (typos) with zod strict objects', () => {
    const m = messages(pack([{ ...alertRule(ok), treshold: 3 } as never])).join('\n');
    expect(m).toMatch(/Unrecognized key: "treshold"/);
  });

  it('ties thresholds to expressions', () => {
    expect(messages(pack([alertRule({ ...ok, expr: (t) => `x > ${t}` })]))[0]).toMatch(/no threshold is set: add threshold/);
    expect(messages(pack([alertRule({ ...ok, threshold: 3 })]))[0]).toMatch(/threshold 3 is never used/);
    expect(messages(pack([alertRule({ ...ok, expr: (t) => `rate(x[5m]) > ${t}`, threshold: 0.1 })]))).toEqual([]);
  });

  it('checks recording rule names and group names', () => {
    const m = messages([
      pack([recordingRule({ record: 'http_requests_rate', expr: 'sum(rate(http_requests_total[5m]))' })]),
      { ...pack([alertRule({ ...ok, name: 'Other' })]), name: 'app2' },
    ]).join('\n');
    expect(m).toMatch(/record 'http_requests_rate'.*expected a name of the form level:metric:operations/);
    expect(m).toMatch(/pack 'app2'.*group 'app.alerts'.*group name already used in pack 'app'/);
  });

  it('validates LogQL in Loki packs', () => {
    const m = messages(pack([alertRule({ ...ok, expr: 'sum(rate({app="api"} |= "error" [5m]) > 1' })], { target: 'loki' }));
    expect(m[0]).toMatch(/expr: LogQL error at/);
    expect(messages(pack([alertRule({ ...ok, expr: 'sum(rate({app="api"} |= "error" [5m])) > 1' })], { target: 'loki' }))).toEqual([]);
  });

  it('checks tests refer to alerts of the pack and to valid series', () => {
    const m = messages(pack([alertRule({
      ...ok,
      tests: [{
        name: 'down',
        series: [{ series: 'rate(up[5m])', values: '0x10' }],
        alerts: [{ at: '10m', state: 'firing', alerts: [{ labels: { instance: 'a' } }] }, { at: '3m', alert: 'ApiDwn', state: 'inactive' }],
      }],
    })])).join('\n');
    expect(m).toMatch(/test 'down' of alert 'ApiDown' › series\[0\]: "rate\(up\[5m\]\)" is not a series selector/);
    expect(m).toMatch(/alerts\[1\].alert: pack has no alert 'ApiDwn'; did you mean 'ApiDown'/);
  });

  it('checks the shape of tests (typos in test data)', () => {
    const m = messages(pack([alertRule({ ...ok, tests: [{ name: 'x', serie: [], alerts: [{ at: '1m', state: 'fired' }] } as never] })])).join('\n');
    expect(m).toMatch(/test 'x' of alert 'ApiDown' › series: Invalid input/);
    expect(m).toMatch(/alerts.0.state: expected 'inactive', 'pending' or 'firing'/);
    expect(m).toMatch(/Unrecognized key: "serie"/);
  });

  it('checks dashboard links against known dashboards when given', () => {
    const p = pack([alertRule({ ...ok, dashboard: { uid: 'node-overveiw' } })]);
    expect(ruleIssues([p], { knownDashboardUids: ['node-overview'] }).map(formatRuleIssue)[0]).toMatch(/no dashboard has UID "node-overveiw"; did you mean "node-overview"/);
    expect(ruleIssues([p])).toEqual([]);
  });

  it('throws one error listing every problem', () => {
    const p = pack([alertRule({ ...ok, name: 'bad_name' }), alertRule({ ...ok, name: 'Bad2', expr: 'up ==' })]);
    expect(() => validateRulePacks([p])).toThrow(RuleValidationError);
    expect(() => validateRulePacks([p])).toThrow(/2 problems in alert rules:\n {2}- .*bad_name.*\n {2}- .*Bad2/);
  });
});

describe('durations and numbers', () => {
  it('accepts Prometheus durations and rejects others', () => {
    for (const d of ['0s', '30s', '5m', '1h30m', '30d', '1w', '1y', '100ms']) expect(isPromDuration(d)).toBe(true);
    for (const d of ['', '5', '5 m', '1m1h', '1.5h', 'm']) expect(isPromDuration(d)).toBe(false);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(30 * 86400)).toBe('30d');
    expect(() => durationSeconds('5 minutes')).toThrow(/not a Prometheus duration/);
  });
  it('formats thresholds without float noise', () => {
    expect(formatNumber(14.4 * 0.001)).toBe('0.0144');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(2147483648)).toBe('2147483648');
  });
});
