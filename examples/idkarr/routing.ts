import { discordReceiver, emailReceiver, RoutingConfigInput, RoutingPresetOptions, SecretRef, secretRef, severityRouting, slackReceiver, webhookReceiver } from '../../index';

/**
 * idkarr: Discord, Slack, email and a webhook, chosen by severity. The seed leaves the mapping to
 * configuration; this one sends everything to Discord, adds Slack from warning up, and email plus the
 * webhook for critical.
 */
export function idkarrRouting(options: RoutingPresetOptions = {}): RoutingConfigInput {
  const s = (key: string): SecretRef => secretRef(options.secretName ?? 'alertmanager-idkarr', key);
  return {
    global: { smtp: { from: 'idkarr-alerts@example.com', smarthost: 'smtp.example.com:587', authUsername: 'idkarr-alerts@example.com', authPassword: s('smtp-password') } },
    receivers: [
      discordReceiver('discord', { webhookUrl: s('discord-webhook-url') }),
      slackReceiver('slack', { apiUrl: s('slack-webhook-url'), channel: '#idkarr-alerts' }),
      emailReceiver('email', { to: 'ops@example.com', sendResolved: true }),
      webhookReceiver('webhook', { url: s('webhook-url') }),
    ],
    route: {
      receiver: 'discord',
      routes: severityRouting({
        critical: ['discord', 'slack', 'email', 'webhook'],
        warning: ['discord', 'slack'],
        info: ['discord'],
      }),
    },
  };
}
