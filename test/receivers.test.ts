import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseRoutingConfig, renderAlertmanagerConfig } from '../alerts/routing/alertmanager-config';
import {
  INTEGRATION_KINDS, SECRET_FIELDS, kubectlCreateSecretLine, pagerDutySeverityTemplate, secretLikeReason, secretRef,
} from '../alerts/routing/receivers';
import { everyFeatureRouting } from '../alerts/routing/routing-presets';

/** The rendered receivers of the every-feature routing, by name. */
function receivers(): Record<string, Record<string, any>> {
  const doc = YAML.parse(renderAlertmanagerConfig(parseRoutingConfig(everyFeatureRouting())).yaml);
  return Object.fromEntries(doc.receivers.map((r: { name: string }) => [r.name, r]));
}

const DIR = '/etc/alertmanager/secrets/alertmanager-vigil';

describe('receiver rendering (the *_file fields amtool 0.25 cannot check are asserted here)', () => {
  const r = receivers();

  it('Slack by incoming webhook: api_url_file and the message options', () => {
    expect(r['slack-webhook'].slack_configs).toEqual([{
      send_resolved: true,
      api_url_file: `${DIR}/slack-webhook-url`,
      channel: '#alerts',
      username: 'Vigil',
      icon_emoji: ':rotating_light:',
      color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}',
      title: '{{ template "vigil.title" . }}',
      title_link: '{{ .ExternalURL }}',
      text: '{{ template "vigil.text" . }}',
    }]);
  });

  it('Slack by bot token: app_token_file (Alertmanager >= 0.30) and a channel', () => {
    expect(r['slack-bot'].slack_configs).toEqual([{ send_resolved: false, app_token_file: `${DIR}/slack-bot-token`, channel: '#media' }]);
  });

  it('email: recipients joined, auth_password_file, TLS, subject header', () => {
    expect(r['email-team'].email_configs).toEqual([{
      send_resolved: true,
      to: 'team@example.com, Lead <lead@example.com>',
      from: 'vigil@example.com',
      smarthost: 'mail.example.com:465',
      auth_username: 'vigil',
      auth_password_file: `${DIR}/team-smtp-password`,
      require_tls: false,
      headers: { Subject: '{{ template "vigil.title" . }}' },
      html: '{{ template "email.default.html" . }}',
      text: '{{ template "vigil.text" . }}',
    }]);
  });

  it('PagerDuty Events v2: routing_key_file, severity mapping, details and links', () => {
    expect(r['pagerduty-db'].pagerduty_configs).toEqual([{
      send_resolved: true,
      routing_key_file: `${DIR}/pagerduty-routing-key`,
      url: 'https://events.eu.pagerduty.com/v2/enqueue',
      severity: '{{ if eq .CommonLabels.priority "p1" }}critical{{ else if eq .CommonLabels.priority "p2" }}error{{ else }}warning{{ end }}',
      description: '{{ .CommonAnnotations.summary }}',
      source: 'vigil',
      component: '{{ .CommonLabels.database }}',
      group: 'database',
      class: 'availability',
      client: 'Vigil',
      client_url: '{{ .ExternalURL }}',
      details: { runbook: '{{ .CommonAnnotations.runbook_url }}' },
      links: [{ href: '{{ .CommonAnnotations.dashboard_url }}', text: 'Dashboard' }],
    }]);
  });

  it('webhook: url_file (Alertmanager >= 0.28) and a bearer token file', () => {
    expect(r['incident-webhook'].webhook_configs).toEqual([{
      send_resolved: true,
      url_file: `${DIR}/incident-webhook-url`,
      max_alerts: 20,
      http_config: { authorization: { type: 'Bearer', credentials_file: `${DIR}/incident-webhook-token` } },
    }]);
  });

  it('Discord: webhook_url_file (Alertmanager >= 0.28), title and message', () => {
    expect(r.discord.discord_configs).toEqual([{ send_resolved: true, webhook_url_file: `${DIR}/discord-webhook-url`, title: '{{ template "vigil.title" . }}', message: '{{ template "vigil.text" . }}' }]);
  });

  it('Microsoft Teams: msteamsv2_configs with webhook_url_file (Alertmanager >= 0.28), never the retired msteams_configs', () => {
    expect(r.teams).toEqual({ name: 'teams', msteamsv2_configs: [{ send_resolved: true, webhook_url_file: `${DIR}/teams-webhook-url`, title: '{{ template "vigil.title" . }}', text: '{{ template "vigil.text" . }}' }] });
    expect(r.teams.msteams_configs).toBeUndefined();
  });

  it('a discard receiver renders with no integrations', () => {
    expect(r.nobody).toEqual({ name: 'nobody' });
  });

  it('the heartbeat receiver is a webhook to the dead-man\'s switch, without resolved notifications', () => {
    expect(r.heartbeat).toEqual({ name: 'heartbeat', webhook_configs: [{ send_resolved: false, url_file: `${DIR}/heartbeat-url` }] });
  });
});

