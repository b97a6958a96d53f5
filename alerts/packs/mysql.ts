import type { MetricCatalogue } from '../metric-catalogue';
import { alertRule, AlertRule, formatNumber, percent } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';
import type { RuleTest } from '../rule-test';
import { sel } from './selector';

/**
 * prometheus/mysqld_exporter v0.19.0 (the tag `MYSQLD_EXPORTER_IMAGE` in charts/mysqld-exporter.ts pins), default collectors only:
 * no `--collect.*` flag is needed for any metric listed here. Names, help texts and labels come from
 * the exporter's source at that tag:
 * - `mysql_up`: collector/exporter.go (`mysqlUp`).
 * - `mysql_global_status_*`: collector/global_status.go. Status variables outside its named groups
 *   become `mysql_global_status_<lower-cased name>` with the help "Generic metric from SHOW GLOBAL
 *   STATUS." and are exposed untyped; they are typed here by what the variable is (a running count
 *   is a counter, a current value a gauge). `Innodb_buffer_pool_pages_{data,free,misc,old}` become
 *   the gauge `mysql_global_status_buffer_pool_pages{state}`.
 * - `mysql_global_variables_*`: collector/global_variables.go, "Generic gauge metric from SHOW GLOBAL
 *   VARIABLES."; `mysql_version_info` is emitted by the same collector.
 * - `mysql_slave_status_*`: collector/slave_status.go. One untyped series per numeric column of
 *   `SHOW ALL SLAVES STATUS` (MariaDB), `SHOW SLAVE STATUS` (MySQL up to 8.0) or `SHOW REPLICA
 *   STATUS` (MySQL 8.4, whose columns are named `Replica_*`/`*_Source`), lower-cased; `Yes`/`No`/
 *   `Connecting` read as 1/0/0. A primary has no rows, so none of these series exist there, and
 *   `Seconds_Behind_Master` is NULL (no series) while the SQL thread is stopped.
 */
export const MYSQLD_EXPORTER: MetricCatalogue = {
  name: 'mysqld-exporter',
  source: 'prometheus/mysqld_exporter v0.19.0 (collector/exporter.go, global_status.go, global_variables.go, slave_status.go)',
  metrics: {
    mysql_up: { type: 'gauge', help: 'Whether the MySQL server is up.' },
    mysql_version_info: { type: 'gauge', help: 'MySQL version and distribution.', labels: ['innodb_version', 'version', 'version_comment'] },
    mysql_global_status_uptime: { type: 'gauge', help: 'Generic metric from SHOW GLOBAL STATUS. (Uptime: seconds since the server started.)' },
    mysql_global_status_threads_connected: { type: 'gauge', help: 'Generic metric from SHOW GLOBAL STATUS. (Threads_connected: open connections.)' },
    mysql_global_status_threads_running: { type: 'gauge', help: 'Generic metric from SHOW GLOBAL STATUS. (Threads_running: threads not sleeping.)' },
    mysql_global_status_max_used_connections: { type: 'gauge', help: 'Generic metric from SHOW GLOBAL STATUS. (Max_used_connections: peak of simultaneous connections since the start.)' },
    mysql_global_status_aborted_connects: { type: 'counter', help: 'Generic metric from SHOW GLOBAL STATUS. (Aborted_connects: failed connection attempts.)' },
    mysql_global_status_queries: { type: 'counter', help: 'Generic metric from SHOW GLOBAL STATUS. (Queries: statements executed, including those inside stored programs.)' },
    mysql_global_status_slow_queries: { type: 'counter', help: 'Generic metric from SHOW GLOBAL STATUS. (Slow_queries: queries that took longer than long_query_time.)' },
    mysql_global_status_commands_total: { type: 'counter', help: 'Total number of executed MySQL commands.', labels: ['command'] },
    mysql_global_status_bytes_received: { type: 'counter', help: 'Generic metric from SHOW GLOBAL STATUS. (Bytes_received: bytes received from all clients.)' },
    mysql_global_status_bytes_sent: { type: 'counter', help: 'Generic metric from SHOW GLOBAL STATUS. (Bytes_sent: bytes sent to all clients.)' },
    mysql_global_status_buffer_pool_pages: { type: 'gauge', help: 'Innodb buffer pool pages by state.', labels: ['state'] },
    mysql_global_status_innodb_buffer_pool_read_requests: { type: 'counter', help: 'Generic metric from SHOW GLOBAL STATUS. (Innodb_buffer_pool_read_requests: logical reads.)' },
    mysql_global_status_innodb_buffer_pool_reads: { type: 'counter', help: 'Generic metric from SHOW GLOBAL STATUS. (Innodb_buffer_pool_reads: logical reads that had to go to disk.)' },
    mysql_global_variables_max_connections: { type: 'gauge', help: 'Generic gauge metric from SHOW GLOBAL VARIABLES. (max_connections.)' },
    mysql_global_variables_innodb_buffer_pool_size: { type: 'gauge', help: 'Generic gauge metric from SHOW GLOBAL VARIABLES. (innodb_buffer_pool_size, bytes.)' },
    // MariaDB and MySQL up to 8.0 (SHOW ALL SLAVES STATUS / SHOW SLAVE STATUS).
    mysql_slave_status_seconds_behind_master: { type: 'gauge', help: 'Generic metric from SHOW SLAVE STATUS. (Seconds_Behind_Master.)', labels: ['master_host', 'master_uuid', 'channel_name', 'connection_name'] },
    mysql_slave_status_slave_io_running: { type: 'gauge', help: 'Generic metric from SHOW SLAVE STATUS. (Slave_IO_Running: 1 Yes, 0 No or Connecting.)', labels: ['master_host', 'master_uuid', 'channel_name', 'connection_name'] },
    mysql_slave_status_slave_sql_running: { type: 'gauge', help: 'Generic metric from SHOW SLAVE STATUS. (Slave_SQL_Running: 1 Yes, 0 No.)', labels: ['master_host', 'master_uuid', 'channel_name', 'connection_name'] },
    // MySQL 8.4, where only SHOW REPLICA STATUS is left.
    mysql_slave_status_seconds_behind_source: { type: 'gauge', help: 'Generic metric from SHOW SLAVE STATUS. (Seconds_Behind_Source.)', labels: ['master_host', 'master_uuid', 'channel_name', 'connection_name'] },
    mysql_slave_status_replica_io_running: { type: 'gauge', help: 'Generic metric from SHOW SLAVE STATUS. (Replica_IO_Running.)', labels: ['master_host', 'master_uuid', 'channel_name', 'connection_name'] },
    mysql_slave_status_replica_sql_running: { type: 'gauge', help: 'Generic metric from SHOW SLAVE STATUS. (Replica_SQL_Running.)', labels: ['master_host', 'master_uuid', 'channel_name', 'connection_name'] },
  },
};

