import { describe, expect, it } from 'vitest';
import { row, stat } from '../dashboards/model';
import { dashboardJson } from '../dashboards/render';
import { dashboardProblems } from '../dashboards/validate';

/** A stat's sparkline is drawn from a range query: an instant query shows the number alone. */
describe('stat sparklines', () => {
  const dash = (instant?: boolean) => ({ title: 'S', rows: [row(undefined, [stat({ title: 'Up', sparkline: true, queries: [{ expr: 'up', instant }] })])] });
  it('make the stat\'s queries range queries by default', () => {
    const target = JSON.parse(dashboardJson(dash())).panels[0].targets[0];
    expect(target.range).toBe(true);
    expect(target.instant).toBe(false);
  });
  it('refuse an explicit instant query', () => {
    expect(dashboardProblems(dash(true))).toEqual([expect.stringMatching(/sparkline needs a range query, and a query here is instant/)]);
  });
});