describe('defaults', () => {
  const render = (receiver: object) => YAML.parse(renderAlertmanagerConfig(parseRoutingConfig({
    global: { smtp: { from: 'a@example.com', smarthost: 'smtp.example.com:587' } },
    receivers: [{ name: 'default', ...receiver }],
  })).yaml).receivers[0];

  it('send_resolved is explicit: true for chat, paging and webhooks, false for email', () => {
    const ref = secretRef('s', 'k');
    expect(render({ slack: [{ apiUrl: ref }] }).slack_configs[0].send_resolved).toBe(true);
    expect(render({ pagerduty: [{ routingKey: ref }] }).pagerduty_configs[0].send_resolved).toBe(true);
    expect(render({ webhook: [{ url: ref }] }).webhook_configs[0].send_resolved).toBe(true);
    expect(render({ discord: [{ webhookUrl: ref }] }).discord_configs[0].send_resolved).toBe(true);
    expect(render({ msteams: [{ webhookUrl: ref }] }).msteamsv2_configs[0].send_resolved).toBe(true);
    expect(render({ email: [{ to: 'b@example.com' }] }).email_configs[0]).toEqual({ send_resolved: false, to: 'b@example.com' });
  });

  it('PagerDuty severity follows the severity label by default, "error" otherwise', () => {
    expect(render({ pagerduty: [{ routingKey: secretRef('s', 'k') }] }).pagerduty_configs[0].severity).toBe(
      '{{ if eq .CommonLabels.severity "critical" }}critical{{ else if eq .CommonLabels.severity "info" }}info{{ else if eq .CommonLabels.severity "warning" }}warning{{ else }}error{{ end }}',
    );
    expect(pagerDutySeverityTemplate('critical')).toBe('critical');
  });

  it('the global SMTP settings render as smtp_* with the password file', () => {
    const doc = YAML.parse(renderAlertmanagerConfig(parseRoutingConfig(everyFeatureRouting())).yaml);
    expect(doc.global).toEqual({
      resolve_timeout: '5m',
      smtp_from: 'alertmanager@example.com',
      smtp_smarthost: 'smtp.example.com:587',
      smtp_hello: 'alertmanager.example.com',
      smtp_auth_username: 'alertmanager@example.com',
      smtp_auth_password_file: `${DIR}/smtp-password`,
      smtp_require_tls: true,
    });
  });
});

describe('secret helpers', () => {
  it('every secret field has a kubectl line that creates it', () => {
    for (const kind of INTEGRATION_KINDS) {
      for (const field of Object.keys(SECRET_FIELDS[kind])) {
        expect(kubectlCreateSecretLine(kind, field)).toMatch(/^kubectl create secret generic alertmanager-[a-z]+ --namespace monitoring --from-literal=[a-z-]+='.+'$/);
      }
    }
  });

  it('recognises secret-looking values and leaves templates, channels and plain URLs alone', () => {
    for (const s of ['https://hooks.slack.com/services/T0/B0/x', 'https://discord.com/api/webhooks/1/x', 'https://hc-ping.com/uuid', 'https://user:pw@example.com/', 'xoxb-1234-5678-abcdef', '0123456789abcdef0123456789abcdef', 'https://a.example.com/x?api_key=1']) {
      expect(secretLikeReason(s), s).toBeDefined();
    }
    for (const s of ['#critical-alerts', '{{ .CommonAnnotations.summary }}', 'https://grafana.example.com/d/abc/overview?var-job={{ .CommonLabels.job }}', 'oncall@example.com', 'smtp.example.com:587']) {
      expect(secretLikeReason(s), s).toBeUndefined();
    }
  });
});