/** Replication series names under MySQL 8.4 (`SHOW REPLICA STATUS`), which only a MySQL 8.4 replica emits. */
export const MYSQL_84_REPLICATION_METRICS: readonly string[] = [
  'mysql_slave_status_seconds_behind_source', 'mysql_slave_status_replica_io_running', 'mysql_slave_status_replica_sql_running',
];

const DEFAULT_SELECTOR = 'job="mysqld-exporter"';

/** Options of the `mysql` pack (mysqld-exporter, one target per declared MySQL/MariaDB server). */
export interface MysqlPackOptions {
  /**
   * Matchers selecting mysqld-exporter series.
   * @default 'job="mysqld-exporter"'
   */
  readonly selector?: string;
  /**
   * Share of `max_connections` in use above which `MysqlTooManyConnections` fires.
   * @default 0.8
   */
  readonly connectionsRatio?: number;
  /**
   * Slow queries per second (queries longer than the server's `long_query_time`), averaged over
   * 5 minutes, above which `MysqlSlowQueries` fires.
   * @default 0.05
   */
  readonly slowQueriesPerSecond?: number;
  /**
   * Seconds a replica may lag behind its primary before `MysqlReplicationLag` fires.
   * @default 300
   */
  readonly replicationLagSeconds?: number;
}

const TARGET = 'job="mysqld-exporter", instance="10.0.2.4:9104", database="shop"';
const DB = { job: 'mysqld-exporter', instance: '10.0.2.4:9104', database: 'shop' } as const;
const REPLICA_TARGET = 'job="mysqld-exporter", instance="10.0.2.5:9104", database="shop-replica"';
const REPLICA = { job: 'mysqld-exporter', instance: '10.0.2.5:9104', database: 'shop-replica', master_host: 'shop-primary' } as const;

/**
 * `MysqlDown`: the exporter runs but cannot log in to its server (`mysql_up == 0`). A missing exporter
 * is `TargetDown`'s job. Tests are attached only for the default selector, which they are written for.
 */
