import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { renderRuleTests } from '../alerts/render-rule-tests';
import { renderRulePacks } from '../alerts/render-rules';
import { availabilitySlo, burnRateFactor, latencySlo, SRE_WORKBOOK_WINDOWS, sloRulePack } from '../alerts/slo';
import { ruleIssues } from '../alerts/validate';
import { describeWithTool } from './helpers/tools';

const availability = availabilitySlo({ name: 'api-availability', selector: 'job="api"' });
const latency = latencySlo({ name: 'api-latency', selector: 'job="api"' });

function rules(content: string): Array<Record<string, any>> {
  return YAML.parse(content).groups.flatMap((g: { rules: unknown[] }) => g.rules);
}

/** The rule named `name` (alert or record) in a rendered file; fails the test when it is missing. */
function rule(content: string, name: string): Record<string, any> {
  const r = rules(content).find((x) => x.alert === name || x.record === name);
  if (!r) throw new Error(`no rule ${name}`);
  return r;
}

describe('SLO burn-rate rules', () => {
  it('uses the SRE workbook factors for 30 days and scales them for other periods', () => {
    expect(SRE_WORKBOOK_WINDOWS.map((w) => [w.shortWindow, w.longWindow, burnRateFactor(w, '30d')])).toEqual([
      ['5m', '1h', 14.4], ['30m', '6h', 6], ['2h', '1d', 3], ['6h', '3d', 1],
    ]);
    expect(SRE_WORKBOOK_WINDOWS.map((w) => burnRateFactor(w, '28d'))).toEqual([13.44, 5.6, 2.8, 0.9333333333]);
  });

  it('renders "99.9% availability" as recording rules and page/ticket alerts with clean thresholds', () => {
    const [file] = renderRulePacks([sloRulePack({ slos: [availability] })]);
    expect(file.content).not.toMatch(/0000000|9999999/);
    const all = rules(file.content);
    expect(all.filter((r) => r.record).map((r) => r.record)).toEqual([
      'slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate30m', 'slo:sli_error:ratio_rate1h', 'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h', 'slo:sli_error:ratio_rate1d', 'slo:sli_error:ratio_rate3d', 'slo:sli_error:ratio_rate30d',
      'slo:objective:ratio', 'slo:error_budget_remaining:ratio',
    ]);
    expect(rule(file.content, 'slo:sli_error:ratio_rate1h').expr).toBe(
      '(sum(rate(http_requests_total{job="api", status=~"5.."}[1h])))\n/\n(sum(rate(http_requests_total{job="api"}[1h])))',
    );
    const page = rule(file.content, 'ApiAvailabilityErrorBudgetFastBurn');
    expect(page.expr).toBe([
      '(',
      '  slo:sli_error:ratio_rate1h{slo="api-availability"} > 0.0144',
      '  and',
      '  slo:sli_error:ratio_rate5m{slo="api-availability"} > 0.0144',
      ')',
      'or',
      '(',
      '  slo:sli_error:ratio_rate6h{slo="api-availability"} > 0.006',
      '  and',
      '  slo:sli_error:ratio_rate30m{slo="api-availability"} > 0.006',
      ')',
    ].join('\n'));
    expect(page.labels).toEqual({ severity: 'critical', slo: 'api-availability' });
    const ticket = rule(file.content, 'ApiAvailabilityErrorBudgetSlowBurn');
    expect(ticket.expr).toContain('slo:sli_error:ratio_rate1d{slo="api-availability"} > 0.003');
    expect(ticket.expr).toContain('slo:sli_error:ratio_rate3d{slo="api-availability"} > 0.001');
    expect(ticket.labels.severity).toBe('warning');
    expect(ticket.annotations.runbook_url).toMatch(/SloErrorBudgetSlowBurn\.md$/);
  });

  it('renders "p95 < 500ms" as a latency SLI on the 0.5s bucket', () => {
    const [file] = renderRulePacks([sloRulePack({ slos: [latency] })]);
    const r5m = rule(file.content, 'slo:sli_error:ratio_rate5m');
    expect(r5m.expr).toBe('1 - (\n  sum(rate(http_request_duration_seconds_bucket{job="api", le="0.5"}[5m]))\n  /\n  sum(rate(http_request_duration_seconds_count{job="api"}[5m]))\n)');
    expect(rule(file.content, 'ApiLatencyErrorBudgetFastBurn').expr).toContain('> 0.72');
    // Prometheus 3 writes integer bucket boundaries as "1.0", Prometheus 2 as "1": match both.
    const [one] = renderRulePacks([sloRulePack({ slos: [latencySlo({ name: 'slow', thresholdSeconds: 1 })] })]);
    expect(one.content).toContain('le=~"1(\\\\.0)?"');
  });

  it('validates SLO definitions with the fix in the message', () => {
    expect(() => sloRulePack({ slos: [{ ...availability, objective: 100 }] })).toThrow(/SLO 'api-availability': objective: expected a percentage below 100/);
    expect(() => sloRulePack({ slos: [{ ...availability, sli: { ratio: { errorQuery: 'sum(rate(x[5m]))', totalQuery: 'sum(rate(y[{{.window}}]))' } } }] })).toThrow(/must use \{\{\.window\}\}/);
    expect(() => sloRulePack({ slos: [availability, availability] })).toThrow(/declared twice/);
    expect(() => sloRulePack({ slos: [{ ...availability, window: '2d' }] })).toThrow(/window 3d is longer than the SLO period 2d/);
  });

  it('produces packs that validate, with unique alert names per SLO', () => {
    const pack = sloRulePack({ slos: [availability, latency] });
    expect(ruleIssues([pack])).toEqual([]);
  });
});

