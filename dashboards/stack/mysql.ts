import { PROMETHEUS_SYNTHETIC } from '../../alerts/metric-catalogue';
import { MYSQLD_EXPORTER } from '../../alerts/packs/mysql';
import { DashboardDefinition, row, stat, table, timeseries } from '../model';
import { datasourceVariable, labelVariable } from '../variables';
import { STACK_FOLDER, StackDashboardContext, stackLinks } from './common';

/** Uid of the MySQL dashboard (the `/d/<uid>` part of its URL). */
export const MYSQL_DASHBOARD_UID = 'vigil-mysql';

/** Options of {@link mysqlDashboard}. */
export interface MysqlDashboardOptions {
  /**
   * Matchers selecting mysqld-exporter series (the same as the `mysql` pack's).
   * @default 'job="mysqld-exporter"'
   */
  readonly selector?: string;
}

/**
 * MySQL and MariaDB servers, one mysqld-exporter target per server (its `database` label names it):
 * availability and connections, throughput and slow queries, the InnoDB buffer pool, and replication,
 * whose panels stay empty for servers that are not replicas.
 */
export function mysqlDashboard(ctx: StackDashboardContext, options: MysqlDashboardOptions = {}): DashboardDefinition {
  const job = options.selector ?? 'job="mysqld-exporter"';
  const S = `${job}, database=~"$database"`;
  const RATE = '[$__rate_interval]';
  return {
    title: 'Vigil / MySQL',
    uid: MYSQL_DASHBOARD_UID,
    description: 'MySQL/MariaDB servers watched by mysqld-exporter: availability, connections, queries, InnoDB buffer pool and replication.',
    folder: STACK_FOLDER,
    tags: ['mysql', 'mariadb', 'database'],
    variables: [datasourceVariable(), labelVariable('database', `mysql_up{${job}}`)],
    links: stackLinks(MYSQL_DASHBOARD_UID, ctx.deployed),
    metrics: [MYSQLD_EXPORTER, PROMETHEUS_SYNTHETIC],
    rows: [
      row('Availability and connections', [
        stat({
          title: 'Servers down', description: 'Servers the exporter cannot log in to (mysql_up = 0): what MysqlDown fires on.',
          queries: [{ expr: `count(mysql_up{${S}} == 0) or vector(0)` }], thresholds: { steps: [{ value: 1, color: 'red' }] },
        }),
        stat({ title: 'Uptime (lowest)', queries: [{ expr: `min(mysql_global_status_uptime{${S}})` }], unit: 's', description: 'A small value means a server restarted recently.' }),
        stat({
          title: 'Connections used (highest)', description: 'Threads_connected / max_connections of the busiest server; MysqlTooManyConnections fires above 80% by default.',
          queries: [{ expr: `max(mysql_global_status_threads_connected{${S}} / mysql_global_variables_max_connections{${S}})` }],
          unit: 'percentunit', min: 0, max: 1, thresholds: { steps: [{ value: 0.8, color: 'orange' }, { value: 0.9, color: 'red' }] },
        }),
        stat({ title: 'Threads running', queries: [{ expr: `sum(mysql_global_status_threads_running{${S}})` }], unit: 'short', description: 'Threads executing a statement now (not sleeping), all servers.' }),
        timeseries({
          title: 'Connections', unit: 'short', min: 0,
          queries: [
            { expr: `max by (database) (mysql_global_status_threads_connected{${S}})`, legend: '{{ database }} connected' },
            { expr: `max by (database) (mysql_global_variables_max_connections{${S}})`, legend: '{{ database }} max_connections' },
            { expr: `max by (database) (mysql_global_status_max_used_connections{${S}})`, legend: '{{ database }} peak since start' },
          ],
        }),
        timeseries({
          title: 'Failed connection attempts', unit: 'short', min: 0, description: 'Aborted_connects per second: wrong passwords, missing grants, or clients hitting max_connections.',
          queries: [{ expr: `sum by (database) (rate(mysql_global_status_aborted_connects{${S}}${RATE}))`, legend: '{{ database }}' }],
        }),
        table({ title: 'Servers', description: 'Version of each server, from SHOW GLOBAL VARIABLES.', queries: [{ expr: `max by (database, version, version_comment) (mysql_version_info{${S}})` }], height: 5 }),
      ]),
      row('Throughput', [
        timeseries({ title: 'Queries', queries: [{ expr: `sum by (database) (rate(mysql_global_status_queries{${S}}${RATE}))`, legend: '{{ database }}' }], unit: 'short', min: 0, description: 'Statements per second.' }),
        timeseries({
          title: 'Statements by command', unit: 'short', min: 0, stacked: true,
          queries: [{ expr: `sum by (command) (rate(mysql_global_status_commands_total{${S}, command=~"select|insert|update|delete|replace|commit|rollback"}${RATE}))`, legend: '{{ command }}' }],
        }),
        timeseries({
          title: 'Slow queries', unit: 'short', min: 0, description: 'Queries longer than long_query_time per second; MysqlSlowQueries fires above 0.05/s by default.',
          queries: [{ expr: `sum by (database) (rate(mysql_global_status_slow_queries{${S}}${RATE}))`, legend: '{{ database }}' }],
          thresholds: { steps: [{ value: 0.05, color: 'orange' }] },
        }),
        timeseries({
          title: 'Network traffic', unit: 'Bps',
          queries: [
            { expr: `sum by (database) (rate(mysql_global_status_bytes_received{${S}}${RATE}))`, legend: '{{ database }} received' },
            { expr: `sum by (database) (rate(mysql_global_status_bytes_sent{${S}}${RATE}))`, legend: '{{ database }} sent' },
          ],
        }),
      ]),
      row('InnoDB buffer pool', [
        timeseries({ title: 'Buffer pool size', queries: [{ expr: `max by (database) (mysql_global_variables_innodb_buffer_pool_size{${S}})`, legend: '{{ database }}' }], unit: 'bytes', min: 0 }),
        timeseries({
          title: 'Buffer pool pages by state', unit: 'short', min: 0, stacked: true,
          queries: [{ expr: `sum by (database, state) (mysql_global_status_buffer_pool_pages{${S}})`, legend: '{{ database }} {{ state }}' }],
        }),
        timeseries({
          title: 'Buffer pool hit ratio', unit: 'percentunit', max: 1,
          description: 'Share of logical reads served from memory; well below 99% means the working set does not fit in innodb_buffer_pool_size.',
          queries: [{
            expr: `1 - sum by (database) (rate(mysql_global_status_innodb_buffer_pool_reads{${S}}${RATE})) / sum by (database) (rate(mysql_global_status_innodb_buffer_pool_read_requests{${S}}${RATE}))`,
            legend: '{{ database }}',
          }],
        }),
      ]),
      row('Replication', [
        timeseries({
          title: 'Replication lag', unit: 's', min: 0, description: 'Seconds_Behind_Master (Seconds_Behind_Source on MySQL 8.4) of each replica; empty for primaries and while the SQL thread is stopped.',
          queries: [{ expr: `max by (database, master_host) (mysql_slave_status_seconds_behind_master{${S}} or mysql_slave_status_seconds_behind_source{${S}})`, legend: '{{ database }} ← {{ master_host }}' }],
          thresholds: { steps: [{ value: 300, color: 'orange' }] },
        }),
        timeseries({
          title: 'Replication threads running', min: 0, max: 1, description: '1 while the IO (or SQL) thread of a replica runs; 0 is what MysqlReplicationStopped fires on.',
          queries: [
            { expr: `min by (database) (mysql_slave_status_slave_io_running{${S}} or mysql_slave_status_replica_io_running{${S}})`, legend: '{{ database }} IO' },
            { expr: `min by (database) (mysql_slave_status_slave_sql_running{${S}} or mysql_slave_status_replica_sql_running{${S}})`, legend: '{{ database }} SQL' },
          ],
        }),
      ]),
    ],
  };
}