export function mysqlDownAlert(selector: string = DEFAULT_SELECTOR): AlertRule {
  return alertRule({
    name: 'MysqlDown',
    expr: `${sel('mysql_up', selector)} == 0`,
    for: '1m',
    severity: 'critical',
    summary: 'MySQL is unreachable.',
    description: 'mysqld-exporter {{ $labels.instance }} cannot connect to database {{ $labels.database }}.',
    tests: selector === DEFAULT_SELECTOR ? [{
      name: 'MysqlDown: the server stops answering',
      series: [
        { series: `mysql_up{${TARGET}}`, values: '1x3 0x10' },
        { series: `mysql_up{${REPLICA_TARGET}}`, values: '1x13' },
      ],
      alerts: [
        { at: '3m', state: 'inactive' },
        { at: '4m', state: 'pending', alerts: [{ labels: DB }] },
        { at: '8m', state: 'firing', alerts: [{ labels: DB, annotations: { description: 'mysqld-exporter 10.0.2.4:9104 cannot connect to database shop.' } }] },
      ],
    }] : undefined,
  });
}

/**
 * The `mysql` pack for MySQL and MariaDB: availability (its own group, `mysql.availability`),
 * connections near `max_connections`, slow queries, and replication (lag and stopped threads), which
 * only replicas report: on a primary those expressions return nothing.
 */
