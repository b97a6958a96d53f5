import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { renderAlertmanagerConfig } from '../../../alerts/routing/alertmanager-config';
import { renderPrometheusConfig } from '../../../charts/prometheus-config';
import { stackScrapeJobs } from '../../../charts/vigil-stack';
import { StackConfig } from '../../../charts/config';
import type { QueriedMetrics } from '../../../charts/prometheus-metric-filter';
import { createExporterUser, ExporterUser, MariaDb, needsSlaveMonitor, writeExporterMyCnf } from '../../helpers/mariadb';
import { Manifest, objectOf } from '../../helpers/synth';
import { findTool } from '../../helpers/tools';
import { LoopbackAddresses, toLoopback } from './loopback';
import { ProcessGroup, freePort, httpGet, waitFor } from './processes';

/** Ports of the local run, allocated fresh each time. */
export interface LocalPorts {
  prometheus: number; alertmanager: number; nodeExporter: number; blackbox: number;
  postgres: number; postgresExporter: number; redis: number; redisExporter: number; mysql: number; mysqlExporter: number;
}

/** What to run: the synthesized stack, and the loopback addresses of the apps it watches. */
export interface LocalStackOptions {
  readonly config: StackConfig;
  readonly objects: Manifest[];
  /** Typed scrape target name → loopback host:port of the demo app serving it. */
  readonly appTargets: Record<string, string>;
  /** In-cluster URL → loopback URL, for health checks. */
  readonly rewriteUrl: (url: string) => string;
  /** Stand-in value of a Secret key the routing reads (e.g. a sink's URL for a webhook URL). @default - none: reading one fails */
  readonly secretValue?: (name: string, key: string) => string;
  /** What the stack's rules and dashboards read (`VigilStack.queriedMetrics`), so the jobs carry the generated metric relabelling. @default - none */
  readonly queried?: QueriedMetrics;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';
/** The login the `mysql` server's username/password Secret would hold. */
const MYSQL_EXPORTER_USER: ExporterUser = { user: 'exporter', password: 'stand-in-exporter-password' };

/**
 * The generated rules and routing, running in real binaries on loopback: the pinned Prometheus (or
 * Debian's where it is not built), and Debian's Alertmanager, node-exporter, blackbox-exporter, PostgreSQL + postgres-exporter, Redis +
 * redis-exporter, MariaDB + mysqld-exporter (each database only when the configuration declares one;
 * the first declared server stands in for all). Everything lives in one temporary directory removed
 * by `stop()`.
 */
export class LocalStack {
  readonly procs = new ProcessGroup();
  readonly dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  ports!: LocalPorts;
  droppedJobs: string[] = [];
  /** The pinned Prometheus (3.14.0, the image's version) when scripts/install-tools.sh built it, else Debian's. */
  readonly prometheusBinary = findTool('prometheus') ?? 'prometheus';

  constructor(private readonly o: LocalStackOptions) {}