describeWithTool('promtool', 'SLO rules under promtool', (promtool) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-slo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const series = (errorsPerSecond: number) => [
    { series: 'http_requests_total{job="api", instance="10.0.1.1:8080", status="200"}', values: `0+${(10 - errorsPerSecond) * 60}x120` },
    { series: 'http_requests_total{job="api", instance="10.0.1.1:8080", status="500"}', values: `0+${errorsPerSecond * 60}x120` },
  ];
  const labels = { slo: 'api-availability' };
  const pack = sloRulePack({
    slos: [availability],
    tests: [
      {
        name: '10% errors: page and ticket',
        series: series(1),
        alerts: [
          { at: '30m', alert: 'ApiAvailabilityErrorBudgetFastBurn', state: 'firing', alerts: [{ labels, annotations: { description: 'SLO api-availability (99.9% of requests succeed over 30d): the error ratio is 10%; at this rate the whole 30d error budget is gone within 5d.' } }] },
          { at: '30m', alert: 'ApiAvailabilityErrorBudgetSlowBurn', state: 'firing', alerts: [{ labels, annotations: { description: 'SLO api-availability (99.9% of requests succeed over 30d): the error ratio is 10%; at this rate the whole 30d error budget is gone within 30d.' } }] },
        ],
        samples: [{ at: '30m', expr: 'slo:sli_error:ratio_rate5m', samples: [{ labels: 'slo:sli_error:ratio_rate5m{slo="api-availability"}', value: 0.1 }] }],
      },
      {
        name: '0.5% errors: ticket only',
        series: series(0.05),
        alerts: [
          { at: '30m', alert: 'ApiAvailabilityErrorBudgetFastBurn', state: 'inactive' },
          { at: '30m', alert: 'ApiAvailabilityErrorBudgetSlowBurn', state: 'firing', alerts: [{ labels, annotations: { description: 'SLO api-availability (99.9% of requests succeed over 30d): the error ratio is 0.5%; at this rate the whole 30d error budget is gone within 30d.' } }] },
        ],
      },
      {
        name: '0.05% errors: within budget',
        series: series(0.005),
        alerts: [
          { at: '1h', alert: 'ApiAvailabilityErrorBudgetFastBurn', state: 'inactive' },
          { at: '1h', alert: 'ApiAvailabilityErrorBudgetSlowBurn', state: 'inactive' },
        ],
      },
    ],
  });

  it('passes promtool check rules and the burn-rate test cases', () => {
    const [file] = renderRulePacks([pack]);
    writeFileSync(join(dir, file.fileName), file.content);
    writeFileSync(join(dir, 'slos.test.yml'), renderRuleTests(pack)!);
    const check = execFileSync(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', file.fileName], { cwd: dir, encoding: 'utf8' });
    expect(check).toMatch(/SUCCESS/);
    let out = '';
    let code = 0;
    try {
      out = execFileSync(promtool, ['test', 'rules', 'slos.test.yml'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      code = err.status;
      out = err.stdout + err.stderr;
    }
    expect(code, out).toBe(0);
  });
});