export function mysqlRulePack(options: MysqlPackOptions = {}): RulePack {
  const S = options.selector ?? DEFAULT_SELECTOR;
  const defaultSelector = options.selector === undefined;
  // The promtool cases are written for the defaults; a changed selector or threshold drops the cases
  // of the alerts it affects.
  const tests = (custom: unknown, t: RuleTest[]): RuleTest[] | undefined => (defaultSelector && custom === undefined ? t : undefined);
  const replicaBy = 'job, instance, database, master_host, channel_name, connection_name';

  const connections = alertRule({
    name: 'MysqlTooManyConnections',
    threshold: options.connectionsRatio ?? 0.8,
    expr: (t) => `
      max by (job, instance, database) (${sel('mysql_global_status_threads_connected', S)})
        /
      max by (job, instance, database) (${sel('mysql_global_variables_max_connections', S)}) > ${formatNumber(t)}
    `,
    for: '5m',
    severity: 'warning',
    summary: (t) => `MySQL uses more than ${percent(t)} of its connections.`,
    description: 'Database {{ $labels.database }} uses {{ $value | humanizePercentage }} of max_connections; new connections will be refused when it reaches 100%.',
    tests: tests(options.connectionsRatio, [{
      name: 'MysqlTooManyConnections: 90 of 151 connections fire, 60 do not',
      series: [
        { series: `mysql_global_variables_max_connections{${TARGET}}`, values: '151x30' },
        { series: `mysql_global_status_threads_connected{${TARGET}}`, values: '60x5 136x25' },
        { series: `mysql_global_variables_max_connections{${REPLICA_TARGET}}`, values: '151x30' },
        { series: `mysql_global_status_threads_connected{${REPLICA_TARGET}}`, values: '120x30' },
      ],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels: DB }] },
        { at: '15m', state: 'firing', alerts: [{ labels: DB, annotations: { description: 'Database shop uses 90.07% of max_connections; new connections will be refused when it reaches 100%.' } }] },
      ],
    }]),
  });

  const slowQueries = alertRule({
    name: 'MysqlSlowQueries',
    threshold: options.slowQueriesPerSecond ?? 0.05,
    expr: (t) => `rate(${sel('mysql_global_status_slow_queries', S)}[5m]) > ${formatNumber(t)}`,
    for: '5m',
    severity: 'warning',
    summary: (t) => `MySQL runs more than ${formatNumber(t)} slow queries per second.`,
    description: 'Database {{ $labels.database }} ran {{ $value | humanize }} slow queries per second over the last 5 minutes (each longer than long_query_time).',
    tests: tests(options.slowQueriesPerSecond, [{
      name: 'MysqlSlowQueries: 12 slow queries a minute fire, one a minute does not',
      series: [
        // 1 per minute (0.0167/s) for 10 minutes, then 12 per minute (0.2/s).
        { series: `mysql_global_status_slow_queries{${TARGET}}`, values: '0+1x10 10+12x30' },
      ],
      alerts: [
        { at: '10m', state: 'inactive' },
        { at: '13m', state: 'pending', alerts: [{ labels: DB }] },
        { at: '25m', state: 'firing', alerts: [{ labels: DB, annotations: { description: 'Database shop ran 200m slow queries per second over the last 5 minutes (each longer than long_query_time).' } }] },
      ],
    }]),
  });

  const lag = alertRule({
    name: 'MysqlReplicationLag',
    threshold: options.replicationLagSeconds ?? 300,
    expr: (t) => `
      max by (${replicaBy}) (
        ${sel('mysql_slave_status_seconds_behind_master', S)}
          or
        ${sel('mysql_slave_status_seconds_behind_source', S)}
      ) > ${formatNumber(t)}
    `,
    for: '5m',
    severity: 'warning',
    summary: (t) => `A MySQL replica is more than ${formatNumber(t)} seconds behind its primary.`,
    description: 'Replica {{ $labels.database }} is {{ $value | humanizeDuration }} behind its primary {{ $labels.master_host }}; reads from it return stale data.',
    tests: tests(options.replicationLagSeconds, [{
      name: 'MysqlReplicationLag: the replica falls 10 minutes behind; the primary reports no lag series',
      series: [
        { series: `mysql_up{${TARGET}}`, values: '1x30' },
        { series: `mysql_slave_status_seconds_behind_master{${REPLICA_TARGET}, master_host="shop-primary"}`, values: '0x5 600+60x25' },
      ],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels: REPLICA }] },
        { at: '15m', state: 'firing', alerts: [{ labels: REPLICA, annotations: { description: 'Replica shop-replica is 19m 0s behind its primary shop-primary; reads from it return stale data.' } }] },
      ],
    }, {
      name: 'MysqlReplicationLag: a MySQL 8.4 replica (Seconds_Behind_Source) lagging',
      series: [{ series: `mysql_slave_status_seconds_behind_source{${REPLICA_TARGET}, master_host="shop-primary"}`, values: '900x10' }],
      alerts: [{ at: '10m', state: 'firing', alerts: [{ labels: REPLICA, annotations: { description: 'Replica shop-replica is 15m 0s behind its primary shop-primary; reads from it return stale data.' } }] }],
    }]),
  });

  const stopped = alertRule({
    name: 'MysqlReplicationStopped',
    expr: `
      min by (${replicaBy}) (${sel('mysql_slave_status_slave_io_running', S)} or ${sel('mysql_slave_status_replica_io_running', S)}) == 0
        or
      min by (${replicaBy}) (${sel('mysql_slave_status_slave_sql_running', S)} or ${sel('mysql_slave_status_replica_sql_running', S)}) == 0
    `,
    for: '2m',
    severity: 'critical',
    summary: 'MySQL replication has stopped.',
    description: 'Replica {{ $labels.database }} is not replicating from {{ $labels.master_host }}: its IO or SQL thread is not running, so it falls further behind every second.',
    tests: tests(undefined, [{
      name: 'MysqlReplicationStopped: the SQL thread stops on the replica; the primary has no replication series',
      series: [
        { series: `mysql_up{${TARGET}}`, values: '1x20' },
        { series: `mysql_slave_status_slave_io_running{${REPLICA_TARGET}, master_host="shop-primary"}`, values: '1x20' },
        { series: `mysql_slave_status_slave_sql_running{${REPLICA_TARGET}, master_host="shop-primary"}`, values: '1x5 0x15' },
      ],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '6m', state: 'pending', alerts: [{ labels: REPLICA }] },
        { at: '10m', state: 'firing', alerts: [{ labels: REPLICA, annotations: { description: 'Replica shop-replica is not replicating from shop-primary: its IO or SQL thread is not running, so it falls further behind every second.' } }] },
      ],
    }, {
      name: 'MysqlReplicationStopped: a MySQL 8.4 replica (Replica_IO_Running) cannot reach its primary',
      series: [
        { series: `mysql_slave_status_replica_io_running{${REPLICA_TARGET}, master_host="shop-primary"}`, values: '0x10' },
        { series: `mysql_slave_status_replica_sql_running{${REPLICA_TARGET}, master_host="shop-primary"}`, values: '1x10' },
      ],
      alerts: [{ at: '5m', state: 'firing', alerts: [{ labels: REPLICA }] }],
    }]),
  });

  return {
    name: 'mysql',
    source: 'alerts/packs/mysql.ts',
    catalogues: [MYSQLD_EXPORTER],
    groups: [
      ruleGroup({ name: 'mysql.availability', rules: [mysqlDownAlert(S)] }),
      ruleGroup({ name: 'mysql.alerts', rules: [connections, slowQueries, lag, stopped] }),
    ],
  };
}
