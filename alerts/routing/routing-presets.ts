import type { RoutingConfigInput } from './alertmanager-config';
import { standardInhibitRules } from './inhibit-rules';
import { IntegrationKind, ReceiverInput, SecretRef, secretRef } from './receivers';
import type { RouteInput } from './routing';
import { businessHours } from './time-intervals';

/**
 * Helpers that make common routing a few typed lines, and a reference routing that uses every
 * feature. (The routing each example app asked for is in examples/<app>/routing.ts.)
 *
 * Fan-out style: one receiver per channel (`pagerduty`, `slack-critical`, `email-oncall`), and a
 * severity route whose children send the alert to each of them in turn (`continue: true`). The
 * routing table then reads "critical → pagerduty, slack-critical, email-oncall", which is exactly what
 * `amtool config routes test` prints and what the tests check.
 */

/** Timings a route may override. */
export interface RouteTiming {
  /** @default - inherited */
  readonly groupBy?: string[];
  /** @default - inherited */
  readonly groupWait?: string;
  /** @default - inherited */
  readonly groupInterval?: string;
  /** @default - inherited */
  readonly repeatInterval?: string;
  /** @default - none */
  readonly muteTimeIntervals?: string[];
  /** @default - none */
  readonly activeTimeIntervals?: string[];
}

/** A receiver name, or a receiver with its own timing (see {@link digest}). */
export type RouteTarget = string | (RouteTiming & { readonly receiver: string });

function targetRoute(t: RouteTarget): RouteInput {
  if (typeof t === 'string') return { receiver: t };
  const { receiver, ...timing } = t;
  return { receiver, ...copyTiming(timing) };
}

function copyTiming(t: RouteTiming): RouteInput {
  const r: RouteInput = {};
  if (t.groupBy) r.groupBy = [...t.groupBy];
  if (t.groupWait) r.groupWait = t.groupWait;
  if (t.groupInterval) r.groupInterval = t.groupInterval;
  if (t.repeatInterval) r.repeatInterval = t.repeatInterval;
  if (t.muteTimeIntervals) r.muteTimeIntervals = [...t.muteTimeIntervals];
  if (t.activeTimeIntervals) r.activeTimeIntervals = [...t.activeTimeIntervals];
  return r;
}

/**
 * A route (without matchers) that delivers to every target: one target becomes the route's receiver;
 * several become child routes, all but the last with `continue: true`.
 */
export function fanOut(targets: readonly RouteTarget[]): RouteInput {
  if (targets.length === 0) throw new Error('fanOut needs at least one receiver');
  if (targets.length === 1) return targetRoute(targets[0]);
  return { routes: targets.map((t, i) => ({ ...targetRoute(t), ...(i < targets.length - 1 ? { continue: true } : {}) })) };
}

/** Options of {@link digest}. */
export interface DigestOptions {
  /** How often new alerts are mailed. @default '1h' */
  readonly every?: string;
  /** Re-send a still-firing digest after. @default '24h' */
  readonly repeat?: string;
}

/**
 * A receiver that gets a digest: alerts of one severity batched into one message, new ones added at
 * most every `every`. (Alertmanager has no real digests; one group per severity with a long group
 * interval is the closest.)
 */
export function digest(receiver: string, options: DigestOptions = {}): RouteTarget {
  return { receiver, groupBy: ['severity'], groupWait: '5m', groupInterval: options.every ?? '1h', repeatInterval: options.repeat ?? '24h' };
}

/** Options of {@link severityRouting}: receivers per severity, in delivery order. */
export interface SeverityRoutingOptions {
  /** Receivers of `critical` alerts. @default [] (critical alerts go to the root receiver) */
  readonly critical?: readonly RouteTarget[];
  /** Receivers of `warning` alerts. @default [] */
  readonly warning?: readonly RouteTarget[];
  /** Receivers of `info` alerts. @default [] */
  readonly info?: readonly RouteTarget[];
  /** Label carrying the severity. @default 'severity' */
  readonly label?: string;
  /** Timing of the critical route: notify fast, remind hourly. @default { groupWait: '10s', repeatInterval: '1h' } */
  readonly criticalTiming?: RouteTiming;
  /** Timing of the warning route. @default {} (the root's 30s / 5m / 4h) */
  readonly warningTiming?: RouteTiming;
  /** Timing of the info route: remind twice a day. @default { repeatInterval: '12h' } */
  readonly infoTiming?: RouteTiming;
}

