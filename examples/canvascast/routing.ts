import { pagerDutyReceiver, RoutingConfigInput, RoutingPresetOptions, SecretRef, secretRef, severityRouting, slackReceiver } from '../../index';

/** CanvasCast: critical → PagerDuty and Slack; warning and info → Slack, as `[severity] summary`. */
export function canvascastRouting(options: RoutingPresetOptions = {}): RoutingConfigInput {
  const s = (key: string): SecretRef => secretRef(options.secretName ?? 'alertmanager-canvascast', key);
  return {
    receivers: [
      pagerDutyReceiver('pagerduty', { routingKey: s('pagerduty-routing-key'), source: 'canvascast' }),
      slackReceiver('slack', {
        apiUrl: s('slack-webhook-url'),
        channel: '#alerts',
        title: '[{{ .CommonLabels.severity }}] {{ .CommonAnnotations.summary }}',
      }),
    ],
    route: {
      receiver: 'slack',
      routes: severityRouting({ critical: ['pagerduty', 'slack'], warning: ['slack'], info: ['slack'] }),
    },
  };
}
