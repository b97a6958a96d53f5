import { Construct } from 'constructs';
import { z } from 'zod';
import { POSTGRES_EXPORTER } from '../alerts/metric-catalogue';
import { postgresRulePack } from '../alerts/packs/postgres';
import { dnsLabel, namedList, secretKeyRef } from '../lib/validators';
import { InstanceExporter, InstanceExporterProps, InstanceExporterSpec, instanceExporterComponent, joinHostPort, serverHost } from './instance-exporter';

/**
 * The exporter's `DATA_SOURCE_URI`: it prefixes `postgresql://user:password@` and parses the result as
 * a URL (exporter/datasource.go at v0.20.1), so an IPv6 host is bracketed and the database name is
 * percent-encoded (a "?", "/" or "#" in it would otherwise end the path).
 */
export function postgresDataSourceUri(db: Pick<PostgresInstance, 'host' | 'port' | 'database' | 'sslMode'>): string {
  return `${joinHostPort(db.host, db.port)}/${encodeURIComponent(db.database)}?sslmode=${db.sslMode}`;
}

/** One PostgreSQL server in the `postgres` list of the configuration. */
export const postgresInstanceSchema = z.strictObject({
  name: dnsLabel.describe('Name of the database instance; the `database` label of its series and part of the exporter\'s name.'),
  host: serverHost({ host: 'postgres.apps.svc', port: 5433 }).describe('Host name or IP address of the PostgreSQL server, e.g. `postgres.apps.svc` or `fd00::10`; the port goes in `port`.'),
  port: z.number().int().min(1).max(65535).default(5432).describe('Port.'),
  database: z.string().min(1).default('postgres').describe('Database to connect to.'),
  sslMode: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']).default('prefer').describe('libpq `sslmode`.'),
  username: secretKeyRef.describe('Secret key holding the user name (a role with `pg_monitor`).'),
  password: secretKeyRef.describe('Secret key holding the password.'),
});
export type PostgresInstanceInput = z.input<typeof postgresInstanceSchema>;
export type PostgresInstance = z.output<typeof postgresInstanceSchema>;

/** The `postgres` section: PostgreSQL servers, one postgres-exporter each. */
export const postgresInstancesSchema = namedList(postgresInstanceSchema, 'postgres').describe('PostgreSQL servers, one postgres-exporter each.');

const SPEC: InstanceExporterSpec = {
  component: 'postgres-exporter',
  image: 'postgresExporter',
  port: 9187,
  probePath: '/',
  args: ['--web.listen-address=:9187'],
};

/** Properties of {@link PostgresExporter}. */
export interface PostgresExporterProps extends InstanceExporterProps {
  /** The server to watch. */
  readonly database: PostgresInstanceInput;
}

/**
 * One postgres-exporter for one PostgreSQL server. The credentials come from the user's Secret as
 * environment variables (secretKeyRef), so no password is ever written to the manifests. The role
 * needs `GRANT pg_monitor TO <user>` (see docs/configuration.md).
 */
export class PostgresExporter extends InstanceExporter {
  constructor(scope: Construct, id: string, props: PostgresExporterProps) {
    const db = postgresInstanceSchema.parse(props.database);
    super(scope, id, SPEC, db.name, [
      { name: 'DATA_SOURCE_URI', value: postgresDataSourceUri(db) },
      { name: 'DATA_SOURCE_USER', valueFrom: { secretKeyRef: { name: db.username.name, key: db.username.key } } },
      { name: 'DATA_SOURCE_PASS', valueFrom: { secretKeyRef: { name: db.password.name, key: db.password.key } } },
    ], props);
  }
}

/** The stack component: one exporter per declared server and the `postgres` pack (with `PostgresDown`). */
export const postgresExporterComponent = instanceExporterComponent<PostgresInstance>({
  spec: SPEC,
  instances: (c) => c.postgres,
  instanceLabel: 'database',
  catalogues: [POSTGRES_EXPORTER],
  rulePacks: () => [postgresRulePack()],
  construct: (scope, db, props) => new PostgresExporter(scope, db.name, { ...props, database: db }),
});
