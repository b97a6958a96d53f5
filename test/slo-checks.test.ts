import { describe, expect, it } from 'vitest';
import { availabilitySlo, latencySlo, sloRulePack, SloDefinition } from '../alerts/slo';
import { dashboardUid } from '../dashboards/uid';
import { sloDashboards } from '../dashboards/slo';
import { synthStackInMemory } from './helpers/synth';

/**
 * SLOs that would synthesize and never alert, or not synthesize for a reason the user cannot act on:
 * each is refused naming the SLO and what to write.
 */
const rules = (slo: SloDefinition) => () => sloRulePack({ slos: [slo] });

describe('SLOs that can never alert', () => {
  it('an objective whose burn thresholds reach 1', () => {
    expect(rules(availabilitySlo({ name: 'api', objective: 90 })))
      .toThrow(/SLO 'api': with objective 90% the page alert's 5m\/1h burn threshold is 1\.44 .*can never fire: raise the objective \(at least 93\.06% for this window\)/);
  });

  it('a ratio typed where a percentage belongs', () => {
    expect(rules(availabilitySlo({ name: 'api', objective: 0.9999 }))).toThrow(/SLO 'api': objective 0\.9999 is a percentage.*write objective: 99\.99/);
  });

  it('a window pair whose factor is below 1 (7-day period, 3d long window)', () => {
    expect(rules(availabilitySlo({ name: 'api', window: '7d' })))
      .toThrow(/SLO 'api': the ticket alert's 2h\/1d pair has a burn-rate factor of 0\.7 over a 7d period .*fires while the error budget would still last the period: .*errorBudgetPercent 14\.3 or more for 1d/);
    expect(rules({ ...availabilitySlo({ name: 'api', window: '7d' }), windows: [
      { tier: 'page', errorBudgetPercent: 5, shortWindow: '5m', longWindow: '1h' },
      { tier: 'ticket', errorBudgetPercent: 50, shortWindow: '6h', longWindow: '3d' },
    ] })).not.toThrow();
  });

  it('a selector written with braces', () => {
    expect(() => availabilitySlo({ name: 'api', selector: '{job="api"}' })).toThrow(/SLO 'api': selector "\{job="api"\}": write the matchers without braces, e.g. selector: 'job="api"'/);
    expect(() => latencySlo({ name: 'api', selector: '{job="api"}' })).toThrow(/without braces/);
    expect(rules({ name: 'api', objective: 99, sli: { latency: { histogram: 'h', selector: '{job="api"}', thresholdSeconds: 1 } } })).toThrow(/SLO 'api': sli\.latency\.selector: write the matchers without braces/);
  });
});

describe('SLO dashboard uids', () => {
  it('"overview" and names too long for a uid are refused naming the SLO', () => {
    expect(rules(availabilitySlo({ name: 'overview' }))).toThrow(/SLO 'overview': name: "overview" is taken: the SLO overview dashboard has the uid "slo-overview"/);
    expect(rules(availabilitySlo({ name: 'a'.repeat(37) }))).toThrow(/at most 36 characters/);
    expect(() => synthStackInMemory({ alerting: { slos: [availabilitySlo({ name: 'overview' })] } })).toThrow(/"overview" is taken/);
  });

  it('never collide: each SLO dashboard is slo-<name>, and names are words joined by single dashes', () => {
    const uids = sloDashboards([availabilitySlo({ name: 'ab' }), availabilitySlo({ name: 'a-b' })]).map(dashboardUid);
    expect(uids).toEqual(['slo-overview', 'slo-ab', 'slo-a-b']);
    expect(rules(availabilitySlo({ name: 'a--b' }))).toThrow(/SLO 'a--b': name: expected lower-case letters and digits, words joined by single "-"/);
  });
});

describe('SLO latency thresholds', () => {
  it('must be a bucket boundary of the histogram', () => {
    expect(rules(latencySlo({ name: 'api', thresholdSeconds: 0.3 })))
      .toThrow(/SLO 'api': thresholdSeconds 0\.3 is not a bucket boundary of http_request_duration_seconds \(the client libraries' default buckets: 0\.005, .*\).*declare the histogram's own buckets/);
    expect(rules(latencySlo({ name: 'api', thresholdSeconds: 0.3, buckets: [0.1, 0.3, 1] }))).not.toThrow();
    expect(rules(latencySlo({ name: 'api', thresholdSeconds: 0.5 }))).not.toThrow();
  });
});