/**
 * One route per severity that has receivers, each fanning out to its receivers:
 * `severityRouting({ critical: ['pagerduty', 'slack-critical'], warning: ['slack'] })`.
 */
export function severityRouting(options: SeverityRoutingOptions): RouteInput[] {
  const label = options.label ?? 'severity';
  const levels: Array<[string, readonly RouteTarget[] | undefined, RouteTiming]> = [
    ['critical', options.critical, options.criticalTiming ?? { groupWait: '10s', repeatInterval: '1h' }],
    ['warning', options.warning, options.warningTiming ?? {}],
    ['info', options.info, options.infoTiming ?? { repeatInterval: '12h' }],
  ];
  return levels
    .filter(([, targets]) => targets && targets.length > 0)
    .map(([level, targets, timing]) => ({ matchers: [`${label}="${level}"` as const], ...copyTiming(timing), ...fanOut(targets!) }));
}

// ---------------------------------------------------------------------------------------------
// Receiver shorthands
// ---------------------------------------------------------------------------------------------

type Of<K extends IntegrationKind> = NonNullable<ReceiverInput[K]>[number];

/** `slackReceiver('slack-critical', { channel: '#critical-alerts', apiUrl: secretRef(...) })` */
export function slackReceiver(name: string, config: Of<'slack'>): ReceiverInput {
  return { name, slack: [config] };
}
/** `emailReceiver('email-oncall', { to: 'oncall@example.com' })` */
export function emailReceiver(name: string, config: Of<'email'>): ReceiverInput {
  return { name, email: [config] };
}
/** `pagerDutyReceiver('pagerduty', { routingKey: secretRef(...) })` */
export function pagerDutyReceiver(name: string, config: Of<'pagerduty'>): ReceiverInput {
  return { name, pagerduty: [config] };
}
/** `webhookReceiver('incident-webhook', { url: secretRef(...) })` */
export function webhookReceiver(name: string, config: Of<'webhook'>): ReceiverInput {
  return { name, webhook: [config] };
}
/** `discordReceiver('discord', { webhookUrl: secretRef(...) })` */
export function discordReceiver(name: string, config: Of<'discord'>): ReceiverInput {
  return { name, discord: [config] };
}
/** `msTeamsReceiver('teams', { webhookUrl: secretRef(...) })` */
export function msTeamsReceiver(name: string, config: Of<'msteams'>): ReceiverInput {
  return { name, msteams: [config] };
}

// ---------------------------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------------------------

/** Options of the routing presets: where their secrets live. */
export interface RoutingPresetOptions {
  /** Secret holding every key the preset reads. @default - the preset's own name, e.g. 'alertmanager-vigil' */
  readonly secretName?: string;
}

/**
 * A routing that uses every integration and routing feature once: the reference the docs point to and
 * the fixture the rendering and amtool tests check. Team `media` gets Slack by bot token in business
 * hours and Teams otherwise; `database` alerts page and go to a webhook; email digests are muted at night.
 */
