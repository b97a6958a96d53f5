import { describe, expect, it } from 'vitest';
import { parseRoutingConfig } from '../alerts/routing/alertmanager-config';
import { standardInhibitRules } from '../alerts/routing/inhibit-rules';
import { digest, fanOut, severityRouting } from '../alerts/routing/routing-presets';
import { SEED_ROUTING } from './helpers/seed-routing';
import { businessHours } from '../alerts/routing/time-intervals';

describe('fanOut', () => {
  it('one receiver is the route\'s receiver; several are children with continue on all but the last', () => {
    expect(fanOut(['a'])).toEqual({ receiver: 'a' });
    expect(fanOut(['a', 'b', 'c'])).toEqual({ routes: [{ receiver: 'a', continue: true }, { receiver: 'b', continue: true }, { receiver: 'c' }] });
    expect(() => fanOut([])).toThrow('fanOut needs at least one receiver');
  });

  it('a digest target keeps its own grouping and timing', () => {
    expect(fanOut(['chat', digest('mail', { every: '2h' })])).toEqual({ routes: [
      { receiver: 'chat', continue: true },
      { receiver: 'mail', groupBy: ['severity'], groupWait: '5m', groupInterval: '2h', repeatInterval: '24h' },
    ] });
  });
});

describe('severityRouting', () => {
  it('only severities with receivers get a route, critical first and fastest', () => {
    expect(severityRouting({ critical: ['pager', 'chat'], info: ['chat'] })).toEqual([
      { matchers: ['severity="critical"'], groupWait: '10s', repeatInterval: '1h', routes: [{ receiver: 'pager', continue: true }, { receiver: 'chat' }] },
      { matchers: ['severity="info"'], repeatInterval: '12h', receiver: 'chat' },
    ]);
  });

  it('label and timings can be changed', () => {
    expect(severityRouting({ warning: ['chat'], label: 'priority', warningTiming: { repeatInterval: '2h' } })).toEqual([
      { matchers: ['priority="warning"'], repeatInterval: '2h', receiver: 'chat' },
    ]);
  });

  it('is a few typed lines for a whole routing (seed 003)', () => {
    const c = parseRoutingConfig({
      receivers: [
        { name: 'pagerduty', pagerduty: [{ routingKey: { name: 'alertmanager-canvascast', key: 'pagerduty-routing-key' } }] },
        { name: 'slack', slack: [{ apiUrl: { name: 'alertmanager-canvascast', key: 'slack-webhook-url' }, channel: '#alerts' }] },
      ],
      route: { receiver: 'slack', routes: severityRouting({ critical: ['pagerduty', 'slack'], warning: ['slack'], info: ['slack'] }) },
      timeIntervals: [businessHours({ location: 'Europe/London' })],
      inhibitRules: standardInhibitRules({ targetDownAlerts: ['TargetDown', 'HealthCheckFailing'] }),
    });
    expect(c.route.routes.map((r) => r.matchers[0].value)).toEqual(['critical', 'warning', 'info']);
    expect(c.inhibitRules[2].sourceMatchers[0]).toEqual({ name: 'alertname', op: '=~', value: 'TargetDown|HealthCheckFailing' });
  });
});

describe('seed presets', () => {
  it('each uses its own Secret, overridable', () => {
    const c = parseRoutingConfig(SEED_ROUTING.barbossa({ secretName: 'barbossa-alerts' }));
    expect(c.global.smtp?.authPassword).toEqual({ name: 'barbossa-alerts', key: 'smtp-password' });
    expect(c.receivers[1].slack[0].apiUrl).toEqual({ name: 'barbossa-alerts', key: 'slack-webhook-url' });
  });

  it('Barbossa keeps the seed\'s grouping, timings, receivers and Slack templates', () => {
    const c = parseRoutingConfig(SEED_ROUTING.barbossa());
    expect(c.route).toMatchObject({ receiver: 'default', groupBy: ['alertname', 'severity'], groupWait: '30s', groupInterval: '5m', repeatInterval: '12h' });
    expect(c.receivers.map((r) => r.name)).toEqual(['default', 'critical']);
    expect(c.receivers[1].slack[0]).toMatchObject({ channel: '#alerts', title: '{{ .Status | toUpper }}: {{ .CommonAnnotations.summary }}', text: '{{ .CommonAnnotations.description }}' });
  });
});
