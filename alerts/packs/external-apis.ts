import type { MetricCatalogue } from '../metric-catalogue';
import { alertRule, formatNumber } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';
import type { RuleTest } from '../rule-test';
import { quote, sel } from './selector';

/** Options of the external-API pack: calls an application makes to services it depends on (Plex, indexers, payment APIs). */
export interface ExternalApiPackOptions {
  /**
   * Pack (and file) name.
   * @default 'external-apis'
   */
  readonly name?: string;
  /**
   * Prefix of the alert names.
   * @default ''
   */
  readonly alertPrefix?: string;
  /**
   * Matchers selecting the application's series.
   * @default 'job=~".+"'
   */
  readonly selector?: string;
  /**
   * Counter of outgoing calls (idkarr `external_api_requests_total`, MediaNest `plex_api_requests_total`).
   * @default 'external_api_requests_total'
   */
  readonly requestsMetric?: string;
  /**
   * Label naming the remote service.
   * @default 'service'
   */
  readonly serviceLabel?: string;
  /**
   * Label holding the call's outcome.
   * @default 'status'
   */
  readonly statusLabel?: string;
  /**
   * Regular expression on the status label for failed calls.
   * @default 'error'
   */
  readonly errorStatus?: string;
  /**
   * Failed calls per second above which `ExternalApiFailures` fires.
   * @default 0.5
   */
  readonly failureRateThreshold?: number;
  /**
   * Gauge that is 1 while a circuit breaker is open.
   * @default 'circuit_breaker_open'
   */
  readonly circuitBreakerMetric?: string;
}

/** The external-API pack: failing calls to a dependency, and open circuit breakers. */
export function externalApiRulePack(options: ExternalApiPackOptions = {}): RulePack {
  const name = options.name ?? 'external-apis';
  const prefix = options.alertPrefix ?? '';
  const S = options.selector ?? 'job=~".+"';
  const requests = options.requestsMetric ?? 'external_api_requests_total';
  const svc = options.serviceLabel ?? 'service';
  const status = options.statusLabel ?? 'status';
  const breaker = options.circuitBreakerMetric ?? 'circuit_breaker_open';
  const withTests = Object.keys(options).length === 0;
  const tests = (t: RuleTest[]): RuleTest[] | undefined => (withTests ? t : undefined);
  const plex = { [svc]: 'plex' };
  const calls = (st: string, perSecond: number) => ({ series: `${requests}{job="api", instance="10.0.1.1:8080", ${svc}="plex", ${status}="${st}"}`, values: `0+${formatNumber(perSecond * 60)}x40` });

  const failures = alertRule({
    name: `${prefix}ExternalApiFailures`,
    runbook: 'docs/runbooks/ExternalApiFailures.md',
    threshold: options.failureRateThreshold ?? 0.5,
    expr: (t) => `sum by (${svc}) (rate(${sel(requests, S, `${status}=~${quote(options.errorStatus ?? 'error')}`)}[5m])) > ${formatNumber(t)}`,
    for: '5m',
    severity: 'warning',
    summary: (t) => `Calls to an external API fail more than ${formatNumber(t)} times per second.`,
    description: `Calls to {{ $labels.${svc} }} fail {{ printf "%.2f" $value }} times per second.`,
    tests: tests([
      {
        name: 'ExternalApiFailures: Plex failing',
        series: [calls('success', 1), calls('error', 2)],
        alerts: [
          { at: '4m', state: 'pending', alerts: [{ labels: plex }] },
          { at: '15m', state: 'firing', alerts: [{ labels: plex, annotations: { description: 'Calls to plex fail 2.00 times per second.' } }] },
        ],
      },
      { name: 'ExternalApiFailures: Plex healthy', series: [calls('success', 5), calls('error', 0.1)], alerts: [{ at: '15m', state: 'inactive' }] },
    ]),
  });

  const circuit = alertRule({
    name: `${prefix}CircuitBreakerOpen`,
    runbook: 'docs/runbooks/CircuitBreakerOpen.md',
    expr: `max by (${svc}) (${sel(breaker, S)}) > 0`,
    for: '5m',
    severity: 'warning',
    summary: 'A circuit breaker to an external service is open.',
    description: `The circuit breaker for {{ $labels.${svc} }} is open: calls to it are short-circuited and the feature depending on it is degraded.`,
    tests: tests([{
      name: 'CircuitBreakerOpen: breaker trips',
      series: [{ series: `${breaker}{job="api", instance="10.0.1.1:8080", ${svc}="overseerr"}`, values: '0x5 1x20' }],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels: { [svc]: 'overseerr' } }] },
        { at: '15m', state: 'firing', alerts: [{ labels: { [svc]: 'overseerr' } }] },
      ],
    }]),
  });

  const catalogue: MetricCatalogue = {
    name: `${name}-calls`,
    source: 'application instrumentation (outgoing calls)',
    metrics: {
      [requests]: { type: 'counter', help: 'Outgoing API calls by service and outcome.', labels: [svc, status] },
      [breaker]: { type: 'gauge', help: '1 while the circuit breaker is open.', labels: [svc] },
    },
  };
  return {
    name,
    source: 'alerts/packs/external-apis.ts',
    catalogues: [catalogue],
    groups: [ruleGroup({ name: `${name}.alerts`, rules: [failures, circuit] })],
  };
}