export function everyFeatureRouting(options: RoutingPresetOptions = {}): RoutingConfigInput {
  const s = (key: string): SecretRef => secretRef(options.secretName ?? 'alertmanager-vigil', key);
  return {
    global: { resolveTimeout: '5m', smtp: { from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587', hello: 'alertmanager.example.com', authUsername: 'alertmanager@example.com', authPassword: s('smtp-password'), requireTls: true } },
    receivers: [
      { name: 'nobody', discard: true },
      slackReceiver('slack-webhook', { apiUrl: s('slack-webhook-url'), channel: '#alerts', title: '{{ template "vigil.title" . }}', text: '{{ template "vigil.text" . }}', color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}', username: 'Vigil', iconEmoji: ':rotating_light:', titleLink: '{{ .ExternalURL }}' }),
      slackReceiver('slack-bot', { botToken: s('slack-bot-token'), channel: '#media', sendResolved: false }),
      {
        name: 'email-team',
        email: [{ to: ['team@example.com', 'Lead <lead@example.com>'], from: 'vigil@example.com', smarthost: 'mail.example.com:465', authUsername: 'vigil', authPassword: s('team-smtp-password'), requireTls: false, subject: '{{ template "vigil.title" . }}', html: '{{ template "email.default.html" . }}', text: '{{ template "vigil.text" . }}', sendResolved: true }],
      },
      pagerDutyReceiver('pagerduty-db', {
        routingKey: s('pagerduty-routing-key'), severity: { label: 'priority', map: { p1: 'critical', p2: 'error' }, fallback: 'warning' },
        description: '{{ .CommonAnnotations.summary }}', source: 'vigil', component: '{{ .CommonLabels.database }}', group: 'database', class: 'availability',
        client: 'Vigil', clientUrl: '{{ .ExternalURL }}', details: { runbook: '{{ .CommonAnnotations.runbook_url }}' },
        links: [{ href: '{{ .CommonAnnotations.dashboard_url }}', text: 'Dashboard' }], url: 'https://events.eu.pagerduty.com/v2/enqueue',
      }),
      webhookReceiver('incident-webhook', { url: s('incident-webhook-url'), bearerToken: s('incident-webhook-token'), maxAlerts: 20 }),
      discordReceiver('discord', { webhookUrl: s('discord-webhook-url'), title: '{{ template "vigil.title" . }}', message: '{{ template "vigil.text" . }}' }),
      msTeamsReceiver('teams', { webhookUrl: s('teams-webhook-url'), title: '{{ template "vigil.title" . }}', text: '{{ template "vigil.text" . }}' }),
    ],
    route: {
      receiver: 'email-team',
      routes: [
        { matchers: ['alertname=~"Info.*"', 'severity="info"'], receiver: 'nobody' },
        {
          matchers: [{ name: 'team', value: 'media' }],
          routes: [
            { receiver: 'slack-bot', activeTimeIntervals: ['business-hours'], continue: true },
            { receiver: 'teams', muteTimeIntervals: ['business-hours'] },
          ],
        },
        { matchers: ['namespace=~"db|postgres"', 'severity!="info"'], groupBy: ['...'], receiver: 'pagerduty-db', continue: true },
        { matchers: [{ name: 'namespace', op: '=~', value: 'db|postgres' }], receiver: 'incident-webhook' },
        { matchers: ['severity="warning"'], receiver: 'email-team', muteTimeIntervals: ['nights'], groupBy: ['namespace'], groupWait: '1m', groupInterval: '10m', repeatInterval: '12h' },
        { matchers: ['instance=~"10\\\\.0\\\\..*"'], receiver: 'discord' },
        { receiver: 'slack-webhook' },
      ],
    },
    inhibitRules: [
      ...standardInhibitRules(),
      { name: 'maintenance-mutes-everything-in-namespace', sourceMatchers: ['alertname="Maintenance"'], targetMatchers: ['alertname!="Maintenance"'], equal: ['namespace'] },
    ],
    timeIntervals: [
      businessHours({ location: 'Europe/Berlin' }),
      { name: 'nights', intervals: [{ times: [{ start: '00:00', end: '07:00' }, { start: '22:00', end: '24:00' }], location: 'Europe/Berlin' }, { weekdays: ['saturday', 'sunday'], months: ['1:12'], daysOfMonth: ['1:31'], years: ['2025:2035'] }] },
    ],
    templates: {
      'vigil.tmpl': '{{ define "vigil.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}\n{{ define "vigil.text" }}{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}{{ end }}\n',
    },
    heartbeat: { url: s('heartbeat-url') },
  };
}
