import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MYSQL_84_REPLICATION_METRICS, MYSQLD_EXPORTER, mysqlRulePack } from '../alerts/packs/mysql';
import { resolveAlert } from '../alerts/rule';
import { packAlerts } from '../alerts/rule-pack';
import { dashboardQueryMetrics, variableMetrics } from '../dashboards/queries';
import { mysqlDashboard } from '../dashboards/stack/mysql';
import { promqlMetricNames } from '../lib/promql';
import { createExporterUser, ExporterUser, MariaDb, needsSlaveMonitor, writeExporterMyCnf } from './helpers/mariadb';
import { describeWithTool } from './helpers/tools';

/**
 * The real programs behind the `mysql` pack and dashboard: Debian's MariaDB server (a primary and a
 * replica of it, two processes on loopback in a temporary directory) and Debian's
 * prometheus-mysqld-exporter, one per server, logging in as a real user with the exporter's grants.
 * Every metric name the pack's alerts and the dashboard's queries read must really be emitted; then
 * replication is stopped (the threads read 0 and the lag series disappears) and the primary is shut
 * down (the exporter reports `mysql_up 0`, which is what MysqlDown fires on).
 *
 * Not verified here: the MySQL 8.4 spellings of the replication columns (`SHOW REPLICA STATUS`:
 * `Seconds_Behind_Source`, `Replica_IO_Running`, `Replica_SQL_Running`), which only a MySQL 8.4
 * replica emits. They are the lower-cased column names the exporter's collector/slave_status.go turns
 * into `mysql_slave_status_<column>` (it reads `Source_Host`/`Source_UUID` for its labels for the same
 * reason); MariaDB reports the `Slave_*`/`*_Master` columns checked below.
 */

const EXPORTER: ExporterUser = { user: 'exporter', password: 'exporter-test-password' };
const REPL_PASSWORD = 'repl-test-password';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every metric name the pack's alerts and the dashboard's queries and variables read. */
function usedMetricNames(): string[] {
  const names = new Set<string>();
  for (const a of packAlerts(mysqlRulePack())) promqlMetricNames(resolveAlert(a).expr).forEach((n) => names.add(n));
  const d = mysqlDashboard({ namespace: 'monitoring', deployed: [] });
  const defined = new Set((d.variables ?? []).map((v) => v.name));
  for (const v of d.variables ?? []) variableMetrics(v, defined).forEach((n) => names.add(n));
  for (const r of d.rows) for (const p of r.panels) for (const q of p.queries) dashboardQueryMetrics(q.expr, defined).forEach((n) => names.add(n));
  return [...names].sort();
}

