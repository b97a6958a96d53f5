import { RoutingConfigInput, RoutingPresetOptions, SecretRef, secretRef } from '../../index';

/**
 * Barbossa, as its own alertmanager.yml: grouped by alertname and severity, repeated every 12h;
 * everything → email to the admin; critical → the `critical` receiver (email and Slack #alerts).
 * The SMTP password and Slack webhook, templated into the seed's file, come from a Secret.
 */
export function barbossaRouting(options: RoutingPresetOptions = {}): RoutingConfigInput {
  const s = (key: string): SecretRef => secretRef(options.secretName ?? 'alertmanager-barbossa', key);
  return {
    global: {
      resolveTimeout: '5m',
      smtp: { from: 'barbossa@example.com', smarthost: 'smtp.example.com:587', authUsername: 'barbossa@example.com', authPassword: s('smtp-password') },
    },
    receivers: [
      { name: 'default', email: [{ to: 'admin@example.com' }] },
      {
        name: 'critical',
        email: [{ to: 'admin@example.com' }],
        slack: [{
          apiUrl: s('slack-webhook-url'),
          channel: '#alerts',
          title: '{{ .Status | toUpper }}: {{ .CommonAnnotations.summary }}',
          text: '{{ .CommonAnnotations.description }}',
        }],
      },
    ],
    route: {
      receiver: 'default',
      groupBy: ['alertname', 'severity'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '12h',
      routes: [{ matchers: ['severity="critical"'], receiver: 'critical' }],
    },
  };
}
