import { toYaml } from '../lib/render';

/**
 * The routing Alertmanager starts with when none is configured: everything to a receiver with no
 * integrations (nothing is sent anywhere), the Watchdog to its own heartbeat receiver, and critical
 * alerts muting warnings of the same alert. Typed routing replaces it.
 */
export function minimalAlertmanagerConfig(): string {
  return toYaml({
    route: {
      receiver: 'default',
      group_by: ['alertname', 'namespace', 'job'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [{ receiver: 'heartbeat', matchers: ['alertname="Watchdog"'], repeat_interval: '5m' }],
    },
    receivers: [{ name: 'default' }, { name: 'heartbeat' }],
    inhibit_rules: [{
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"warning|info"'],
      equal: ['alertname', 'namespace', 'job'],
    }],
  });
}
