import { POSTGRES_EXPORTER } from '../metric-catalogue';
import { alertRule, formatNumber, percent } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';
import type { RuleTest } from '../rule-test';
import { sel } from './selector';

const DEFAULT_SELECTOR = 'job="postgres-exporter"';

/** Options of the `postgres` pack (postgres_exporter, one target per declared database). */
export interface PostgresPackOptions {
  /**
   * Matchers selecting postgres-exporter series.
   * @default 'job="postgres-exporter"'
   */
  readonly selector?: string;
  /**
   * Share of `max_connections` in use above which `PostgresTooManyConnections` fires.
   * @default 0.8
   */
  readonly connectionsRatio?: number;
  /**
   * Seconds an active transaction may run before `PostgresLongRunningTransaction` fires.
   * @default 300
   */
  readonly longTransactionSeconds?: number;
}

/** The `postgres` pack: connection saturation, long-running transactions (slow queries) and deadlocks. */
export function postgresRulePack(options: PostgresPackOptions = {}): RulePack {
  const S = options.selector ?? DEFAULT_SELECTOR;
  const withTests = Object.keys(options).length === 0;
  const tests = (t: RuleTest[]): RuleTest[] | undefined => (withTests ? t : undefined);
  const target = 'job="postgres-exporter", instance="10.0.2.1:9187", database="idkarr"';
  const db = { job: 'postgres-exporter', instance: '10.0.2.1:9187', database: 'idkarr' };

  const connections = alertRule({
    name: 'PostgresTooManyConnections',
    threshold: options.connectionsRatio ?? 0.8,
    expr: (t) => `
      sum by (job, instance, database) (${sel('pg_stat_activity_count', S)})
        /
      max by (job, instance, database) (${sel('pg_settings_max_connections', S)}) > ${formatNumber(t)}
    `,
    for: '5m',
    severity: 'warning',
    summary: (t) => `PostgreSQL uses more than ${percent(t)} of its connections.`,
    description: 'Database {{ $labels.database }} uses {{ $value | humanizePercentage }} of max_connections; new connections will be refused when it reaches 100%.',
    tests: tests([{
      name: 'PostgresTooManyConnections: 90 of 100 connections',
      series: [
        { series: 'pg_settings_max_connections{job="postgres-exporter", instance="10.0.2.1:9187", database="idkarr"}', values: '100x30' },
        { series: `pg_stat_activity_count{${target}, datname="idkarr", state="active"}`, values: '10x5 60x25' },
        { series: `pg_stat_activity_count{${target}, datname="idkarr", state="idle"}`, values: '10x5 30x25' },
      ],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels: db }] },
        { at: '15m', state: 'firing', alerts: [{ labels: db, annotations: { description: 'Database idkarr uses 90% of max_connections; new connections will be refused when it reaches 100%.' } }] },
      ],
    }]),
  });

  const longTx = alertRule({
    name: 'PostgresLongRunningTransaction',
    threshold: options.longTransactionSeconds ?? 300,
    expr: (t) => `max by (job, instance, database, datname) (${sel('pg_stat_activity_max_tx_duration', S, 'state="active"')}) > ${formatNumber(t)}`,
    for: '2m',
    severity: 'warning',
    summary: (t) => `A PostgreSQL transaction has been running for more than ${formatNumber(t)} seconds.`,
    description: 'The longest active transaction in {{ $labels.datname }} ({{ $labels.database }}) has been running for {{ $value | humanizeDuration }}: a slow query or a transaction left open, holding locks and blocking vacuum.',
    tests: tests([{
      name: 'PostgresLongRunningTransaction: a query running for 10 minutes',
      series: [{ series: `pg_stat_activity_max_tx_duration{${target}, datname="idkarr", state="active"}`, values: '0x3 600+60x20' }],
      alerts: [
        { at: '3m', state: 'inactive' },
        { at: '5m', state: 'pending', alerts: [{ labels: { ...db, datname: 'idkarr' } }] },
        { at: '10m', state: 'firing', alerts: [{ labels: { ...db, datname: 'idkarr' }, annotations: { description: 'The longest active transaction in idkarr (idkarr) has been running for 16m 0s: a slow query or a transaction left open, holding locks and blocking vacuum.' } }] },
      ],
    }]),
  });

  const deadlocks = alertRule({
    name: 'PostgresDeadlocks',
    expr: `increase(${sel('pg_stat_database_deadlocks', S, 'datname!~"template.*"')}[5m]) > 0`,
    severity: 'warning',
    summary: 'PostgreSQL detected deadlocks.',
    description: 'Database {{ $labels.datname }} ({{ $labels.database }}) had {{ printf "%.0f" $value }} deadlocks in the last 5 minutes; the transactions involved were aborted.',
    tests: tests([{
      name: 'PostgresDeadlocks: two deadlocks',
      series: [{ series: `pg_stat_database_deadlocks{${target}, datid="16384", datname="idkarr"}`, values: '0x10 2x20' }],
      alerts: [
        { at: '8m', state: 'inactive' },
        { at: '13m', state: 'firing', alerts: [{ labels: { ...db, datid: '16384', datname: 'idkarr' }, annotations: { description: 'Database idkarr (idkarr) had 2 deadlocks in the last 5 minutes; the transactions involved were aborted.' } }] },
        { at: '25m', state: 'inactive' },
      ],
    }]),
  });

  return {
    name: 'postgres',
    source: 'alerts/packs/postgres.ts',
    catalogues: [POSTGRES_EXPORTER],
    groups: [
      ruleGroup({ name: 'postgres.availability', rules: [postgresDownAlert(S)] }),
      ruleGroup({ name: 'postgres.alerts', rules: [connections, longTx, deadlocks] }),
    ],
  };
}

/** `PostgresDown`: the exporter cannot reach its server. In the pack's `postgres.availability` group. */
export function postgresDownAlert(selector = DEFAULT_SELECTOR) {
  return alertRule({
    name: 'PostgresDown',
    expr: `${sel('pg_up', selector)} == 0`,
    for: '1m',
    severity: 'critical',
    summary: 'PostgreSQL is unreachable.',
    description: 'postgres-exporter {{ $labels.instance }} cannot connect to database {{ $labels.database }}.',
    // The tests name the default job; a pack rebuilt with another selector has none.
    tests: selector !== DEFAULT_SELECTOR ? undefined : [{
      name: 'PostgresDown: database refuses connections',
      series: [{ series: 'pg_up{job="postgres-exporter", instance="10.0.2.1:9187", database="idkarr"}', values: '1x3 0x10' }],
      alerts: [
        { at: '3m', state: 'inactive' },
        { at: '4m', state: 'pending', alerts: [{ labels: { job: 'postgres-exporter', instance: '10.0.2.1:9187', database: 'idkarr' } }] },
        { at: '8m', state: 'firing', alerts: [{ labels: { job: 'postgres-exporter', instance: '10.0.2.1:9187', database: 'idkarr' }, annotations: { description: 'postgres-exporter 10.0.2.1:9187 cannot connect to database idkarr.' } }] },
      ],
    }],
  });
}
