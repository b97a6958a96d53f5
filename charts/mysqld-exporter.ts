import { Construct } from 'constructs';
import { z } from 'zod';
import { MYSQLD_EXPORTER, mysqlRulePack } from '../alerts/packs/mysql';
import { MYSQL_DASHBOARD_UID, mysqlDashboard } from '../dashboards/stack/mysql';
import type { PinnedImage } from '../lib/images';
import { dnsLabel, namedList, secretKeyRef } from '../lib/validators';
import type { StackComponent } from './component';
import { InstanceExporter, InstanceExporterProps, InstanceExporterSpec, instanceExporterComponent, joinHostPort, serverHost } from './instance-exporter';

/**
 * mysqld-exporter, pinned here with its component rather than in the shared table. v0.19.0 is the
 * newest release the Go module proxy serves; the `mysql` pack's catalogue was read from its source.
 */
export const MYSQLD_EXPORTER_IMAGE: PinnedImage = { image: 'quay.io/prometheus/mysqld-exporter:v0.19.0', user: 65534 };

/** Where the exporter serves `/metrics` (its default, `webflag.AddFlags(..., ":9104")` in mysqld_exporter.go). */
const PORT = 9104;
/** Environment variables the container reads the credentials from; no value is written to the manifests. */
const ENV = { user: 'MYSQL_USER', password: 'MYSQLD_EXPORTER_PASSWORD' } as const;

/** One MySQL or MariaDB server in the `mysql` list of the configuration. */
export const mysqlInstanceSchema = z.strictObject({
  name: dnsLabel.describe('Name of the server; the `database` label of its series and part of the exporter\'s name.'),
  host: serverHost({ host: 'mariadb.apps.svc', port: 3307 }).describe('Host name or IP address of the server, e.g. `mariadb.apps.svc`.'),
  port: z.number().int().min(1).max(65535).default(3306).describe('Port.'),
  username: secretKeyRef.describe('Secret key holding the user name: a user with `PROCESS, REPLICATION CLIENT, SELECT` (and `SLAVE MONITOR` on MariaDB 10.5.9+).'),
  password: secretKeyRef.describe('Secret key holding the password.'),
});
export type MysqlInstanceInput = z.input<typeof mysqlInstanceSchema>;
export type MysqlInstance = z.output<typeof mysqlInstanceSchema>;

/** The `mysql` section: MySQL/MariaDB servers, one mysqld-exporter each. */
export const mysqlInstancesSchema = namedList(mysqlInstanceSchema, 'mysql').describe('MySQL/MariaDB servers, one mysqld-exporter each.');


const SPEC: InstanceExporterSpec = { component: 'mysqld-exporter', image: MYSQLD_EXPORTER_IMAGE, port: PORT, probePath: '/' };

/** Properties of {@link MysqldExporter}. */
export interface MysqldExporterProps extends InstanceExporterProps {
  /** The server to watch. */
  readonly server: MysqlInstanceInput;
}

/**
 * One mysqld-exporter for one MySQL/MariaDB server. Flags as mysqld_exporter.go v0.19.0 defines them:
 * `--mysqld.address` and `--mysqld.username` (here expanded by the kubelet from an env var fed by the
 * user's Secret); the password comes from `MYSQLD_EXPORTER_PASSWORD`, which config/config.go reads
 * as the `[client]` password. No `.my.cnf` is mounted: the file is loaded with `Loose: true`, so its
 * absence is not an error.
 */
export class MysqldExporter extends InstanceExporter {
  constructor(scope: Construct, id: string, props: MysqldExporterProps) {
    const m = mysqlInstanceSchema.parse(props.server);
    const spec: InstanceExporterSpec = {
      ...SPEC,
      args: [`--mysqld.address=${joinHostPort(m.host, m.port)}`, `--mysqld.username=$(${ENV.user})`, `--web.listen-address=:${PORT}`],
    };
    super(scope, id, spec, m.name, [
      { name: ENV.user, valueFrom: { secretKeyRef: { name: m.username.name, key: m.username.key } } },
      { name: ENV.password, valueFrom: { secretKeyRef: { name: m.password.name, key: m.password.key } } },
    ], props);
  }
}

/** The stack component: one exporter per declared server, the `mysql` pack (with `MysqlDown`) and its dashboard. */
export const mysqldExporterComponent: StackComponent = {
  ...instanceExporterComponent<MysqlInstance>({
    spec: SPEC,
    instances: (c) => c.mysql,
    instanceLabel: 'database',
    catalogues: [MYSQLD_EXPORTER],
    rulePacks: () => [mysqlRulePack()],
    construct: (scope, server, props) => new MysqldExporter(scope, server.name, { ...props, server }),
  }),
  stackDashboards: () => [{ uid: MYSQL_DASHBOARD_UID, linkTitle: 'MySQL', build: mysqlDashboard }],
};