  async start(): Promise<void> {
    const p: LocalPorts = this.ports = {
      prometheus: await freePort(), alertmanager: await freePort(), nodeExporter: await freePort(), blackbox: await freePort(),
      postgres: await freePort(), postgresExporter: await freePort(), redis: await freePort(), redisExporter: await freePort(),
      mysql: await freePort(), mysqlExporter: await freePort(),
    };
    const c = this.o.config;
    const local = (port: number) => `127.0.0.1:${port}`;
    const addresses: LoopbackAddresses = {
      prober: local(p.blackbox),
      url: this.o.rewriteUrl,
      targets: {
        'prometheus': [{ address: local(p.prometheus) }],
        'alertmanager': [{ address: local(p.alertmanager) }],
        'node-exporter': [{ address: local(p.nodeExporter), labels: { node: 'local' } }],
        'blackbox-exporter': [{ address: local(p.blackbox) }],
        ...(c.postgres.length ? { 'postgres-exporter': [{ address: local(p.postgresExporter), labels: { database: c.postgres[0].name } }] } : {}),
        // Kubernetes discovery would set `database` from the exporter's instance label (the server's name).
        ...(c.mysql.length ? { 'mysqld-exporter': [{ address: local(p.mysqlExporter), labels: { database: c.mysql[0].name } }] } : {}),
        ...(c.redis.length ? { 'redis-exporter': [{ address: local(p.redisExporter), labels: { redis: c.redis[0].name } }] } : {}),
        ...Object.fromEntries(Object.entries(this.o.appTargets).map(([job, address]) => [job, [{ address }]])),
      },
    };
    const { jobs, dropped } = toLoopback(stackScrapeJobs(c, undefined, this.o.queried), addresses);
    this.droppedJobs = dropped;

    // Files exactly as synthesized, except prometheus.yml whose addresses are now loopback ones.
    const rulesDir = join(this.dir, 'rules');
    mkdirSync(rulesDir);
    for (const cm of this.o.objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['vigil.dev/rule-file'] === 'true' && o.metadata.labels['app.kubernetes.io/name'] === 'prometheus')) {
      for (const [file, content] of Object.entries<string>(cm.data)) writeFileSync(join(rulesDir, file), content);
    }
    writeFileSync(join(this.dir, 'prometheus.yml'), renderPrometheusConfig({
      scrapeInterval: c.prometheus.scrapeInterval, scrapeTimeout: c.prometheus.scrapeTimeout, evaluationInterval: c.prometheus.evaluationInterval,
      externalLabels: c.prometheus.externalLabels, alertmanagers: [local(p.alertmanager)], jobs, rulesDir,
    }));
    // The same typed routing, rendered for the Alertmanager installed here (Debian's is older than the
    // pinned image, so fields it does not know are left out or refused) and for a local secrets directory.
    const secretsDir = join(this.dir, 'secrets');
    const routing = renderAlertmanagerConfig(c.alertmanager.routing, { secretsDir, templatesDir: join(this.dir, 'templates'), alertmanagerVersion: installedAlertmanagerVersion() });
    writeFileSync(join(this.dir, 'alertmanager.yml'), routing.yaml);
    mkdirSync(join(this.dir, 'templates'));
    for (const [file, content] of Object.entries(routing.templateFiles)) writeFileSync(join(this.dir, 'templates', file), content);
    for (const m of routing.secretMounts) {
      const content = this.o.secretValue?.(m.name, m.key);
      if (content === undefined) throw new Error(`the routing reads Secret ${m.name}/${m.key}: give the local run a stand-in value`);
      mkdirSync(join(m.mountPath, '..'), { recursive: true });
      writeFileSync(m.mountPath, content);
    }
    writeFileSync(join(this.dir, 'blackbox.yml'), objectOf(this.o.objects, 'ConfigMap', 'blackbox-exporter-config').data['blackbox.yml']);

