import { describe, expect, it } from 'vitest';
import { packRecords } from '../alerts/rule-pack';
import { availabilitySlo, sloRulePack, SloDefinition } from '../alerts/slo';
import { promtoolPackChecks } from './helpers/promtool-rules';
import { describeWithTool } from './helpers/tools';

/**
 * An SLO whose period is also one of its alert windows (`window: '3d'` with a 3d long window): the
 * rate over 3d and the period's average were both recorded as `slo:sli_error:ratio_rate3d{slo="x"}`.
 * The period series is now the window's rate itself, recorded once.
 */
const threeDay: SloDefinition = {
  ...availabilitySlo({ name: 'api-availability', selector: 'job="api"', window: '3d' }),
  windows: [
    { tier: 'page', errorBudgetPercent: 50, shortWindow: '5m', longWindow: '1h' },
    { tier: 'ticket', errorBudgetPercent: 100, shortWindow: '6h', longWindow: '3d' },
  ],
};

const labels = { slo: 'api-availability' };
const pack = sloRulePack({
  slos: [threeDay],
  tests: [{
    name: '3d SLO: 1% errors burns the whole budget, the ticket fires and the budget reads the 3d rate',
    series: [
      { series: 'http_requests_total{job="api", status="200"}', values: '0+594x400' },
      { series: 'http_requests_total{job="api", status="500"}', values: '0+6x400' },
    ],
    alerts: [
      { at: '6h', alert: 'ApiAvailabilityErrorBudgetFastBurn', state: 'inactive' },
      { at: '6h', alert: 'ApiAvailabilityErrorBudgetSlowBurn', state: 'firing', alerts: [{ labels, annotations: { description: 'SLO api-availability (99.9% of requests succeed over 3d): the error ratio is 1%; at this rate the whole 3d error budget is gone within 3d.' } }] },
    ],
    samples: [{ at: '6h', expr: 'slo:error_budget_remaining:ratio', samples: [{ labels: 'slo:error_budget_remaining:ratio{slo="api-availability"}', value: -9 }] }],
  }],
});

describe('SLO period equal to an alert window', () => {
  it('records each series once', () => {
    const records = packRecords(pack).map((r) => r.record);
    expect(records.filter((r) => r === 'slo:sli_error:ratio_rate3d')).toHaveLength(1);
    expect(new Set(records).size).toBe(records.length);
  });
});

describeWithTool('promtool', 'a 3d SLO under promtool', (promtool) => {
  promtoolPackChecks(promtool, [pack], () => '3d SLO');
});
