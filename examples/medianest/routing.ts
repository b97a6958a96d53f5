import { digest, emailReceiver, pagerDutyReceiver, RoutingConfigInput, RoutingPresetOptions, SecretRef, secretRef, severityRouting, slackReceiver, webhookReceiver } from '../../index';

/** Label value that marks business alerts (MediaNest's "operational awareness" category). */
export const BUSINESS_ALERT_MATCHER = 'category="business"';

/**
 * MediaNest (seeds 001 and 002): critical → PagerDuty, Slack #critical-alerts, email to on-call and the
 * incident-management webhook; warning → Slack #alerts and an hourly email digest to the dev team;
 * business alerts (label `category="business"`) → Slack #operations only. Anything else → #alerts.
 */
export function medianestRouting(options: RoutingPresetOptions = {}): RoutingConfigInput {
  const s = (key: string): SecretRef => secretRef(options.secretName ?? 'alertmanager-medianest', key);
  return {
    global: { smtp: { from: 'medianest-alerts@example.com', smarthost: 'smtp.example.com:587', authUsername: 'medianest-alerts@example.com', authPassword: s('smtp-password') } },
    receivers: [
      pagerDutyReceiver('pagerduty', { routingKey: s('pagerduty-routing-key'), source: 'medianest' }),
      slackReceiver('slack-critical', { apiUrl: s('slack-critical-alerts-webhook-url'), channel: '#critical-alerts' }),
      emailReceiver('email-oncall', { to: 'oncall@example.com', sendResolved: true }),
      webhookReceiver('incident-webhook', { url: s('incident-webhook-url'), bearerToken: s('incident-webhook-token') }),
      slackReceiver('slack-alerts', { apiUrl: s('slack-alerts-webhook-url'), channel: '#alerts' }),
      emailReceiver('email-dev-digest', { to: 'dev-team@example.com', subject: '[MediaNest] {{ .Alerts.Firing | len }} warning(s) firing' }),
      slackReceiver('slack-operations', { apiUrl: s('slack-operations-webhook-url'), channel: '#operations' }),
    ],
    route: {
      receiver: 'slack-alerts',
      routes: [
        { matchers: [BUSINESS_ALERT_MATCHER], receiver: 'slack-operations' },
        ...severityRouting({
          critical: ['pagerduty', 'slack-critical', 'email-oncall', 'incident-webhook'],
          warning: ['slack-alerts', digest('email-dev-digest')],
        }),
      ],
    },
  };
}
