import { describe, expect, it } from 'vitest';
import { alertRule } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import type { RulePack } from '../alerts/rule-pack';
import { row, stat, timeseries } from '../dashboards/model';
import { dashboardPanelIds } from '../dashboards/render';
import { synthStackInMemory } from './helpers/synth';

/**
 * An alert's dashboard link must open something: a panel id the dashboard has, and a uid the stack
 * provisions, also when Grafana is off (the dashboard_uid annotation is rendered all the same).
 */
const linked = (dashboard: { uid: string; panelId?: number }): RulePack => ({
  name: 'app', source: 'main.ts',
  groups: [ruleGroup({ name: 'app.alerts', rules: [alertRule({ name: 'ApiDown', expr: 'up{job="api"} == 0', severity: 'critical', summary: 'API down.', description: '{{ $labels.instance }} is down.', dashboard })] })],
});
const api = { title: 'API', rows: [row('Traffic', [stat({ title: 'Up', queries: [{ expr: 'up{job="api"}' }] }), timeseries({ title: 'Rate', queries: [{ expr: 'up{job="api"}' }] })])] };

describe('alert dashboard links', () => {
  it('panel ids follow reading order, rows included', () => {
    expect(dashboardPanelIds(api)).toEqual([2, 3]);
  });

  it('a panel the dashboard does not have fails synth', () => {
    expect(() => synthStackInMemory({}, { dashboards: [api], rulePacks: [linked({ uid: 'api', panelId: 999 })] }))
      .toThrow(/alert 'ApiDown' \(rule 1\) › dashboard\.panelId: dashboard "api" has no panel 999, so the link would open an error: its panel ids are 2, 3/);
    expect(() => synthStackInMemory({}, { dashboards: [api], rulePacks: [linked({ uid: 'api', panelId: 3 })] })).not.toThrow();
  });

  it('with Grafana off, a uid the stack would not provision still fails synth', () => {
    expect(() => synthStackInMemory({ grafana: { enabled: false } }, { rulePacks: [linked({ uid: 'vigil-prometheos' })] }))
      .toThrow(/dashboard\.uid: no dashboard has UID "vigil-prometheos"; did you mean "vigil-prometheus"/);
    expect(() => synthStackInMemory({ grafana: { enabled: false } }, { rulePacks: [linked({ uid: 'vigil-prometheus' })] })).not.toThrow();
  });
});
