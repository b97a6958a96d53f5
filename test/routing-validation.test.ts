import { describe, expect, it } from 'vitest';
import {
  RoutingConfigInput, RoutingConfigSchema, parseRoutingConfig, routingLabelWarnings, unusedReceiverWarnings,
} from '../alerts/routing/alertmanager-config';
import { everyFeatureRouting } from '../alerts/routing/routing-presets';
import { SEED_ROUTING } from './helpers/seed-routing';

/** The message parseRoutingConfig throws for an input (fails the test when it does not throw). */
function errorOf(input: unknown): string {
  try {
    parseRoutingConfig(input);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const slack = (name: string) => ({ name, slack: [{ apiUrl: { name: 'alertmanager-slack', key: 'webhook-url' }, channel: '#alerts' }] });

describe('valid routing', () => {
  it('an empty routing parses with every default filled in', () => {
    const c = parseRoutingConfig({});
    expect(c.route).toEqual({ receiver: 'default', groupBy: ['alertname', 'namespace', 'job'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h', routes: [] });
    expect(c.receivers.map((r) => [r.name, r.discard])).toEqual([['default', true]]);
    expect(c.inhibitRules.length).toBe(4);
    expect(c.heartbeat).toMatchObject({ groupWait: '0s', groupInterval: '1m', repeatInterval: '5m', matchers: [{ name: 'alertname', op: '=', value: 'Watchdog' }] });
    expect(c.global.resolveTimeout).toBe('5m');
  });

  it('every seed preset and the every-feature routing parse', () => {
    for (const preset of [...Object.values(SEED_ROUTING), everyFeatureRouting]) expect(() => parseRoutingConfig(preset())).not.toThrow();
  });
});

describe('invalid routing: one message per kind of mistake', () => {
  it('a route naming an unknown receiver lists the known receivers and the path', () => {
    const msg = errorOf({ receivers: [slack('slack'), { name: 'default', discard: true }], route: { routes: [{ matchers: ['a="1"'], receiver: 'slack' }, { matchers: ['b="2"'], receiver: 'slak' }] } });
    expect(msg).toContain('routing.route.routes[1].receiver: unknown receiver "slak"; known receivers: default, slack');
  });

  it('an unknown receiver in a nested route names the nested path', () => {
    const msg = errorOf({ route: { routes: [{ matchers: ['a="1"'], routes: [{ receiver: 'pager' }] }] } });
    expect(msg).toContain('routing.route.routes[0].routes[0].receiver: unknown receiver "pager"');
  });

  it('the root receiver defaults to "default", which must then exist', () => {
    expect(errorOf({ receivers: [slack('slack')] })).toContain('routing.route.receiver: unknown receiver "default"; known receivers: slack');
  });

  it('a receiver with no integration must be declared discard: true', () => {
    const msg = errorOf({ receivers: [{ name: 'default' }] });
    expect(msg).toContain('routing.receivers[0]: receiver "default" has no integration: add one of slack, email, pagerduty, webhook, discord, msteams, or set discard: true');
    expect(() => parseRoutingConfig({ receivers: [{ name: 'default', discard: true }] })).not.toThrow();
  });

  it('discard: true together with integrations is rejected', () => {
    expect(errorOf({ receivers: [{ ...slack('default'), discard: true }] })).toContain('routing.receivers[0].discard: receiver "default" has discard: true and 1 integration(s)');
  });

  it('a receiver without its secret reference says which reference is missing', () => {
    expect(errorOf({ receivers: [{ name: 'default', pagerduty: [{}] }] })).toContain('routing.receivers[0].pagerduty[0].routingKey: missing Secret reference: write { name: "<secret>", key: "<key>" }');
    expect(errorOf({ receivers: [{ name: 'default', slack: [{ channel: '#alerts' }] }] })).toContain('routing.receivers[0].slack[0].apiUrl: missing Secret reference: Slack needs apiUrl (incoming-webhook URL) or botToken');
    expect(errorOf({ receivers: [{ name: 'default', webhook: [{}] }] })).toContain('routing.receivers[0].webhook[0].url: missing Secret reference');
    expect(errorOf({ receivers: [{ name: 'default', discord: [{}] }] })).toContain('routing.receivers[0].discord[0].webhookUrl: missing Secret reference');
    expect(errorOf({ receivers: [{ name: 'default', msteams: [{}] }] })).toContain('routing.receivers[0].msteams[0].webhookUrl: missing Secret reference');
  });

  it('a malformed Secret reference names the bad field', () => {
    expect(errorOf({ receivers: [{ name: 'default', webhook: [{ url: { name: 'Bad_Name', key: 'url' } }] }] })).toContain('routing.receivers[0].webhook[0].url.name: expected a Secret name');
  });

  it('duplicate receiver names point at the second one', () => {
    expect(errorOf({ receivers: [slack('default'), slack('default')] })).toContain('routing.receivers[1].name: duplicate receiver name "default" (also receivers[0])');
  });

  it('"heartbeat" is reserved for the Watchdog, both as a name and as a route target', () => {
    expect(errorOf({ receivers: [{ name: 'default', discard: true }, slack('heartbeat')] })).toContain('routing.receivers[1].name: "heartbeat" is the built-in receiver of the Watchdog');
    expect(errorOf({ route: { routes: [{ matchers: ['severity="critical"'], receiver: 'heartbeat' }] } })).toContain('routing.route.routes[0].receiver: "heartbeat" only takes the Watchdog');
  });

  it('the heartbeat route must select the Watchdog by name, so it cannot swallow paging alerts', () => {
    expect(errorOf({ heartbeat: { matchers: ['severity="critical"'] } })).toContain('routing.heartbeat.matchers: the heartbeat route must select one alert by name');
    expect(() => parseRoutingConfig({ heartbeat: { matchers: ['alertname="DeadMansSwitch"'] } })).not.toThrow();
  });

  it('a route after a catch-all sibling without continue is unreachable', () => {
    const msg = errorOf({ route: { routes: [{ matchers: ['a="1"'] }, { receiver: 'default' }, { matchers: ['severity="critical"'] }] } });
    expect(msg).toContain('routing.route.routes[2]: unreachable route: route.routes[1] before it has no matchers and no continue: true');
  });

  it('a catch-all with continue: true does not hide the routes after it', () => {
    expect(() => parseRoutingConfig({ route: { routes: [{ receiver: 'default', continue: true }, { matchers: ['severity="critical"'] }] } })).not.toThrow();
  });

  it('a route whose matchers include all of an earlier sibling\'s (without continue) is unreachable', () => {
    const msg = errorOf({ route: { routes: [{ matchers: ['severity="critical"'] }, { matchers: ['team="db"', 'severity="critical"'] }] } });
    expect(msg).toContain('routing.route.routes[1]: unreachable route: route.routes[0] before it matches every alert this one matches (severity="critical")');
  });

  it('unknown time interval names list the declared ones', () => {
    const msg = errorOf({
      timeIntervals: [{ name: 'business-hours', intervals: [{ weekdays: ['monday:friday'] }] }],
      route: { routes: [{ matchers: ['a="1"'], muteTimeIntervals: ['nights'] }, { matchers: ['b="1"'], activeTimeIntervals: ['business-hours'] }] },
    });
    expect(msg).toContain('routing.route.routes[0].muteTimeIntervals[0]: unknown time interval "nights"; declared: business-hours');
    expect(msg).not.toContain('activeTimeIntervals');
  });

  it('malformed time intervals are rejected with an example', () => {
    const msg = errorOf({ timeIntervals: [{ name: 'x', intervals: [{ weekdays: ['funday'], times: [{ start: '18:00', end: '09:00' }], location: 'Mars/Olympus' }] }] });
    expect(msg).toContain('routing.timeIntervals[0].intervals[0].weekdays[0]: "funday" is not a weekday or weekday range: write e.g. "monday:friday"');
    expect(msg).toContain('routing.timeIntervals[0].intervals[0].times[0]: start must be before end');
    expect(msg).toContain('routing.timeIntervals[0].intervals[0].location: unknown time zone');
  });

  it('the root route may not have matchers', () => {
    expect(errorOf({ route: { matchers: ['severity="critical"'] } })).toContain('routing.route: the root route takes every alert: it may not have matchers; put them on a child route');
  });

  it('an illegal label name, a regex that does not compile and RE2-only limits are matcher errors', () => {
    const msg = errorOf({ route: { routes: [{ matchers: ['1team="db"'] }, { matchers: ['job=~"(api"'] }, { matchers: [{ name: 'job', op: '!~', value: '(?!api).*' }] }, { matchers: ['severity'] }] } });
    expect(msg).toContain('routing.route.routes[0].matchers[0]: matcher \'1team="db"\': label name "1team" is not valid');
    expect(msg).toContain('routing.route.routes[1].matchers[0]: matcher \'job=~"(api"\': regular expression "(api" does not compile');
    expect(msg).toContain('routing.route.routes[2].matchers[0]: matcher job!~"(?!api).*": regular expression "(?!api).*" does not compile: look-ahead/look-behind');
    expect(msg).toContain('routing.route.routes[3].matchers[0]: matcher \'severity\' does not parse');
  });

  it('zero or malformed durations are rejected', () => {
    const msg = errorOf({ route: { groupInterval: '0s', repeatInterval: '4 hours' } });
    expect(msg).toContain('routing.route.groupInterval: must be longer than zero');
    expect(msg).toContain('routing.route.repeatInterval: expected a duration such as "30s"');
  });

  it('email without a server or sender, and a password without a user, are rejected', () => {
    const msg = errorOf({ receivers: [{ name: 'default', email: [{ to: 'ops@example.com', authPassword: { name: 'smtp', key: 'password' } }] }] });
    expect(msg).toContain('routing.receivers[0].email[0].from: receiver "default": email needs a sender');
    expect(msg).toContain('routing.receivers[0].email[0].smarthost: receiver "default": email needs an SMTP server');
    expect(msg).toContain('routing.receivers[0].email[0].authUsername: receiver "default": authPassword without authUsername');
  });

  it('unknown keys are rejected (strict objects)', () => {
    expect(errorOf({ receivers: [{ name: 'default', discard: true, sms: [] }] })).toContain('routing.receivers[0]: Unrecognized key: "sms"');
  });
});

describe('inline secrets are rejected naming the receiver and the fix', () => {
  const cases: Array<[string, RoutingConfigInput | Record<string, unknown>, string[]]> = [
    ['Slack webhook URL', { receivers: [{ name: 'team-chat', slack: [{ apiUrl: 'https://hooks.slack.com/services/T0/B0/fake' }] }] },
      ['routing.receivers[0].slack[0].apiUrl: receiver "team-chat": slack[0].apiUrl holds an inline Slack incoming-webhook URL', "kubectl create secret generic alertmanager-slack --namespace monitoring --from-literal=webhook-url=", "apiUrl: { name: 'alertmanager-slack', key: 'webhook-url' }"]],
    ['Slack bot token', { receivers: [{ name: 'bot', slack: [{ botToken: 'xoxb-1234-5678-abcdefgh', channel: '#a' }] }] },
      ['receiver "bot": slack[0].botToken holds an inline Slack bot token', '--from-literal=bot-token=']],
    ['PagerDuty routing key', { receivers: [{ name: 'pager', pagerduty: [{ routingKey: '0123456789abcdef0123456789abcdef' }] }] },
      ['receiver "pager": pagerduty[0].routingKey holds an inline PagerDuty Events API v2 routing key', 'kubectl create secret generic alertmanager-pagerduty']],
    ['SMTP password', { receivers: [{ name: 'mail', email: [{ to: 'a@example.com', from: 'b@example.com', smarthost: 'smtp.example.com:587', authUsername: 'b', authPassword: 'hunter2' }] }] },
      ['receiver "mail": email[0].authPassword holds an inline SMTP password', '--from-literal=password=']],
    ['webhook URL', { receivers: [{ name: 'hook', webhook: [{ url: 'https://incidents.example.com/hook' }] }] },
      ['receiver "hook": webhook[0].url holds an inline webhook URL']],
    ['Discord webhook URL', { receivers: [{ name: 'dc', discord: [{ webhookUrl: 'https://discord.com/api/webhooks/1/abc' }] }] },
      ['receiver "dc": discord[0].webhookUrl holds an inline Discord webhook URL']],
    ['Teams webhook URL', { receivers: [{ name: 'teams', msteams: [{ webhookUrl: 'https://x.webhook.office.com/abc' }] }] },
      ['receiver "teams": msteams[0].webhookUrl holds an inline Teams Workflows webhook URL']],
    ['a Slack URL hidden in a template', { receivers: [{ name: 'sneaky', slack: [{ apiUrl: { name: 's', key: 'k' }, text: 'post to https://hooks.slack.com/services/T0/B0/fake' }] }] },
      ['receiver "sneaky": slack[0].text holds an inline secret (a Slack webhook URL)']],
    ['a URL with a token in a PagerDuty link', { receivers: [{ name: 'pd', pagerduty: [{ routingKey: { name: 's', key: 'k' }, links: [{ href: 'https://grafana.example.com/d/x?token=abc123', text: 'x' }] }] }] },
      ['receiver "pd": pagerduty[0].links[0].href holds an inline secret (a URL with a credential in its query string)']],
    ['global SMTP password', { global: { smtp: { from: 'a@example.com', smarthost: 'smtp.example.com:25', authUsername: 'a', authPassword: 'hunter2' } } },
      ['routing.global.smtp.authPassword: global.smtp.authPassword holds an inline SMTP password', 'kubectl create secret generic alertmanager-smtp']],
    ['heartbeat URL', { heartbeat: { url: 'https://hc-ping.com/0f4c2a6e-0000-0000-0000-000000000000' } },
      ['routing.heartbeat.url: heartbeat.url holds an inline ping URL', 'kubectl create secret generic alertmanager-heartbeat']],
    ['a ping URL in a template file', { templates: { 'x.tmpl': '{{ define "x" }}https://hc-ping.com/abc{{ end }}' } },
      ['routing.templates.x.tmpl: routing: templates.x.tmpl holds an inline secret (a healthchecks ping URL)']],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => {
      const msg = errorOf(input);
      for (const e of expected) expect(msg).toContain(e);
    });
  }

  it('only a Secret reference type-checks where a secret goes', () => {
    const ok: RoutingConfigInput = { receivers: [{ name: 'default', slack: [{ apiUrl: { name: 'alertmanager-slack', key: 'webhook-url' } }] }] };
    // @ts-expect-error an inline webhook URL is not a SecretRef
    const bad: RoutingConfigInput = { receivers: [{ name: 'default', slack: [{ apiUrl: 'https://hooks.slack.com/services/T0/B0/fake' }] }] };
    expect(RoutingConfigSchema.safeParse(ok).success).toBe(true);
    expect(RoutingConfigSchema.safeParse(bad).success).toBe(false);
  });
});

describe('warnings', () => {
  it('a matcher on a label no alert carries is a warning naming the path', () => {
    const c = parseRoutingConfig(SEED_ROUTING.medianest());
    const warnings = routingLabelWarnings(c, ['severity', 'namespace', 'job', 'instance', 'node']);
    expect(warnings.map((w) => w.message)).toEqual([
      'route.routes[0].matchers[0]: matcher category="business" is on label "category", which no alert carries, so it never matches; add the label to the alert rules or fix the matcher',
    ]);
    expect(routingLabelWarnings(c, ['severity', 'category', 'job', 'instance', 'node'])).toEqual([]);
  });

  it('inhibit-rule matchers are checked too, and alertname is always known', () => {
    const c = parseRoutingConfig({});
    const warnings = routingLabelWarnings(c, ['severity', 'job', 'instance']);
    expect(warnings.map((w) => w.message)).toEqual([
      'inhibitRules[3].sourceMatchers[1]: matcher node=~".+" is on label "node", which no alert carries, so it never matches; add the label to the alert rules or fix the matcher',
    ]);
  });

  it('a receiver no route uses is a warning', () => {
    const c = parseRoutingConfig({ receivers: [{ name: 'default', discard: true }, slack('slack')] });
    expect(unusedReceiverWarnings(c)).toEqual([{ path: ['receivers', 1], message: 'receivers[1]: receiver "slack" is not used by any route' }]);
    expect(unusedReceiverWarnings(parseRoutingConfig(SEED_ROUTING.medianest()))).toEqual([]);
  });
});