    await this.startDatabases();
    const pr = this.procs;
    pr.start('node-exporter', 'prometheus-node-exporter', [`--web.listen-address=${local(p.nodeExporter)}`, '--collector.disable-defaults', '--collector.cpu', '--collector.meminfo', '--collector.filesystem', '--collector.loadavg']);
    pr.start('blackbox-exporter', 'prometheus-blackbox-exporter', [`--config.file=${join(this.dir, 'blackbox.yml')}`, `--web.listen-address=${local(p.blackbox)}`]);
    pr.start('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${join(this.dir, 'alertmanager.yml')}`, `--storage.path=${join(this.dir, 'alertmanager-data')}`,
      `--web.listen-address=${local(p.alertmanager)}`, '--cluster.listen-address=',
    ]);
    pr.start('prometheus', this.prometheusBinary, [
      `--config.file=${join(this.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(this.dir, 'prometheus-data')}`,
      `--web.listen-address=${local(p.prometheus)}`, '--web.enable-lifecycle',
      // Resend firing alerts quickly so resolution and inhibition show up within the test's bounds.
      '--rules.alert.resend-delay=2s',
    ]);
    for (const [name, url] of [
      ['prometheus', `http://${local(p.prometheus)}/-/ready`], ['alertmanager', `http://${local(p.alertmanager)}/-/ready`],
      ['blackbox-exporter', `http://${local(p.blackbox)}/-/healthy`], ['node-exporter', `http://${local(p.nodeExporter)}/metrics`],
    ]) {
      await waitFor(`${name} to be ready\n${pr.output(name)}`, async () => (await httpGet(url))?.status === 200);
    }
  }

  private async startDatabases(): Promise<void> {
    const p = this.ports;
    const c = this.o.config;
    if (c.postgres.length) {
      const data = join(this.dir, 'pg');
      mkdirSync(data);
      if (process.getuid?.() === 0) {
        // PostgreSQL refuses to run as root; run it as the package's own user.
        chownSync(this.dir, 0, 0);
        chmodSync(this.dir, 0o755);
        const { uid, gid } = postgresUser();
        chownSync(data, uid, gid);
      }
      const init = new ProcessGroup();
      init.start('initdb', `${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync'], { runAs: 'postgres' });
      await waitFor(`initdb\n${init.output('initdb')}`, async () => !init.running('initdb'), 60_000);
      this.pgData = data;
      this.startPostgres();
      this.procs.start('postgres-exporter', 'prometheus-postgres-exporter', [`--web.listen-address=127.0.0.1:${p.postgresExporter}`], {
        env: { DATA_SOURCE_NAME: `postgresql://postgres@127.0.0.1:${p.postgres}/postgres?sslmode=disable` },
      });
    }
    if (c.mysql.length) await this.startMysql();
    if (c.redis.length) {
      this.procs.start('redis', 'redis-server', ['--port', String(p.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
      this.procs.start('redis-exporter', 'prometheus-redis-exporter', ['-redis.addr', `redis://127.0.0.1:${p.redis}`, '-web.listen-address', `127.0.0.1:${p.redisExporter}`]);
    }
  }

  private pgData?: string;
  private mariadb?: MariaDb;

  /** MariaDB for the first `mysql` server, and a mysqld-exporter logging in with the exporter's grants. */
  private async startMysql(): Promise<void> {
    const db = this.mariadb = new MariaDb({ name: 'mariadb', dir: this.dir, datadir: join(this.dir, 'mysql-data'), port: this.ports.mysql });
    db.install();
    await this.startMariaDb();
    createExporterUser(db, MYSQL_EXPORTER_USER, { slaveMonitor: needsSlaveMonitor(db.version()) });
    const cnf = join(this.dir, 'mysqld-exporter.cnf');
    writeExporterMyCnf(cnf, db, MYSQL_EXPORTER_USER);
    this.procs.start('mysqld-exporter', 'prometheus-mysqld-exporter', [`--config.my-cnf=${cnf}`, `--web.listen-address=127.0.0.1:${this.ports.mysqlExporter}`]);
  }

  /**
   * (Re)starts MariaDB on its port and waits until it answers; the fault injection stops it with
   * `procs.stop('mariadb')`.
   */
  async startMariaDb(): Promise<void> {
    const db = this.mariadb;
    if (!db) throw new Error('no MySQL server in this configuration');
    const { cmd, args } = db.command();
    this.procs.start('mariadb', cmd, args);
    await db.ready(() => !this.procs.running('mariadb'), 30_000).catch((err) => {
      throw new Error(`${err.message}\n${this.procs.output('mariadb')}`);
    });
  }

  /** (Re)starts PostgreSQL on its port; the fault injection stops it with `procs.stop('postgres')`. */
  startPostgres(): void {
    if (!this.pgData) throw new Error('no PostgreSQL in this configuration');
    this.procs.start('postgres', `${PG_BIN}/postgres`, ['-D', this.pgData, '-p', String(this.ports.postgres), '-k', this.pgData, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], { runAs: 'postgres' });
  }

  /** Instant query against the running Prometheus. */
  async query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const r = await httpGet(`http://127.0.0.1:${this.ports.prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
    if (!r || r.status !== 200) throw new Error(`query ${expr} failed: ${r?.status} ${r?.body}`);
    return JSON.parse(r.body).data.result;
  }

  /** Alerts Alertmanager holds right now. */
  async alertmanagerAlerts(): Promise<Array<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }>> {
    const r = await httpGet(`http://127.0.0.1:${this.ports.alertmanager}/api/v2/alerts`);
    return r?.status === 200 ? JSON.parse(r.body) : [];
  }

  async stop(): Promise<void> {
    await this.procs.stopAll();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The version of the Alertmanager binary on this machine, e.g. `0.25.0`. */
function installedAlertmanagerVersion(): string {
  const out = execFileSync('prometheus-alertmanager', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const m = /version (\d+\.\d+\.\d+)/.exec(out);
  if (!m) throw new Error(`cannot read the Alertmanager version from: ${out}`);
  return m[1];
}

function postgresUser(): { uid: number; gid: number } {
  const line = require('node:fs').readFileSync('/etc/passwd', 'utf8').split('\n').find((l: string) => l.startsWith('postgres:'));
  if (!line) throw new Error('no postgres user: install the postgresql package (scripts/install-tools.sh)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
