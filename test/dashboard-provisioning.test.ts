import { describe, expect, it } from 'vitest';
import { DashboardDefinition, row, timeseries } from '../dashboards/model';
import { dashboardSetProblems } from '../dashboards/provisioning';

/**
 * What Grafana's file provisioning refuses or silently stops applying: a folder whose uid would be
 * "general" (Grafana's root folder), and two dashboards with one title in one folder.
 */
const dash = (title: string, extra: Partial<DashboardDefinition> = {}): DashboardDefinition => ({
  title, rows: [row('R', [timeseries({ title: 'Up', queries: [{ expr: 'up' }] })])], ...extra,
});

describe('dashboard provisioning checks', () => {
  it('refuses the folder "General", whose uid Grafana reserves', () => {
    for (const folder of ['General', 'general']) {
      expect(dashboardSetProblems([dash('Apps', { folder })]).join('\n')).toMatch(/folder "[Gg]eneral" would have the uid "general", which Grafana reserves/);
    }
    expect(dashboardSetProblems([dash('Apps', { folder: 'General apps' })])).toEqual([]);
  });

  it('refuses two dashboards with the same title in one folder, not in two folders', () => {
    const problems = dashboardSetProblems([dash('API', { uid: 'api-a', folder: 'Apps' }), dash('API', { uid: 'api-b', folder: 'Apps' })]);
    expect(problems).toEqual([expect.stringMatching(/uids "api-a" and "api-b" are both titled 'API' in folder "Apps"/)]);
    expect(dashboardSetProblems([dash('API', { uid: 'api-a', folder: 'Apps' }), dash('API', { uid: 'api-b', folder: 'Team' })])).toEqual([]);
  });
});
