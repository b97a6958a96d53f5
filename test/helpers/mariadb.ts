import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTool } from './tools';

/**
 * Debian's MariaDB server (package mariadb-server) on loopback in a temporary directory, and the
 * pieces mysqld-exporter needs to log in to it. The caller spawns the processes (its own way of
 * keeping and stopping them): this module only gives the command lines, waits for readiness and
 * runs SQL as root over the server's socket.
 */

/** MariaDB refuses to run as root unless told to. */
const ROOT_OPTIONS = process.getuid?.() === 0 ? ['--user=root'] : [];

/** A MariaDB program: PATH first, then the sbin directories the package installs to. */
export function mariadbTool(name: string): string {
  const p = findTool(name) ?? ['/usr/sbin', '/usr/bin'].map((d) => join(d, name)).find((c) => existsSync(c));
  if (!p) throw new Error(`${name} is not installed: apt-get install mariadb-server`);
  return p;
}

/** One MariaDB server's files and port. */
export interface MariaDbOptions {
  /** Names its socket, pid and log files in `dir`. */
  readonly name: string;
  /** Directory for the socket, pid file and error log. */
  readonly dir: string;
  readonly datadir: string;
  readonly port: number;
  /** Extra `mariadbd` options (server id, binary log, read-only…). @default [] */
  readonly args?: readonly string[];
}

/** One MariaDB server on 127.0.0.1, administered as root through its socket. */
export class MariaDb {
  readonly name: string;
  readonly port: number;
  readonly datadir: string;
  readonly socket: string;
  /** The server's error log (`--log-error`). */
  readonly log: string;

  constructor(private readonly o: MariaDbOptions) {
    this.name = o.name;
    this.port = o.port;
    this.datadir = o.datadir;
    this.socket = join(o.dir, `${o.name}.sock`);
    this.log = join(o.dir, `${o.name}.err`);
  }

  /** Creates the system tables in the (empty or missing) data directory; root logs in through the socket. */
  install(): void {
    execFileSync(mariadbTool('mariadb-install-db'), [
      '--no-defaults', ...ROOT_OPTIONS, `--datadir=${this.datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--innodb-log-file-size=4M',
    ], { stdio: 'pipe' });
  }

  /** The `mariadbd` command line: loopback only, small buffers, no options files read. */
  command(): { cmd: string; args: string[] } {
    return {
      cmd: mariadbTool('mariadbd'),
      args: [
        '--no-defaults', ...ROOT_OPTIONS, `--datadir=${this.datadir}`, `--socket=${this.socket}`, `--port=${this.port}`, '--bind-address=127.0.0.1',
        '--skip-name-resolve', `--pid-file=${join(this.o.dir, `${this.name}.pid`)}`, `--log-error=${this.log}`, '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=4M', '--innodb-use-native-aio=0', ...(this.o.args ?? []),
      ],
    };
  }

  /** Runs statements as root; tab-separated rows without column names. */
  sql(statement: string): string {
    return execFileSync(mariadbTool('mariadb'), ['--no-defaults', '--user=root', `--socket=${this.socket}`, '--batch', '--skip-column-names', '-e', statement], { encoding: 'utf8', stdio: 'pipe' });
  }

  /** Waits until the server answers on its socket; fails with the end of its error log when it exits or times out. */
  async ready(exited: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !exited()) {
      try {
        this.sql('SELECT 1');
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`MariaDB ${this.name} did not start:\n${existsSync(this.log) ? readFileSync(this.log, 'utf8').slice(-2000) : '(no log)'}`);
  }

  /** `SELECT VERSION()`, e.g. `10.11.19-MariaDB-0+deb12u1`. */
  version(): string {
    return this.sql('SELECT VERSION()').trim();
  }
}

/** True when MariaDB `version` needs `SLAVE MONITOR` for `SHOW ALL SLAVES STATUS` (10.5.9 and later). */
export function needsSlaveMonitor(version: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m || !/mariadb/i.test(version)) return false;
  const [a, b, c] = m.slice(1).map(Number);
  return a > 10 || (a === 10 && (b > 5 || (b === 5 && c >= 9)));
}

/** The exporter's login, as the component's `username`/`password` Secret keys would hold it. */
export interface ExporterUser {
  readonly user: string;
  readonly password: string;
  /** Host part of the account and the address the exporter connects to. @default '127.0.0.1' */
  readonly host?: string;
}

/**
 * Creates the exporter's user with its documented grants, `PROCESS, REPLICATION CLIENT, SELECT`, plus
 * `SLAVE MONITOR` when `slaveMonitor` is true (what MariaDB 10.5.9+ needs for the replication status).
 */
export function createExporterUser(db: MariaDb, u: ExporterUser, o: { slaveMonitor: boolean; maxUserConnections?: number }): void {
  const account = `'${u.user}'@'${u.host ?? '127.0.0.1'}'`;
  db.sql(`
    CREATE USER ${account} IDENTIFIED BY '${u.password}'${o.maxUserConnections ? ` WITH MAX_USER_CONNECTIONS ${o.maxUserConnections}` : ''};
    GRANT PROCESS, REPLICATION CLIENT, SELECT${o.slaveMonitor ? ', SLAVE MONITOR' : ''} ON *.* TO ${account};
  `);
}

/**
 * Writes the `[client]` file mysqld-exporter reads with `--config.my-cnf` (mode 0600). Debian's
 * exporter (0.14) predates `--mysqld.address`/`--mysqld.username`, so the local runs log in this way.
 */
export function writeExporterMyCnf(path: string, db: MariaDb, u: ExporterUser): void {
  writeFileSync(path, `[client]\nuser=${u.user}\npassword=${u.password}\nhost=${u.host ?? '127.0.0.1'}\nport=${db.port}\n`, { mode: 0o600 });
}