/** `name{labels}` → value, from a text exposition. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?)\s+(\S+)/.exec(line);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}
const familyNames = (metrics: Map<string, number>) => new Set([...metrics.keys()].map((k) => k.replace(/\{.*$/, '')));
const seriesOf = (metrics: Map<string, number>, name: string) => [...metrics].filter(([k]) => k === name || k.startsWith(`${name}{`));

describeWithTool('mariadbd', 'MariaDB (Debian package mariadb-server)', () => {
  describeWithTool('prometheus-mysqld-exporter', 'mysqld-exporter against a real MariaDB primary and replica', (exporterBin) => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-mysql-'));
    const children: ChildProcess[] = [];

    type Server = MariaDb & { proc: ChildProcess };
    type Exporter = { port: number; proc: ChildProcess };
    let primary: Server;
    let replica: Server;
    let primaryExporter: Exporter;
    let replicaExporter: Exporter;

    function start(bin: string, args: string[], log: string): ChildProcess {
      const fd = openSync(log, 'a');
      const proc = spawn(bin, args, { stdio: ['ignore', fd, fd] });
      children.push(proc);
      return proc;
    }

    async function startServer(db: MariaDb): Promise<Server> {
      const { cmd, args } = db.command();
      const proc = start(cmd, args, join(dir, `${db.name}.out`));
      await db.ready(() => proc.exitCode !== null);
      return Object.assign(db, { proc });
    }

    async function startExporter(server: Server): Promise<Exporter> {
      const port = await freePort();
      const cnf = join(dir, `${server.name}-exporter.cnf`);
      writeExporterMyCnf(cnf, server, EXPORTER);
      const proc = start(exporterBin, [`--config.my-cnf=${cnf}`, `--web.listen-address=127.0.0.1:${port}`], join(dir, `${server.name}-exporter.log`));
      const exporter = { port, proc };
      for (let i = 0; i < 100; i++) {
        try {
          await scrape(exporter);
          return exporter;
        } catch {
          await sleep(100);
        }
      }
      throw new Error(`mysqld-exporter for ${server.name} did not answer:\n${readFileSync(join(dir, `${server.name}-exporter.log`), 'utf8').slice(-2000)}`);
    }

    async function scrape(e: Exporter): Promise<Map<string, number>> {
      const res = await fetch(`http://127.0.0.1:${e.port}/metrics`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return parseMetrics(await res.text());
    }

    async function stop(proc: ChildProcess): Promise<void> {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    }

    beforeAll(async () => {
      // One data directory, copied for the replica before either server writes a binary log.
      const primaryData = join(dir, 'primary-data');
      const primaryDb = new MariaDb({ name: 'primary', dir, datadir: primaryData, port: await freePort(), args: ['--server-id=1', `--log-bin=${join(primaryData, 'binlog')}`] });
      primaryDb.install();
      const replicaData = join(dir, 'replica-data');
      cpSync(primaryData, replicaData, { recursive: true });
      const replicaDb = new MariaDb({ name: 'replica', dir, datadir: replicaData, port: await freePort(), args: ['--server-id=2', '--read-only'] });

      [primary, replica] = await Promise.all([startServer(primaryDb), startServer(replicaDb)]);
      // The exporter's documented grants (SLAVE MONITOR is granted by the first test). Created on the
      // primary, they reach the replica through replication, as they would in production.
      createExporterUser(primary, EXPORTER, { slaveMonitor: false, maxUserConnections: 3 });
      primary.sql(`
        CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '${REPL_PASSWORD}';
        GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
      `);
      replica.sql(`
        CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='repl', MASTER_PASSWORD='${REPL_PASSWORD}', MASTER_USE_GTID=slave_pos;
        START SLAVE;
      `);
      [primaryExporter, replicaExporter] = await Promise.all([startExporter(primary), startExporter(replica)]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(children.map(stop));
      rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    it('with only PROCESS, REPLICATION CLIENT, SELECT, MariaDB refuses the replica status to the exporter; SLAVE MONITOR fixes it', async () => {
      // MariaDB 10.5.9 and later need SLAVE MONITOR for SHOW ALL SLAVES STATUS: without it the
      // slave_status collector fails on every scrape and the replication alerts can never fire.
      expect(needsSlaveMonitor(primary.version()), primary.version()).toBe(true);
      const before = await scrape(primaryExporter);
      expect(before.get('mysql_up')).toBe(1);
      expect(before.get('mysql_exporter_scrape_errors_total{collector="collect.slave_status"}') ?? 0).toBeGreaterThan(0);
      primary.sql("GRANT SLAVE MONITOR ON *.* TO 'exporter'@'127.0.0.1';");
      // Wait until the grant has replicated too.
      for (let i = 0; i < 50 && !replica.sql("SHOW GRANTS FOR 'exporter'@'127.0.0.1'").includes('SLAVE MONITOR'); i++) await sleep(100);
      const after = await scrape(primaryExporter);
      expect(after.get('mysql_exporter_last_scrape_error')).toBe(0);
    });

    it('emits every metric the pack and the dashboard read (replication ones from the replica)', async () => {
      const used = usedMetricNames();
      // The dashboard and pack read nothing outside the catalogue, and the catalogue lists nothing unused.
      expect(used).toEqual(Object.keys(MYSQLD_EXPORTER.metrics).sort());
      const emitted = new Set([...familyNames(await scrape(primaryExporter)), ...familyNames(await scrape(replicaExporter))]);
      const missing = used.filter((n) => !emitted.has(n) && !MYSQL_84_REPLICATION_METRICS.includes(n));
      expect(missing).toEqual([]);
    });

    it('the replica reports its threads and lag with the labels the alerts keep; the primary reports no replication series', async () => {
      let replicaMetrics = await scrape(replicaExporter);
      for (let i = 0; i < 50 && seriesOf(replicaMetrics, 'mysql_slave_status_slave_sql_running').length === 0; i++) {
        await sleep(100);
        replicaMetrics = await scrape(replicaExporter);
      }
      expect(replicaMetrics.get('mysql_exporter_last_scrape_error')).toBe(0);
      for (const name of ['mysql_slave_status_slave_io_running', 'mysql_slave_status_slave_sql_running']) {
        expect(seriesOf(replicaMetrics, name).map(([, v]) => v), name).toEqual([1]);
      }
      const lag = seriesOf(replicaMetrics, 'mysql_slave_status_seconds_behind_master');
      expect(lag).toHaveLength(1);
      expect(lag[0][0]).toContain('master_host="127.0.0.1"');
      expect(lag[0][1]).toBeGreaterThanOrEqual(0);
      // On the primary the replication expressions yield nothing: no series at all.
      const primaryMetrics = await scrape(primaryExporter);
      expect([...familyNames(primaryMetrics)].filter((n) => n.startsWith('mysql_slave_status_'))).toEqual([]);
      // Labelled families the dashboard splits by.
      expect(primaryMetrics.has('mysql_global_status_commands_total{command="select"}')).toBe(true);
      expect(primaryMetrics.has('mysql_global_status_buffer_pool_pages{state="free"}')).toBe(true);
    });

    it('a stopped replication reads 0 on both threads and drops the lag series (MysqlReplicationStopped, not MysqlReplicationLag)', async () => {
      replica.sql('STOP SLAVE;');
      const m = await scrape(replicaExporter);
      expect(seriesOf(m, 'mysql_slave_status_slave_io_running').map(([, v]) => v)).toEqual([0]);
      expect(seriesOf(m, 'mysql_slave_status_slave_sql_running').map(([, v]) => v)).toEqual([0]);
      expect(seriesOf(m, 'mysql_slave_status_seconds_behind_master')).toEqual([]);
    });

    it('a stopped server is reported as mysql_up 0 (what MysqlDown fires on)', async () => {
      expect((await scrape(primaryExporter)).get('mysql_up')).toBe(1);
      await stop(primary.proc);
      expect(primary.proc.exitCode ?? primary.proc.signalCode).not.toBeNull();
      const m = await scrape(primaryExporter);
      expect(m.get('mysql_up')).toBe(0);
      expect((await scrape(replicaExporter)).get('mysql_up')).toBe(1);
    });
  });
});
